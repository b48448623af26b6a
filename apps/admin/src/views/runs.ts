import {
  OUTCOME_TALLY,
  type Role,
  type RunItem,
  type RunOutcome,
  type RunTally,
  STALE_REASON,
} from '@renkei/hub';
import { policySummary } from './automation.ts';
import {
  directionLabel,
  formatDateTime,
  outcomeBadge,
  pager,
  RUN_TALLIES,
  RUN_TALLY_LABELS,
  runTallies,
} from './components.ts';
import { type Html, html, when } from './html.ts';
import { csrfInput, type PageChrome, page, pageTitle } from './layout.ts';
import { isActive, noScriptReload, type RunView, runProgress } from './runs-common.ts';
import { changeList } from './wizard.ts';

export interface RunDetailProps {
  run: RunView;
  connection: { id: string; displayName: string };
  /** Absent where the connector has no データ領域. */
  dataAreaName?: string | undefined;
  startedByName: string;
  items: readonly RunItem[];
  outcomeFilter?: RunTally | undefined;
  page: number;
  pageSize: number;
  itemTotal: number;
  /** Admins may retry and cancel. */
  canManage: boolean;
}

const FILTERS: { value: RunTally | ''; label: string }[] = [
  { value: '', label: 'すべて' },
  ...RUN_TALLIES.map((value) => ({ value, label: RUN_TALLY_LABELS[value] })),
];

/** The outcomes a tally filter shows (失敗 includes employees not written because the target moved). */
export function tallyOutcomes(tally: RunTally): RunOutcome[] {
  return (Object.keys(OUTCOME_TALLY) as (keyof typeof OUTCOME_TALLY)[]).filter(
    (outcome) => OUTCOME_TALLY[outcome] === tally,
  );
}

function itemDetail(item: RunItem, role: Role): Html | string {
  if (item.outcome === 'failed' && item.error) {
    return html`<span class="error" data-testid="failure-message">${item.error.message}</span>
      ${when(item.error.attempts, () => html`<span class="muted">（試行 ${item.error?.attempts} 回）</span>`)}`;
  }
  if (item.outcome === 'stale')
    return html`<span class="error" data-testid="stale-message">${item.message ?? STALE_REASON}</span>`;
  if (item.outcome === 'created' || item.outcome === 'updated') {
    return changeList(
      { status: item.outcome === 'created' ? 'new' : 'changed', changes: [...item.changes] },
      role,
    );
  }
  return item.message ? html`<span class="muted" data-testid="item-reason">${item.message}</span>` : '';
}

export function runDetailPage(chrome: PageChrome, props: RunDetailProps): Html {
  const { run, connection } = props;
  const active = isActive(run.status);
  // Retry re-plans the failed and, after a cancel, the not attempted ones.
  const hasRetryable = run.counts.failed + run.counts.ambiguous + run.counts.not_attempted > 0 && !active;
  const hasStale = run.counts.stale > 0 && !active;
  const tallies = runTallies(run.counts);
  const stopping = active && run.cancelRequestedAt !== null;
  const href = (p: number) =>
    `/runs/${run.id}?${new URLSearchParams({ ...(props.outcomeFilter ? { outcome: props.outcomeFilter } : {}), page: String(p) })}`;
  return page(
    pageTitle('同期の詳細', connection.displayName),
    { ...chrome, section: 'connections' },
    html`<div class="breadcrumbs">
        <a href="/connections">連携ダッシュボード</a> / <a href="/connections/${connection.id}">${connection.displayName}</a> / 同期の詳細
      </div>
      <h1>${directionLabel(run.direction, connection.displayName)}</h1>
      ${when(active, () => noScriptReload(href(props.page)))}
      <div class="panel">
        ${runProgress(run, { reloadOnEnd: true })}
        <div class="stats" data-testid="run-tallies">
          ${RUN_TALLIES.filter((tally) => tally !== 'not_attempted' || tallies.not_attempted > 0).map(
            (tally) =>
              html`<div><span class="muted">${RUN_TALLY_LABELS[tally]}</span><strong data-count="${tally}">${tallies[tally]}</strong></div>`,
          )}
        </div>
        <dl class="detail">
          ${when(props.dataAreaName, () => html`<dt>データ領域</dt><dd>${props.dataAreaName}</dd>`)}
          <dt>起動</dt><dd data-testid="run-trigger">${run.trigger === 'manual' ? '手動' : run.trigger === 'schedule' ? '自動（スケジュール）' : '自動（Webhook）'}</dd>
          <dt>実行者</dt><dd>${props.startedByName}</dd>
          <dt>同期ルール</dt><dd>${policySummary(run.policy)}</dd>
          <dt>開始日時</dt><dd>${formatDateTime(run.createdAt)}</dd>
          <dt>終了日時</dt><dd>${formatDateTime(run.finishedAt)}</dd>
          ${when(run.retryOf, () => html`<dt>再同期元</dt><dd><a href="/runs/${run.retryOf}">元の同期</a></dd>`)}
        </dl>
        ${when(
          active && !stopping && props.canManage,
          () => html`<form method="post" action="/runs/${run.id}/cancel" class="actions">
            ${csrfInput(chrome.csrfToken)}
            <button type="submit" class="danger" data-testid="cancel-run">中止</button>
            <span class="muted">書き込み中のバッチが終わったところで止まります。書き込んだ従業員はそのまま残ります。</span>
          </form>`,
        )}
        ${when(stopping, () => html`<p class="actions" role="status" data-testid="cancel-requested">中止しています…</p>`)}
        ${when(
          hasRetryable && props.canManage,
          () => html`<form method="post" action="/runs/${run.id}/retry" class="actions">
            ${csrfInput(chrome.csrfToken)}
            <button type="submit" class="primary">失敗した従業員を再同期</button>
          </form>`,
        )}
        ${when(
          hasStale && props.canManage,
          () => html`<p class="actions">
            <span class="muted">${STALE_REASON}最新の差分を確認してから同期し直してください。</span>
            <a class="button" href="/connections/${connection.id}/sync/${run.direction}">差分を確認し直す</a>
          </p>`,
        )}
      </div>
      <h2>従業員ごとの結果</h2>
      <form method="get" action="/runs/${run.id}" class="toolbar">
        <div class="field">
          <label for="f-outcome">結果</label>
          <select id="f-outcome" name="outcome">
            ${FILTERS.map(
              (filter) =>
                html`<option value="${filter.value}" ${(props.outcomeFilter ?? '') === filter.value ? html`selected` : ''}>${filter.label}</option>`,
            )}
          </select>
        </div>
        <button type="submit">絞り込む</button>
      </form>
      <div class="table-wrap">
        <table data-testid="run-items">
          <caption class="visually-hidden">従業員ごとの結果</caption>
          <thead><tr><th scope="col">社員番号</th><th scope="col">氏名</th><th scope="col">結果</th><th scope="col">内容</th></tr></thead>
          <tbody>
            ${
              props.items.length === 0
                ? html`<tr><td colspan="4" class="muted">該当する従業員はいません。</td></tr>`
                : props.items.map(
                    (item) => html`<tr data-employee-code="${item.employeeCode}">
                    <td class="mono">${item.employeeCode}</td>
                    <td>${item.name ?? '—'}</td>
                    <td>${outcomeBadge(item.outcome)}</td>
                    <td>${itemDetail(item, chrome.viewer.role)}</td>
                  </tr>`,
                  )
            }
          </tbody>
        </table>
      </div>
      ${pager({ page: props.page, pageSize: props.pageSize, total: props.itemTotal, href })}`,
  );
}
