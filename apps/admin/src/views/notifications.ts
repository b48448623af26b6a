import {
  RUN_OUTCOME_LABELS,
  RUN_STATUS_TITLES,
  type RunOutcome,
  type RunStatus,
  runCountsSummary,
  type SuccessNotice,
} from '@renkei/hub';
import { type Direction, directionLabel, formatDateTime, pager } from './components.ts';
import { type Html, html, when } from './html.ts';
import { csrfInput, type PageChrome, page } from './layout.ts';

export interface NotificationView {
  id: string;
  runId: string | null;
  title: string;
  body: string;
  counts: Readonly<Partial<Record<RunOutcome, number>>>;
  failures: readonly { employeeCode: string; message: string; outcome?: RunOutcome | undefined }[];
  readAt: Date | string | null;
  createdAt: Date | string;
}

/** What the inbox says about a notification's run (absent when the run is gone). */
export interface NotificationRun {
  status: RunStatus;
  direction: Direction;
  connectionName: string;
  dataAreaName?: string | undefined;
}

/** The run's summary in the app's own words; the hub's text (also its mail) when the run is gone. */
function summary(item: NotificationView, run: NotificationRun | undefined): { title: string; body: Html } {
  if (!run) return { title: item.title, body: html`<p class="notification-body">${item.body}</p>` };
  return {
    title: `${RUN_STATUS_TITLES[run.status]}（${run.connectionName}）`,
    body: html`<p>
      ${directionLabel(run.direction, run.connectionName)}${run.dataAreaName ? ` ／ データ領域: ${run.dataAreaName}` : ''}<br />
      ${runCountsSummary(item.counts)}
    </p>`,
  };
}

export interface NotificationsProps {
  /** The reader's own setting for successful runs. */
  successNotice: SuccessNotice;
  items: readonly NotificationView[];
  runs: ReadonlyMap<string, NotificationRun>;
  page: number;
  pageSize: number;
  total: number;
}

export function notificationsPage(chrome: PageChrome, props: NotificationsProps): Html {
  return page(
    '通知',
    { ...chrome, section: 'notifications' },
    html`<div class="toolbar">
        <h1>通知</h1>
        <span class="spacer"></span>
        ${when(
          chrome.unread > 0,
          () => html`<form method="post" action="/notifications/read-all">
            ${csrfInput(chrome.csrfToken)}<button type="submit">すべて既読にする</button>
          </form>`,
        )}
      </div>
      <form method="post" action="/notifications/settings" class="panel toolbar" data-testid="notification-settings">
        ${csrfInput(chrome.csrfToken)}
        <fieldset class="field">
          <legend>成功した同期の通知</legend>
          <label class="choice"><input type="radio" name="successNotice" value="quiet" ${props.successNotice === 'quiet' ? html`checked` : ''} />
            <span class="choice-text">既読として記録する（メールは送りません）</span></label>
          <label class="choice"><input type="radio" name="successNotice" value="unread" ${props.successNotice === 'unread' ? html`checked` : ''} />
            <span class="choice-text">未読にする（メールも送ります）</span></label>
          <p class="help">失敗・一部失敗・中止した同期は、いつも未読でお知らせします。</p>
        </fieldset>
        <button type="submit">保存</button>
      </form>
      ${props.items.length === 0 ? html`<div class="panel muted">通知はありません。</div>` : ''}
      ${props.items.map((item) => {
        const { title, body } = summary(item, item.runId ? props.runs.get(item.runId) : undefined);
        return html`<article class="panel notification ${item.readAt ? '' : 'unread-item'}" data-notification-id="${item.id}">
          <h2>${title} ${item.readAt ? '' : html`<span class="badge badge-info">未読</span>`}</h2>
          <p class="muted">${formatDateTime(item.createdAt)}</p>
          ${body}
          ${when(
            item.failures.length > 0,
            () => html`<div class="table-wrap">
              <table data-testid="notification-failures">
                <caption class="visually-hidden">書き込まなかった従業員</caption>
                <thead><tr><th scope="col">社員番号</th><th scope="col">結果</th><th scope="col">理由</th></tr></thead>
                <tbody>
                  ${item.failures.map(
                    (failure) =>
                      html`<tr><td class="mono">${failure.employeeCode}</td><td>${RUN_OUTCOME_LABELS[failure.outcome ?? 'failed']}</td><td class="${failure.outcome === 'skipped' ? 'muted' : 'error'}">${failure.message}</td></tr>`,
                  )}
                </tbody>
              </table>
            </div>`,
          )}
          <div class="actions">
            ${when(item.runId, () => html`<a class="button" href="/runs/${item.runId}">同期の詳細</a>`)}
            ${when(
              !item.readAt,
              () => html`<form method="post" action="/notifications/${item.id}/read">
                ${csrfInput(chrome.csrfToken)}<button type="submit">既読にする</button>
              </form>`,
            )}
          </div>
        </article>`;
      })}
      ${pager({ page: props.page, pageSize: props.pageSize, total: props.total, href: (p) => `/notifications?page=${p}` })}`,
  );
}
