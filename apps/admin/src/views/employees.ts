import {
  EMPLOYEE_CODE_LABEL,
  type Employee,
  FIELD_KEYS,
  fieldLabel,
  formatFieldValue,
  normaliseEmploymentStatus,
  normaliseGender,
} from '@renkei/core';
import { canExportEmployees, canSeeField, type ImportJob, visibleFieldText } from '@renkei/hub';
import type { FormErrors, FormValues } from '../http/forms.ts';
import { errorSummary, field, formatDateTime, pager } from './components.ts';
import { type Html, html, when } from './html.ts';
import { fileUnreadable, importProgress } from './import-progress.ts';
import { csrfInput, type PageChrome, page } from './layout.ts';

export interface EmployeeRecordView {
  employee: Employee;
  updatedAt: Date | string;
}

export interface EmployeeListProps {
  search: string;
  page: number;
  pageSize: number;
  total: number;
  items: readonly EmployeeRecordView[];
  canEdit: boolean;
}

const fullName = (employee: Employee): string =>
  [employee.lastName, employee.firstName].filter(Boolean).join(' ') || '—';
const fullKana = (employee: Employee): string =>
  [employee.lastNameKana, employee.firstNameKana].filter(Boolean).join(' ') || '—';

export const employeeHref = (code: string): string => `/employees/${encodeURIComponent(code)}`;

export function employeeListPage(chrome: PageChrome, props: EmployeeListProps): Html {
  const query = (p: number) => `/employees?${new URLSearchParams({ search: props.search, page: String(p) })}`;
  return page(
    '従業員リスト',
    { ...chrome, section: 'employees' },
    html`<h1>従業員リスト</h1>
      <form method="get" action="/employees" class="toolbar" role="search">
        <div class="field">
          <label for="f-search">社員番号・氏名・フリガナで検索</label>
          <input id="f-search" type="search" name="search" value="${props.search}" />
        </div>
        <button type="submit">検索</button>
        <span class="spacer"></span>
        ${when(
          canExportEmployees(chrome.viewer.role),
          () => html`<a class="button" href="/employees/export.csv?encoding=utf-8">CSV出力（UTF-8）</a>
            <a class="button" href="/employees/export.csv?encoding=shift_jis">CSV出力（Shift_JIS）</a>`,
        )}
        ${when(props.canEdit, () => html`<a class="button" href="/employees/import">CSV取り込み</a>`)}
      </form>
      <div class="table-wrap">
        <table data-testid="employee-table">
          <caption class="visually-hidden">従業員</caption>
          <thead>
            <tr>
              <th scope="col">社員番号</th><th scope="col">氏名</th><th scope="col">フリガナ</th><th scope="col">部署</th><th scope="col">役職</th><th scope="col">在籍状況</th><th scope="col">更新日時</th>
            </tr>
          </thead>
          <tbody>
            ${
              props.items.length === 0
                ? html`<tr><td colspan="7" class="muted">該当する従業員はいません。</td></tr>`
                : props.items.map(
                    ({ employee, updatedAt }) => html`<tr data-employee-code="${employee.employeeCode}">
                    <td><a href="${employeeHref(employee.employeeCode)}" class="mono">${employee.employeeCode}</a></td>
                    <td>${fullName(employee)}</td>
                    <td>${fullKana(employee)}</td>
                    <td>${formatFieldValue('department', employee.department)}</td>
                    <td>${formatFieldValue('jobTitle', employee.jobTitle)}</td>
                    <td>${formatFieldValue('status', employee.status)}</td>
                    <td>${formatDateTime(updatedAt)}</td>
                  </tr>`,
                  )
            }
          </tbody>
        </table>
      </div>
      ${pager({ page: props.page, pageSize: props.pageSize, total: props.total, href: query })}`,
  );
}

export interface EmployeeDetailProps {
  record: EmployeeRecordView & { createdAt: Date | string };
  canEdit: boolean;
}

export function employeeDetailPage(chrome: PageChrome, { record, canEdit }: EmployeeDetailProps): Html {
  const { employee } = record;
  return page(
    `${fullName(employee)}（${employee.employeeCode}）`,
    { ...chrome, section: 'employees' },
    html`<div class="breadcrumbs"><a href="/employees">従業員リスト</a> / ${employee.employeeCode}</div>
      <h1>${fullName(employee)}</h1>
      <div class="panel">
        <dl class="detail" data-testid="employee-detail">
          <dt>${EMPLOYEE_CODE_LABEL}</dt><dd class="mono" data-field="employeeCode">${employee.employeeCode}</dd>
          ${FIELD_KEYS.filter((key) => canSeeField(chrome.viewer.role, key)).map(
            (key) =>
              html`<dt>${fieldLabel(key)}</dt><dd data-field="${key}">${visibleFieldText(chrome.viewer.role, key, employee[key])}</dd>`,
          )}
          <dt>登録日時</dt><dd>${formatDateTime(record.createdAt)}</dd>
          <dt>更新日時</dt><dd>${formatDateTime(record.updatedAt)}</dd>
        </dl>
      </div>
      ${when(canEdit, () => html`<a class="button primary" href="${employeeHref(employee.employeeCode)}/edit">編集</a>`)}`,
  );
}

/** The scalar fields the edit form offers (organisation entries by name). */
export const EDITABLE_TEXT_FIELDS = [
  'lastName',
  'firstName',
  'lastNameKana',
  'firstNameKana',
  'businessLastName',
  'businessFirstName',
  'businessLastNameKana',
  'businessFirstNameKana',
  'email',
  'phone',
  'department',
  'jobTitle',
  'employmentType',
] as const;
export const EDITABLE_DATE_FIELDS = ['birthDate', 'hireDate', 'retireDate'] as const;

export interface EmployeeEditProps {
  employeeCode: string;
  values: FormValues;
  errors: FormErrors;
}

/** The form's values for an employee (organisation entries as their names). */
export function employeeFormValues(employee: Employee): FormValues {
  const values: FormValues = {};
  for (const key of [...EDITABLE_TEXT_FIELDS, ...EDITABLE_DATE_FIELDS, 'gender', 'status'] as const) {
    const value = employee[key];
    if (value === undefined) continue;
    values[key] = typeof value === 'object' ? value.name : value;
  }
  return values;
}

function selectField(
  name: 'gender' | 'status',
  labels: Record<string, string>,
  props: EmployeeEditProps,
): Html {
  return field({
    name,
    label: fieldLabel(name),
    value: props.values[name],
    error: props.errors[name],
    options: [
      { value: '', label: '（未設定）' },
      ...Object.entries(labels).map(([value, label]) => ({ value, label })),
    ],
  });
}

/** The edit form's fields, top to bottom (the error summary lists them in this order). */
const EDIT_FORM_ORDER = [...EDITABLE_TEXT_FIELDS, ...EDITABLE_DATE_FIELDS, 'gender', 'status'];

export function employeeEditPage(chrome: PageChrome, props: EmployeeEditProps): Html {
  const href = employeeHref(props.employeeCode);
  return page(
    `${props.employeeCode} を編集`,
    { ...chrome, section: 'employees' },
    html`<div class="breadcrumbs"><a href="/employees">従業員リスト</a> / <a href="${href}">${props.employeeCode}</a> / 編集</div>
      <h1>従業員を編集（社員番号 ${props.employeeCode}）</h1>
      <div class="panel">
        ${when(props.errors._form, () => html`<div class="flash error" role="alert">${props.errors._form}</div>`)}
        ${errorSummary(props.errors, EDIT_FORM_ORDER)}
        <form method="post" action="${href}" class="stack" novalidate>
          ${csrfInput(chrome.csrfToken)}
          ${EDITABLE_TEXT_FIELDS.map((name) =>
            field({
              name,
              label: fieldLabel(name),
              value: props.values[name],
              error: props.errors[name],
              type: name === 'email' ? 'email' : 'text',
              required: name === 'lastName' || name === 'firstName',
            }),
          )}
          ${EDITABLE_DATE_FIELDS.map((name) =>
            field({
              name,
              label: fieldLabel(name),
              value: props.values[name],
              error: props.errors[name],
              placeholder: 'YYYY-MM-DD',
            }),
          )}
          ${selectField('gender', normaliseGender.labels, props)} ${selectField('status', normaliseEmploymentStatus.labels, props)}
          <div class="actions">
            <button type="submit" class="primary">保存</button>
            <a class="button" href="${href}">キャンセル</a>
          </div>
        </form>
      </div>`,
  );
}

export interface CsvImportProps {
  errors: FormErrors;
  job?: ImportJob;
}

/** Errors listed on the page; the whole report is a download. */
export const IMPORT_ERRORS_SHOWN = 100;

/**
 * What the import ended with, under its own heading. The panel takes focus on load (app.js,
 * `data-focus-on-load`), so a screen reader reads it — a role="alert" already in the page at load
 * is not spoken — and the flash carries no live role of its own (it would be said twice).
 */
function importResult(job: ImportJob): Html {
  const result = job.result;
  const n = (value: number) => value.toLocaleString('ja-JP');
  const panel = (
    body: Html,
  ) => html`<div class="panel" data-testid="import-result" tabindex="-1" data-focus-on-load>
    <h2>取り込み結果</h2>
    ${body}
  </div>`;
  if (job.status === 'failed' || !result) {
    return panel(html`<div class="flash error">
      取り込み中にエラーが発生したため、取り込みませんでした。時間をおいてもう一度お試しください。
    </div>`);
  }
  if (result.errors.length === 0) {
    // The hub counts the new and the changed employees; the rest of the rows matched as they were.
    const unchanged = result.imported - result.created - result.updated;
    return panel(html`<div class="flash success">
      ${n(result.imported)} 件を取り込みました（新規 ${n(result.created)} 件、更新 ${n(result.updated)} 件${unchanged > 0 ? `、変更なし ${n(unchanged)} 件` : ''}）。
    </div>`);
  }
  const shown = result.errors.slice(0, IMPORT_ERRORS_SHOWN);
  const unreadable = fileUnreadable(result);
  return panel(html`<div class="flash error">
      ${
        unreadable
          ? 'CSVファイルを読み取れませんでした。見出し行が従業員リストのCSV出力と同じか、文字コードを確認してください。'
          : result.imported === 0
            ? 'エラーのある行があるため、取り込みませんでした。修正してもう一度取り込むか、「エラーのない行だけ取り込む」を選んでください。'
            : `エラーのない ${n(result.imported)} 行を取り込みました。次の行は取り込んでいません。`
      }
    </div>
    <p>
      エラー ${n(result.errors.length)} 件${result.errors.length > shown.length ? `（最初の ${shown.length} 件を表示）` : ''}
      <a class="button" href="/employees/import/${job.id}/errors.csv" data-testid="import-errors-download">エラー一覧をCSVでダウンロード</a>
    </p>
    <div class="table-wrap">
      <table>
        <caption>${unreadable ? 'CSVファイルの問題' : '取り込まなかった行'}</caption>
        <thead><tr><th scope="col" class="num">行</th><th scope="col">項目</th><th scope="col">エラー</th></tr></thead>
        <tbody>
          ${shown.map((error) => html`<tr><td class="num">${error.row}</td><td>${error.label}</td><td>${error.message}</td></tr>`)}
        </tbody>
      </table>
    </div>`);
}

export function csvImportPage(chrome: PageChrome, props: CsvImportProps): Html {
  const job = props.job;
  return page(
    'CSV取り込み',
    { ...chrome, section: 'employees' },
    html`<div class="breadcrumbs"><a href="/employees">従業員リスト</a> / CSV取り込み</div>
      <h1>CSV取り込み</h1>
      ${when(
        props.errors._form,
        // Focused on load (app.js), like the result: a 409 (another import runs) is read at once.
        () =>
          html`<div class="flash error" role="alert" tabindex="-1" data-focus-on-load data-testid="import-form-error">${props.errors._form}</div>`,
      )}
      ${job ? (job.status === 'running' ? importProgress(job) : importResult(job)) : ''}
      <div class="panel">
        <h2>${job ? '別のCSVを取り込む' : 'CSVファイルを取り込む'}</h2>
        ${errorSummary(props.errors, ['file', 'encoding'])}
        <form method="post" action="/employees/import" enctype="multipart/form-data" class="stack" novalidate>
          ${csrfInput(chrome.csrfToken)}
          ${field({
            name: 'file',
            label: 'CSVファイル',
            type: 'file',
            accept: '.csv,text/csv',
            error: props.errors.file,
            help: '1行目は見出し行（従業員リストのCSV出力と同じ列）です。',
          })}
          ${field({
            name: 'encoding',
            label: '文字コード',
            error: props.errors.encoding,
            options: [
              { value: 'auto', label: '自動判定（UTF-8 / Shift_JIS）' },
              { value: 'utf-8', label: 'UTF-8' },
              { value: 'shift_jis', label: 'Shift_JIS' },
            ],
          })}
          <label><input type="checkbox" name="onlyValidRows" value="1" /> エラーのない行だけ取り込む</label>
          <div class="actions"><button type="submit" class="primary">取り込む</button></div>
        </form>
      </div>`,
  );
}
