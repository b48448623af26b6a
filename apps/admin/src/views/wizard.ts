import {
  type DataArea,
  type DataAreaChoice,
  type FieldKey,
  fieldLabel,
  formatFieldValue,
  PLAN_STATUS_LABELS,
  type PlanEntry,
  type PlanStatus,
  type PlanSummary,
} from '@renkei/core';
import type { DirectionPolicy } from '@renkei/hub';
import { canSeeField, type Role, visibleFieldText } from '@renkei/hub';
import { policySummary } from './automation.ts';
import {
  choiceField,
  type Direction,
  directionLabel,
  errorSummary,
  field,
  pageCount,
  planBadge,
} from './components.ts';
import { type Html, html, when } from './html.ts';
import { csrfInput, type PageChrome, page, pageTitle } from './layout.ts';

export interface WizardContext {
  connection: { id: string; displayName: string };
  direction: Direction;
  hasDataAreas: boolean;
}

const STEPS = ['データ領域', '従業員を選択', '確認', '同期'] as const;

function steps(current: number, hasDataAreas: boolean): Html {
  const shown = hasDataAreas ? STEPS : STEPS.slice(1);
  const offset = hasDataAreas ? 0 : 1;
  return html`<ol class="steps">
    ${shown.map(
      (label, index) =>
        html`<li ${index + offset === current ? html`aria-current="step"` : ''}>${index + 1}. ${label}</li>`,
    )}
  </ol>`;
}

function heading(context: WizardContext, current: number): Html {
  const { connection, direction } = context;
  return html`<div class="breadcrumbs">
      <a href="/connections">連携ダッシュボード</a> / <a href="/connections/${connection.id}">${connection.displayName}</a> / 同期
    </div>
    <h1>${directionLabel(direction, connection.displayName)}</h1>
    ${steps(current, context.hasDataAreas)}`;
}

export interface AreaStepProps extends WizardContext {
  /** The areas in the order to show them (newest 処理年度 first), each marked when 前年度以前. */
  areas: readonly DataAreaChoice[];
  /** The area ticked: the admin's own choice, else the current 処理年度. */
  selected?: string | undefined;
  /** The admin already confirmed choosing a 前年度以前 area (kept when the page is shown again). */
  olderConfirmed?: boolean;
  error?: string | undefined;
  /** Exports: 在籍者のみ and its 情報取得基準日 (today in Japan unless the admin changed it). */
  employment?: EmploymentChoice | undefined;
  /** What is wrong with the 情報取得基準日 submitted (shown at the field and in the summary). */
  basisDateError?: string | undefined;
}

export interface EmploymentChoice {
  activeOnly: boolean;
  basisDate: string;
}

/** 在籍者のみ (on by default) and 情報取得基準日: who is written to the external system. */
function employmentFieldset(choice: EmploymentChoice, basisDateError: string | undefined): Html {
  return html`<fieldset class="field" data-testid="employment-filter">
    <legend>対象の従業員</legend>
    <label class="choice">
      <input type="checkbox" name="activeOnly" value="1" ${choice.activeOnly ? html`checked` : ''} />
      <span class="choice-text">
        <strong>在籍者のみ</strong>
        <span class="help">情報取得基準日に在籍している従業員だけを比較します。退職者を連携する場合はチェックを外し、一覧で個別に選んでください（退職者は退職として登録され、在籍者として登録されることはありません）。</span>
      </span>
    </label>
    ${field({
      name: 'basisDate',
      label: '情報取得基準日',
      type: 'date',
      value: choice.basisDate,
      help: '空欄の場合は今日（日本時間）の日付で比較します。',
      error: basisDateError,
    })}
  </fieldset>`;
}

/** An area's description, with its id unless the description already names it. */
const areaDetail = (area: DataArea): string =>
  !area.description
    ? area.id
    : area.description.includes(area.id)
      ? area.description
      : `${area.description} / ${area.id}`;

/**
 * Step 1: the データ領域 (only where the connector has areas; otherwise a single start button). The
 * current 処理年度 is preselected; a 前年度以前 area needs the extra tick below the list.
 */
export function areaStepPage(chrome: PageChrome, props: AreaStepProps): Html {
  const action = `/connections/${props.connection.id}/sync/${props.direction}`;
  const anyOlder = props.areas.some((choice) => choice.older);
  return page(
    pageTitle('同期を開始', props.connection.displayName),
    { ...chrome, section: 'connections' },
    html`${heading(props, props.hasDataAreas ? 0 : 1)}
      <div class="panel">
        ${errorSummary(
          {
            dataArea: props.areas.length > 0 ? (props.error ?? '') : '',
            basisDate: props.basisDateError ?? '',
          },
          ['dataArea', 'basisDate'],
        )}
        <form method="post" action="${action}" class="stack" novalidate data-area-step="${props.connection.id}:${props.direction}">
          ${csrfInput(chrome.csrfToken)}
          ${
            props.hasDataAreas
              ? html`${choiceField({
                  name: 'dataArea',
                  label: 'データ領域（処理年度）を選択してください',
                  error: props.error,
                  choices: props.areas.map(({ area, older }) => ({
                    value: area.id,
                    label: html`<strong>${area.name}</strong>${older ? html` <span class="badge badge-neutral" data-testid="older-area">前年度以前</span>` : ''}<span class="help">${areaDetail(area)}</span>`,
                    checked: area.id === props.selected,
                  })),
                })}
                ${when(
                  anyOlder,
                  () => html`<label class="choice confirm-older">
                    <input type="checkbox" name="confirmOlder" value="1" ${props.olderConfirmed ? html`checked` : ''} />
                    <span class="choice-text">前年度以前のデータ領域を使います（年次更新の前の年度に${props.direction === 'export' ? '書き込みます' : 'あるデータを読み込みます'}）</span>
                  </label>`,
                )}`
              : html`<p>連携先と従業員リストを比較して、差分を確認します。</p>
                ${when(props.error, () => html`<div class="flash error" role="alert" data-error-for="dataArea">${props.error}</div>`)}`
          }
          ${when(props.direction === 'export' && props.employment, () => employmentFieldset(props.employment as EmploymentChoice, props.basisDateError))}
          <div class="actions">
            <button type="submit" class="primary">差分を確認する ›</button>
            <a class="button" href="/connections/${props.connection.id}">キャンセル</a>
          </div>
        </form>
      </div>`,
  );
}

/** What is selected: explicit 社員番号, or every selectable entry matching a filter. */
export interface SelectionState {
  codes: readonly string[];
  all: boolean;
  status?: PlanStatus | undefined;
  search: string;
}

/** The selection and filter as query parameters (picker ↔ confirm keep them in the URL). */
export function selectionQuery(selection: SelectionState, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  if (selection.status) params.set('status', selection.status);
  if (selection.search) params.set('search', selection.search);
  if (selection.all) params.set('all', '1');
  else for (const code of selection.codes) params.append('code', code);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return params.toString();
}

export interface PickerProps extends WizardContext {
  previewId: string;
  /** The preview's area, so the picker links back to step 1 with it still chosen. */
  dataArea: string;
  dataAreaName: string;
  /** 在籍者のみ: the 情報取得基準日 and how many HR employees it left out. */
  employmentFilter?: { basisDate: string; excluded: number } | null | undefined;
  /** 連携設定's values given to every new employee (shown where there are 新規登録). */
  newEmployeeDefaults?: readonly { label: string; value: string }[] | null | undefined;
  summary: PlanSummary;
  entries: readonly PlanEntry[];
  /** Entries matching the filter (all pages). */
  total: number;
  /** Of those, the entries that write (差分あり, 新規登録): what select-all takes. */
  writable: number;
  page: number;
  pageSize: number;
  selection: SelectionState;
  error?: string | undefined;
}

const FILTERS: (PlanStatus | '')[] = [
  '',
  'changed',
  'new',
  'identity_mismatch',
  'unchanged',
  'invalid',
  'conflict',
];

/**
 * Statuses select-all takes. 別人の可能性 writes too, but only ticked one by one and confirmed again
 * in 確認 (`DELIBERATE_STATUSES`).
 */
export const SELECT_ALL_STATUSES: readonly PlanStatus[] = ['new', 'changed'];
export const DELIBERATE_STATUSES: readonly PlanStatus[] = ['identity_mismatch'];

/** Step 2: the employee list with badges, filter, search, checkboxes and select-all of the filter. */
export function pickerPage(chrome: PageChrome, props: PickerProps): Html {
  const { selection, summary } = props;
  const base = `/previews/${props.previewId}`;
  const onPage = new Set(props.entries.map((entry) => entry.employeeCode));
  const carried = selection.all ? [] : selection.codes.filter((code) => !onPage.has(code));
  const chosen = new Set(selection.codes);
  // Under select-all the filter decides, not the rows: they show what it takes and cannot be unticked.
  const ticked = (entry: PlanEntry) =>
    entry.selectable &&
    (selection.all ? SELECT_ALL_STATUSES.includes(entry.status) : chosen.has(entry.employeeCode));
  const pages = pageCount(props.total, props.pageSize);
  return page(
    pageTitle('従業員を選択', props.connection.displayName),
    { ...chrome, section: 'connections' },
    html`${heading(props, 1)}
      ${when(
        props.hasDataAreas,
        () => html`<p>データ領域: <strong data-testid="data-area">${props.dataAreaName}</strong>
          <a href="/connections/${props.connection.id}/sync/${props.direction}?${new URLSearchParams({ area: props.dataArea, older: '1' })}">変更</a></p>`,
      )}
      <div class="summary" data-testid="plan-summary">
        ${(['changed', 'new', 'identity_mismatch', 'unchanged', 'invalid', 'conflict'] as const).map(
          (status) =>
            (summary[status] ?? 0) > 0 || status === 'changed' || status === 'new' || status === 'unchanged'
              ? html`<span>${planBadge(status)} ${(summary[status] ?? 0).toLocaleString('ja-JP')} 名</span>`
              : '',
        )}
        ${when(summary.targetOnly > 0, () => html`<span class="muted">連携先のみに存在: ${summary.targetOnly} 名（削除しません）</span>`)}
      </div>
      ${when(
        props.employmentFilter,
        () => html`<p class="muted" data-testid="employment-excluded">
          在籍者のみ（情報取得基準日 ${props.employmentFilter?.basisDate}）: 基準日に在籍していない ${(props.employmentFilter?.excluded ?? 0).toLocaleString('ja-JP')} 名は対象外です。退職者を連携する場合は、在籍者のみのチェックを外して差分を確認し直してください。
        </p>`,
      )}
      ${when(
        summary.new > 0 && props.newEmployeeDefaults?.length,
        () => html`<p class="muted" data-testid="new-employee-defaults">
          新規登録する従業員には連携設定の既定値を設定します: ${(props.newEmployeeDefaults ?? []).map((entry) => `${entry.label}「${entry.value}」`).join('、')}
        </p>`,
      )}
      ${when(props.error, () => html`<div class="flash error" role="alert">${props.error}</div>`)}
      <form method="get" action="${base}" id="picker">
        ${when(selection.all, () => html`<input type="hidden" name="all" value="1" />`)}
        <div class="toolbar">
          <div class="field">
            <label for="f-status">状態</label>
            <select id="f-status" name="status">
              ${FILTERS.map(
                (
                  status,
                ) => html`<option value="${status}" ${(selection.status ?? '') === status ? html`selected` : ''}>
                  ${status ? PLAN_STATUS_LABELS[status] : 'すべて'}
                </option>`,
              )}
            </select>
          </div>
          <div class="field">
            <label for="f-search">社員番号・氏名で検索</label>
            <input id="f-search" type="search" name="search" value="${selection.search}" />
          </div>
          <button type="submit">絞り込む</button>
        </div>
        ${carried.map((code) => html`<input type="hidden" name="code" value="${code}" />`)}
        ${when(
          selection.all,
          () => html`<p data-testid="select-all-on">
            絞り込み条件に一致する同期対象（差分あり・新規登録）${props.writable.toLocaleString('ja-JP')} 名をすべて選択中のため、個別には選べません。
            <a href="${base}?${selectionQuery({ ...selection, all: false, codes: [] })}">選択を解除</a>
          </p>`,
        )}
        <div class="table-wrap">
          <table data-testid="picker-table">
            <caption class="visually-hidden">同期する従業員の選択</caption>
            <thead>
              <tr>
                <th scope="col"><span class="visually-hidden">選択</span>${selection.all ? '' : html`<input type="checkbox" data-select-page aria-label="このページをすべて選択" hidden />`}</th>
                <th scope="col">社員番号</th><th scope="col">氏名</th><th scope="col">状態</th><th scope="col">差分（連携先の値 → 書き込む値）</th>
              </tr>
            </thead>
            <tbody>
              ${
                props.entries.length === 0
                  ? html`<tr><td colspan="5" class="muted">該当する従業員はいません。</td></tr>`
                  : props.entries.map(
                      (entry) => html`<tr data-employee-code="${entry.employeeCode}">
                      <td>
                        <input type="checkbox" name="code" value="${entry.employeeCode}"
                          aria-label="${entry.employeeCode} を選択"
                          ${DELIBERATE_STATUSES.includes(entry.status) ? html`data-deliberate` : ''}
                          ${entry.selectable && !selection.all ? '' : html`disabled`}
                          ${ticked(entry) ? html`checked` : ''} />
                      </td>
                      <td class="mono">${entry.employeeCode}</td>
                      <td>${entry.name ?? '—'}</td>
                      <td>${planBadge(entry.status)}</td>
                      <td>${entryDetail(entry, chrome.viewer.role)}</td>
                    </tr>`,
                    )
              }
            </tbody>
          </table>
        </div>
        <nav class="pager" aria-label="ページ送り">
          ${props.page > 1 ? html`<button type="submit" name="page" value="${props.page - 1}">← 前へ</button>` : ''}
          <span>${props.total.toLocaleString('ja-JP')} 件中 ${props.page} / ${pages} ページ</span>
          ${props.page < pages ? html`<button type="submit" name="page" value="${props.page + 1}">次へ →</button>` : ''}
        </nav>
        <div class="selection-bar actions">
          ${when(
            !selection.all && props.writable > 0,
            () => html`<button type="submit" name="all" value="1" data-testid="select-all-filter">
              絞り込み条件に一致する同期対象（差分あり・新規登録）${props.writable.toLocaleString('ja-JP')} 名をすべて選択
            </button>`,
          )}
          <span class="spacer"></span>
          ${when(
            !selection.all,
            () => html`<span class="muted" data-testid="selected-count" data-carried="${carried.length}"
              >選択中: ${selection.codes.length} 名</span
            >`,
          )}
          <button type="submit" class="primary" formaction="${base}/confirm" id="confirm-opener">確認へ進む ›</button>
        </div>
      </form>`,
  );
}

/** A row's detail: issues, or the values it would change, old → new as 確認 shows them. */
function entryDetail(entry: PlanEntry, role: Role): Html | string {
  if (entry.status === 'invalid' || entry.status === 'conflict') {
    return html`<ul class="change-list">
      ${entry.issues.map((issue) => html`<li><span class="label">${fieldLabel(issue.field)}</span><span class="error">${issue.message}</span></li>`)}
    </ul>`;
  }
  if (entry.status === 'identity_mismatch')
    return html`${identityComparison(entry)}${changeList(entry, role)}`;
  if (entry.status === 'changed') return changeList(entry, role);
  return '';
}

/**
 * Both people of a 別人の可能性 entry side by side: what HR says and what the target holds under the
 * same 社員番号 (連携元 / 連携先 by the run's direction).
 */
export function identityComparison(entry: Pick<PlanEntry, 'identity'>): Html | string {
  if (!entry.identity) return '';
  const row = (label: string, key: 'name' | 'kana' | 'birthDate') => {
    const show = (value: string | undefined) =>
      value === undefined ? '—' : key === 'birthDate' ? formatFieldValue('birthDate', value) : value;
    return html`<tr><th scope="row">${label}</th><td>${show(entry.identity?.source[key])}</td><td>${show(entry.identity?.target[key])}</td></tr>`;
  };
  return html`<table class="identity-compare" data-testid="identity-compare">
    <caption>同じ社員番号の別人の可能性があります。書き込むと連携先の人の情報が上書きされます。</caption>
    <thead><tr><th scope="col"></th><th scope="col">連携元</th><th scope="col">連携先（上書きされる人）</th></tr></thead>
    <tbody>${row('氏名', 'name')}${row('フリガナ', 'kana')}${row('生年月日', 'birthDate')}</tbody>
  </table>`;
}

/** The changes as `role` may read them (for members 住所 and 生年月日 left out, 口座 masked). */
export function changeList(entry: Pick<PlanEntry, 'status' | 'changes'>, role: Role): Html {
  const text = (field: FieldKey, value: unknown) => visibleFieldText(role, field, value) ?? '';
  return html`<ul class="change-list">
    ${entry.changes
      .filter((change) => canSeeField(role, change.field))
      .map(
        (change) => html`<li data-field="${change.field}">
        <span class="label">${fieldLabel(change.field)}</span>
        <span>
          ${
            entry.status === 'new'
              ? html`<span class="after">${text(change.field, change.after)}</span>`
              : html`<span class="before">${text(change.field, change.before)}</span><span class="arrow">→</span><span class="after">${text(change.field, change.after)}</span>`
          }
        </span>
      </li>`,
      )}
  </ul>`;
}

export interface ConfirmProps extends WizardContext {
  previewId: string;
  dataAreaName: string;
  selection: SelectionState;
  entries: readonly PlanEntry[];
  /** 別人の可能性 entries selected: listed on every page, each to be confirmed again. */
  mismatches: readonly PlanEntry[];
  /** Employees that will be written (all pages), 別人の可能性 included. */
  total: number;
  counts: { new: number; changed: number; identity_mismatch: number };
  /** ビジネスネーム優先: the preview compared and writes the ビジネスネーム as 姓/名 where set. */
  businessName?: boolean | undefined;
  /** Selected 差分なし employees: nothing to write, so the run leaves them out. */
  unchanged: number;
  /** The 同期ルール the preview was made under (null for previews made before rules existed). */
  policy?: DirectionPolicy | null | undefined;
  page: number;
  pageSize: number;
}

/** Step 3: exactly what will be written, per employee and field; [同期] starts the run. */
export function confirmPage(chrome: PageChrome, props: ConfirmProps): Html {
  const base = `/previews/${props.previewId}`;
  const pages = pageCount(props.total, props.pageSize);
  const query = (extra: Record<string, string> = {}) => selectionQuery(props.selection, extra);
  // Back to the picker, where focus returns to 確認へ進む (the button that opened this dialog).
  const back = `${base}?${query()}#confirm-opener`;
  return page(
    pageTitle('同期内容の確認', props.connection.displayName),
    { ...chrome, section: 'connections' },
    html`${heading(props, 2)}
      <div class="dialog-backdrop"></div>
      <dialog open class="confirm" aria-labelledby="confirm-title" data-testid="confirm-dialog"
        data-modal data-cancel-href="${back}">
        <header>
          <h2 id="confirm-title" tabindex="-1" autofocus>同期内容の確認</h2>
          <p>
            ${directionLabel(props.direction, props.connection.displayName)}${props.hasDataAreas ? ` ／ データ領域: ${props.dataAreaName}` : ''}<br />
            <strong data-testid="confirm-total">${props.total.toLocaleString('ja-JP')} 名</strong>（新規登録 ${props.counts.new} 名、差分あり ${props.counts.changed} 名${props.counts.identity_mismatch > 0 ? `、別人の可能性 ${props.counts.identity_mismatch} 名` : ''}）に次の内容を書き込みます。
            ${when(props.businessName, () => html`<br /><span data-testid="confirm-business-name">ビジネスネーム優先: ビジネスネームが登録されている従業員は、姓・名にビジネスネームを書き込みます（連携設定）。</span>`)}
            ${when(props.unchanged > 0, () => html`<br /><span class="muted" data-testid="confirm-unchanged">選択した差分なしの ${props.unchanged} 名は、書き込む内容がないため同期しません。</span>`)}
          </p>
          <details data-testid="confirm-policy"><summary>同期ルール</summary>${policySummary(props.policy)}</details>
        </header>
        <div class="body" tabindex="0" role="region" aria-label="書き込む内容">
          ${props.total === 0 ? html`<p class="muted">書き込む内容はありません。従業員を選択してください。</p>` : ''}
          ${props.mismatches.map(
            (
              entry,
            ) => html`<section class="employee-block mismatch-block" data-employee-code="${entry.employeeCode}">
              <h3>${planBadge(entry.status)} <span class="mono">${entry.employeeCode}</span> ${entry.name ?? ''}</h3>
              ${identityComparison(entry)}
              ${changeList(entry, chrome.viewer.role)}
              <label class="choice confirm-mismatch">
                <input type="checkbox" name="confirmMismatch" value="${entry.employeeCode}" form="run-form" required />
                <span class="choice-text">社員番号 ${entry.employeeCode} は同じ人です。連携先の登録内容を上書きします。</span>
              </label>
            </section>`,
          )}
          ${props.entries.map(
            (entry) => html`<section class="employee-block" data-employee-code="${entry.employeeCode}">
              <h3>${planBadge(entry.status)} <span class="mono">${entry.employeeCode}</span> ${entry.name ?? ''}</h3>
              ${changeList(entry, chrome.viewer.role)}
            </section>`,
          )}
          ${when(
            pages > 1,
            () => html`<nav class="pager" aria-label="ページ送り">
              ${props.page > 1 ? html`<a href="${base}/confirm?${query({ page: String(props.page - 1) })}">← 前へ</a>` : ''}
              <span>${props.page} / ${pages} ページ</span>
              ${props.page < pages ? html`<a href="${base}/confirm?${query({ page: String(props.page + 1) })}">次へ →</a>` : ''}
            </nav>`,
          )}
        </div>
        <footer>
          <a class="button" href="${back}">戻る</a>
          <form method="post" action="${base}/runs" id="run-form">
            ${csrfInput(chrome.csrfToken)}
            ${when(props.selection.all, () => html`<input type="hidden" name="all" value="1" />`)}
            ${when(props.selection.all && props.selection.status, () => html`<input type="hidden" name="status" value="${props.selection.status}" />`)}
            ${when(props.selection.all && props.selection.search, () => html`<input type="hidden" name="search" value="${props.selection.search}" />`)}
            ${props.selection.all ? '' : props.selection.codes.map((code) => html`<input type="hidden" name="code" value="${code}" />`)}
            <button type="submit" class="primary" ${props.total === 0 ? html`disabled` : ''}>同期</button>
          </form>
        </footer>
      </dialog>`,
  );
}
