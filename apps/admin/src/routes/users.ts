import { type HubError, isHubError } from '@renkei/hub';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/env.ts';
import { setFlash } from '../http/flash.ts';
import { echoValues, type FormErrors, readForm, validateForm } from '../http/forms.ts';
import { chrome, currentUser, requireAdmin } from '../http/guard.ts';
import { UserFields } from '../http/user-fields.ts';
import { notFoundPage } from '../views/errors.ts';
import { resetPasswordPage, usersPage } from '../views/users.ts';

const Role = z.enum(['admin', 'member']);

const NewUserForm = UserFields.extend({ role: Role.catch('member') });
const RoleForm = z.object({ role: Role });
const PasswordForm = NewUserForm.pick({ password: true });

/** The hub's refusal as form errors: its field issues, else its message for the whole form. */
function hubErrors(error: HubError): FormErrors {
  const errors: FormErrors = {};
  for (const issue of error.issues) errors[String(issue.field)] ??= issue.message;
  if (Object.keys(errors).length === 0) errors._form = error.message;
  return errors;
}

const REFUSED = ['validation', 'conflict', 'not_found', 'forbidden'] as const;
const isRefusal = (error: unknown): error is HubError => REFUSED.some((kind) => isHubError(error, kind));

async function listPage(
  c: Context<AppEnv>,
  extra: { values?: Record<string, string>; errors?: FormErrors } = {},
) {
  return usersPage({
    chrome: await chrome(c),
    users: await c.get('deps').hub.users.list(),
    selfId: currentUser(c).id,
    ...extra,
  });
}

/** Runs one change to a user and returns to the list with what happened (or why not). */
async function change(c: Context<AppEnv>, run: () => Promise<unknown>, done: string) {
  try {
    await run();
    setFlash(c, { kind: 'success', message: done });
  } catch (error) {
    if (!isRefusal(error)) throw error;
    if (error.kind === 'not_found') return c.html(notFoundPage(await chrome(c)), 404);
    setFlash(c, { kind: 'error', message: error.message });
  }
  return c.redirect('/users');
}

/** ユーザー管理 (admins only): add, change role, reset password, deactivate — each audited by the hub. */
export const userRoutes = new Hono<AppEnv>()
  .use('/users', requireAdmin)
  .use('/users/*', requireAdmin)
  .get('/users', async (c) => c.html(await listPage(c)))
  .post('/users', async (c) => {
    const raw = await readForm(c);
    const form = validateForm(NewUserForm, raw);
    if (!form.ok) return c.html(await listPage(c, { values: form.values, errors: form.errors }), 400);
    try {
      const user = await c.get('deps').hub.users.create(currentUser(c).id, form.data);
      setFlash(c, { kind: 'success', message: `${user.name}（${user.email}）を追加しました。` });
      return c.redirect('/users');
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const values = echoValues(raw);
      delete values.password;
      return c.html(
        await listPage(c, { values, errors: hubErrors(error) }),
        error.kind === 'forbidden' ? 403 : 400,
      );
    }
  })
  .post('/users/:id/role', async (c) => {
    const form = validateForm(RoleForm, await readForm(c));
    if (!form.ok) return c.text('権限の指定が正しくありません。', 400);
    const id = c.req.param('id');
    return change(
      c,
      () => c.get('deps').hub.users.update(currentUser(c).id, id, { role: form.data.role }),
      '権限を変更しました。',
    );
  })
  .post('/users/:id/deactivate', (c) =>
    change(
      c,
      () => c.get('deps').hub.users.deactivate(currentUser(c).id, c.req.param('id')),
      'ユーザーを無効にしました。',
    ),
  )
  .post('/users/:id/reactivate', (c) =>
    change(
      c,
      () => c.get('deps').hub.users.reactivate(currentUser(c).id, c.req.param('id')),
      'ユーザーを有効にしました。',
    ),
  )
  .get('/users/:id/password', async (c) => {
    const user = await c.get('deps').hub.users.get(c.req.param('id'));
    if (!user) return c.html(notFoundPage(await chrome(c)), 404);
    return c.html(resetPasswordPage({ chrome: await chrome(c), user }));
  })
  .post('/users/:id/password', async (c) => {
    const user = await c.get('deps').hub.users.get(c.req.param('id'));
    if (!user) return c.html(notFoundPage(await chrome(c)), 404);
    const form = validateForm(PasswordForm, await readForm(c));
    if (!form.ok)
      return c.html(resetPasswordPage({ chrome: await chrome(c), user, errors: form.errors }), 400);
    try {
      await c.get('deps').hub.users.update(currentUser(c).id, user.id, { password: form.data.password });
    } catch (error) {
      if (!isRefusal(error)) throw error;
      return c.html(resetPasswordPage({ chrome: await chrome(c), user, errors: hubErrors(error) }), 400);
    }
    setFlash(c, { kind: 'success', message: `${user.name}のパスワードを再設定しました。` });
    return c.redirect('/users');
  });
