import { formatDateTime, pager } from './components.ts';
import { type Html, html, when } from './html.ts';
import { csrfInput, type PageChrome, page } from './layout.ts';

export interface NotificationView {
  id: string;
  runId: string | null;
  title: string;
  body: string;
  failures: readonly { employeeCode: string; message: string }[];
  readAt: Date | string | null;
  createdAt: Date | string;
}

export interface NotificationsProps {
  items: readonly NotificationView[];
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
      ${props.items.length === 0 ? html`<div class="panel muted">通知はありません。</div>` : ''}
      ${props.items.map(
        (
          item,
        ) => html`<article class="panel notification ${item.readAt ? '' : 'unread-item'}" data-notification-id="${item.id}">
          <h2>${item.title} ${item.readAt ? '' : html`<span class="badge badge-info">未読</span>`}</h2>
          <p class="muted">${formatDateTime(item.createdAt)}</p>
          <p class="notification-body">${item.body}</p>
          ${when(
            item.failures.length > 0,
            () => html`<div class="table-wrap">
              <table data-testid="notification-failures">
                <thead><tr><th>社員番号</th><th>エラー</th></tr></thead>
                <tbody>
                  ${item.failures.map(
                    (failure) =>
                      html`<tr><td class="mono">${failure.employeeCode}</td><td class="error">${failure.message}</td></tr>`,
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
        </article>`,
      )}
      ${pager({ page: props.page, pageSize: props.pageSize, total: props.total, href: (p) => `/notifications?page=${p}` })}`,
  );
}
