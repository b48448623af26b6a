import type { EmployeePatch } from '@renkei/core';
import { formatImportErrorsCsv, type ImportJob, isHubError } from '@renkei/hub';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { AppEnv } from '../http/env.ts';
import { setFlash } from '../http/flash.ts';
import { type FormErrors, queryPage, readForm, validateForm } from '../http/forms.ts';
import { chrome, currentUser, isAdmin, requireAdmin } from '../http/guard.ts';
import {
  csvImportPage,
  EDITABLE_DATE_FIELDS,
  EDITABLE_TEXT_FIELDS,
  employeeDetailPage,
  employeeEditPage,
  employeeFormValues,
  employeeHref,
  employeeListPage,
} from '../views/employees.ts';
import { notFoundPage } from '../views/errors.ts';
import { importProgressPayload } from '../views/import-progress.ts';

const PAGE_SIZE = 50;

const Encoding = z.enum(['utf-8', 'shift_jis'], { error: '文字コードを選択してください。' });

const blankToNull = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? null : value);
const text = z.preprocess(
  blankToNull,
  z.string().trim().max(200, '200文字以内で入力してください。').nullable(),
);
const date = z.preprocess(
  blankToNull,
  z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, '日付は YYYY-MM-DD の形式で入力してください。')
    .nullable(),
);

/** A name may be edited but not cleared: an employee without 姓 or 名 cannot be synced anywhere. */
const name = (message: string) =>
  z.string(message).trim().min(1, message).max(200, '200文字以内で入力してください。');

/** Every field is optional: a field the form did not send stays as it is. */
const EmployeeForm = z
  .object({
    lastName: name('姓を入力してください。'),
    firstName: name('名を入力してください。'),
    lastNameKana: text,
    firstNameKana: text,
    businessLastName: text,
    businessFirstName: text,
    businessLastNameKana: text,
    businessFirstNameKana: text,
    email: z.preprocess(blankToNull, z.email('メールアドレスの形式が正しくありません。').nullable()),
    phone: z.preprocess(
      blankToNull,
      z
        .string()
        .trim()
        .regex(/^[0-9０-９()（）+\-－ ]+$/, '電話番号は数字とハイフンで入力してください。')
        .nullable(),
    ),
    department: text,
    jobTitle: text,
    employmentType: text,
    birthDate: date,
    hireDate: date,
    retireDate: date,
    gender: z.preprocess(
      blankToNull,
      z.enum(['male', 'female', 'unspecified'], { error: '性別を選択してください。' }).nullable(),
    ),
    status: z.preprocess(
      blankToNull,
      z.enum(['employed', 'on_leave', 'retired'], { error: '在籍状況を選択してください。' }).nullable(),
    ),
  })
  .partial();
type EmployeeForm = z.infer<typeof EmployeeForm>;

const ORG_FIELDS = new Set(['department', 'jobTitle', 'employmentType']);

/** Only what the form changed; organisation entries keep their code when the name is unchanged. */
function patchFrom(form: EmployeeForm, before: Record<string, unknown>): EmployeePatch {
  const patch: Record<string, unknown> = {};
  const current = employeeFormValues(before as never);
  for (const key of [...EDITABLE_TEXT_FIELDS, ...EDITABLE_DATE_FIELDS, 'gender', 'status'] as const) {
    const value = form[key];
    if (value === undefined || (value ?? '') === (current[key] ?? '')) continue;
    patch[key] = value === null ? null : ORG_FIELDS.has(key) ? { name: value } : value;
  }
  return patch as EmployeePatch;
}

const ImportForm = z.object({
  file: z
    .instanceof(File, { error: 'CSVファイルを選択してください。' })
    .refine((file) => file.size > 0, 'CSVファイルを選択してください。'),
  encoding: z
    .enum(['auto', 'utf-8', 'shift_jis'], { error: '文字コードを選択してください。' })
    .default('auto'),
  onlyValidRows: z.literal('1').optional(),
});

export const employeeRoutes = new Hono<AppEnv>()
  .get('/employees', async (c) => {
    const search = c.req.query('search')?.trim() ?? '';
    const page = queryPage(c);
    const result = await c.get('deps').hub.employees.list({ search, page, pageSize: PAGE_SIZE });
    return c.html(
      employeeListPage(await chrome(c), {
        search,
        page,
        pageSize: PAGE_SIZE,
        total: result.total,
        items: result.items,
        canEdit: isAdmin(c),
      }),
    );
  })
  // Members may not download the list (every bank account in full): 403, like the hub says.
  .get('/employees/export.csv', requireAdmin, async (c) => {
    const encoding = Encoding.catch('utf-8').parse(c.req.query('encoding'));
    let bytes: Uint8Array;
    try {
      bytes = await c.get('deps').hub.employees.exportCsv(currentUser(c).id, { encoding });
    } catch (error) {
      // Shift_JIS cannot hold a value (𠮷, 剝, 〜): say which, rather than write `?` or fail.
      if (!isHubError(error, 'validation')) throw error;
      setFlash(c, { kind: 'error', message: error.message });
      return c.redirect('/employees');
    }
    return c.body(new Uint8Array(bytes), 200, {
      'content-type': `text/csv; charset=${encoding === 'shift_jis' ? 'Shift_JIS' : 'UTF-8'}`,
      'content-disposition': `attachment; filename="employees-${encoding}.csv"`,
    });
  })
  .get('/employees/import', requireAdmin, async (c) => c.html(csvImportPage(await chrome(c), { errors: {} })))
  .post('/employees/import', requireAdmin, async (c) => {
    const form = validateForm(ImportForm, await readForm(c));
    if (!form.ok) return c.html(csvImportPage(await chrome(c), { errors: form.errors }), 400);
    const bytes = new Uint8Array(await form.data.file.arrayBuffer());
    try {
      // The import runs in the background; its page shows the progress, then the result.
      const job = await c.get('deps').hub.employees.startImport(currentUser(c).id, bytes, {
        encoding: form.data.encoding,
        onlyValidRows: form.data.onlyValidRows === '1',
      });
      return c.redirect(`/employees/import/${job.id}`, 303);
    } catch (error) {
      if (!isHubError(error, 'conflict')) throw error;
      return c.html(csvImportPage(await chrome(c), { errors: { _form: error.message } }), 409);
    }
  })
  .get('/employees/import/:id', requireAdmin, async (c) => {
    const job = await c.get('deps').hub.employees.importJob(currentUser(c).id, c.req.param('id'));
    if (!job) return c.html(notFoundPage(await chrome(c)), 404);
    const failed = job.result !== null && job.result.errors.length > 0;
    return c.html(csvImportPage(await chrome(c), { errors: {}, job }), failed ? 422 : 200);
  })
  // The progress page's live panel: the session and the admin are checked once, as the stream
  // opens; the hub then follows the job in memory, so 書き込み中 arrives while the publish holds
  // PGlite's one connection. Each snapshot is a `progress` event, the finished job the one `end`.
  // Ends with the job, on client abort (also one before the stream opened), or on shutdown.
  .get('/employees/import/:id/events', requireAdmin, async (c) => {
    const { hub, shutdown } = c.get('deps');
    const abort = new AbortController();
    const signal = AbortSignal.any([abort.signal, c.req.raw.signal, ...(shutdown ? [shutdown] : [])]);
    const follower = hub.employees
      .followImport(currentUser(c).id, c.req.param('id'), { signal })
      [Symbol.asyncIterator]();
    const first = await follower.next();
    if (first.done) return c.text('not found', 404);
    return streamSSE(c, async (stream) => {
      stream.onAbort(() => abort.abort());
      const send = (job: ImportJob) =>
        stream.writeSSE({
          event: job.status === 'running' ? 'progress' : 'end',
          data: JSON.stringify(importProgressPayload(job)),
        });
      try {
        await send(first.value);
        for await (const job of { [Symbol.asyncIterator]: () => follower }) await send(job);
      } finally {
        abort.abort();
        // Ends the follower even when the first write failed, before the loop took it over.
        await follower.return?.();
      }
    });
  })
  .get('/employees/import/:id/errors.csv', requireAdmin, async (c) => {
    const job = await c.get('deps').hub.employees.importJob(currentUser(c).id, c.req.param('id'));
    if (!job?.result) return c.html(notFoundPage(await chrome(c)), 404);
    return c.body(new Uint8Array(formatImportErrorsCsv(job.result.errors)), 200, {
      'content-type': 'text/csv; charset=UTF-8',
      'content-disposition': `attachment; filename="import-errors-${job.id}.csv"`,
    });
  })
  .get('/employees/:code', async (c) => {
    const record = await c.get('deps').hub.employees.get(c.req.param('code'));
    if (!record) return c.html(notFoundPage(await chrome(c)), 404);
    return c.html(employeeDetailPage(await chrome(c), { record, canEdit: isAdmin(c) }));
  })
  .get('/employees/:code/edit', requireAdmin, async (c) => {
    const record = await c.get('deps').hub.employees.get(c.req.param('code'));
    if (!record) return c.html(notFoundPage(await chrome(c)), 404);
    const { employee } = record;
    return c.html(
      employeeEditPage(await chrome(c), {
        employeeCode: employee.employeeCode,
        values: employeeFormValues(employee),
        errors: {},
      }),
    );
  })
  .post('/employees/:code', requireAdmin, async (c) => {
    const code = c.req.param('code');
    const { hub } = c.get('deps');
    const record = await hub.employees.get(code);
    if (!record) return c.html(notFoundPage(await chrome(c)), 404);
    const form = validateForm(EmployeeForm, await readForm(c));
    if (!form.ok) {
      return c.html(
        employeeEditPage(await chrome(c), { employeeCode: code, values: form.values, errors: form.errors }),
        400,
      );
    }
    try {
      await hub.employees.update(currentUser(c).id, code, patchFrom(form.data, record.employee));
    } catch (error) {
      if (!isHubError(error, 'validation')) throw error;
      const errors: FormErrors = {};
      for (const issue of error.issues)
        errors[issue.field === 'record' ? '_form' : issue.field] ??= issue.message;
      errors._form ??= error.message;
      const values = Object.fromEntries(Object.entries(form.data).map(([key, value]) => [key, value ?? '']));
      return c.html(employeeEditPage(await chrome(c), { employeeCode: code, values, errors }), 400);
    }
    setFlash(c, { kind: 'success', message: `社員番号 ${code} を保存しました。` });
    return c.redirect(employeeHref(code));
  });
