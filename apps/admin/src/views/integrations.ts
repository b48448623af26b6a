// APIトークン and Webhook (admins only): personal access tokens of /api/v1, and the endpoints that
// receive a signed summary when a run ends, with their delivery log. Secrets are shown once.
import type { ApiToken, Connection, User, WebhookDelivery, WebhookEndpoint } from '@renkei/hub';
import type { FormErrors, FormValues } from '../http/forms.ts';
import { errorSummary, field, formatDateTime, pager } from './components.ts';
import { type Html, html, when } from './html.ts';
import { csrfInput, type PageChrome, page } from './layout.ts';

const SCOPE_LABELS = { read: '読み取り（read）', sync: '同期・書き込み（sync）' } as const;

/** The links between the two pages. */
const subnav = (current: 'tokens' | 'webhooks') =>
  html`<nav aria-label="API と Webhook" class="subnav">
    <a href="/api-tokens" ${current === 'tokens' ? html`aria-current="page"` : ''}>APIトークン</a>
    <a href="/outgoing-webhooks" ${current === 'webhooks' ? html`aria-current="page"` : ''}>Webhook</a>
  </nav>`;

/** A secret shown once, right after it was made. */
const shownOnce = (label: string, secret: string, note: string) =>
  html`<div class="flash success" role="status" data-testid="shown-once">
    <p><strong>${label}</strong>（この画面を離れると二度と表示されません。${note}）</p>
    <p><code class="secret" data-testid="secret">${secret}</code></p>
  </div>`;

function tokenState(token: ApiToken, now: number): string {
  if (token.revokedAt) return `失効（${formatDateTime(token.revokedAt)}）`;
  if (token.expiresAt && token.expiresAt.getTime() <= now)
    return `期限切れ（${formatDateTime(token.expiresAt)}）`;
  return token.expiresAt ? `有効（${formatDateTime(token.expiresAt)} まで）` : '有効（無期限）';
}

export interface TokensPageProps {
  chrome: PageChrome;
  tokens: readonly ApiToken[];
  users: readonly User[];
  now: number;
  selfId: string;
  issued?: string;
  values?: FormValues;
  errors?: FormErrors;
}

export function apiTokensPage(props: TokensPageProps): Html {
  const errors = props.errors ?? {};
  const values = props.values ?? {};
  const token = props.chrome.csrfToken;
  const userName = new Map(props.users.map((user) => [user.id, `${user.name}（${user.email}）`]));
  const activeUsers = props.users.filter((user) => user.deactivatedAt === null);
  return page(
    'APIトークン',
    { ...props.chrome, section: 'automation' },
    html`<h1>APIトークン</h1>
      ${subnav('tokens')}
      ${when(props.issued, () => shownOnce('新しいAPIトークン', props.issued as string, '安全な場所に保管してください'))}
      <section class="panel" aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">発行済みのトークン</h2>
        <p class="help">HTTP API（/api/v1、仕様は <a href="/api/v1/openapi.json">openapi.json</a>）で使います。トークンは発行したユーザーとして動き、メンバーのトークンでは住所・生年月日が除かれ口座番号が伏せられます。</p>
        ${
          props.tokens.length === 0
            ? html`<p>まだトークンはありません。</p>`
            : html`<div class="table-wrap"><table data-testid="token-table">
            <caption class="visually-hidden">発行済みのトークン</caption>
            <thead><tr><th scope="col">名前</th><th scope="col">ユーザー</th><th scope="col">権限</th><th scope="col">先頭</th><th scope="col">状態</th><th scope="col">最終使用</th><th scope="col">操作</th></tr></thead>
            <tbody>
              ${props.tokens.map(
                (row) => html`<tr data-token-name="${row.name}">
                  <th scope="row">${row.name}</th>
                  <td>${userName.get(row.userId) ?? '—'}</td>
                  <td>${SCOPE_LABELS[row.scope]}</td>
                  <td><code>${row.prefix}…</code></td>
                  <td>${tokenState(row, props.now)}</td>
                  <td>${row.lastUsedAt ? formatDateTime(row.lastUsedAt) : '—'}</td>
                  <td>${when(
                    !row.revokedAt,
                    () => html`<form method="post" action="/api-tokens/${row.id}/revoke" class="inline">
                      ${csrfInput(token)}
                      <button type="submit" aria-label="${row.name}を失効">失効</button>
                    </form>`,
                  )}</td>
                </tr>`,
              )}
            </tbody>
          </table></div>`
        }
      </section>
      <section class="panel" aria-labelledby="new-token-heading">
        <h2 id="new-token-heading">トークンを発行</h2>
        ${when(errors._form, () => html`<div class="flash error" role="alert">${errors._form}</div>`)}
        ${errorSummary(errors, ['name', 'userId', 'scope', 'expiresAt'])}
        <form method="post" action="/api-tokens" class="stack" novalidate>
          ${csrfInput(token)}
          ${field({ name: 'name', label: '名前（用途）', value: values.name, error: errors.name, required: true, autocomplete: 'off' })}
          ${field({
            name: 'userId',
            label: 'ユーザー',
            value: values.userId ?? props.selfId,
            error: errors.userId,
            options: activeUsers.map((user) => ({ value: user.id, label: `${user.name}（${user.email}）` })),
          })}
          ${field({
            name: 'scope',
            label: '権限',
            value: values.scope ?? 'read',
            error: errors.scope,
            help: 'sync は差分の取得・同期の開始・社員名簿の登録ができます（管理者のみ）。',
            options: (['read', 'sync'] as const).map((scope) => ({
              value: scope,
              label: SCOPE_LABELS[scope],
            })),
          })}
          ${field({ name: 'expiresAt', label: '有効期限（任意）', type: 'date', value: values.expiresAt, error: errors.expiresAt, help: '空欄なら無期限。この日の0時（日本時間）に失効します。' })}
          <div class="actions"><button type="submit" class="primary">発行する</button></div>
        </form>
      </section>`,
  );
}

function deliveryRow(delivery: WebhookDelivery, endpoints: ReadonlyMap<string, WebhookEndpoint>): Html {
  const last = delivery.attempts.at(-1);
  const state = { pending: '再試行待ち', succeeded: '成功', failed: '失敗' }[delivery.status];
  return html`<tr data-delivery-status="${delivery.status}">
    <td>${formatDateTime(delivery.createdAt)}</td>
    <td>${endpoints.get(delivery.endpointId)?.url ?? '—'}</td>
    <td><a href="/runs/${delivery.runId}">連携履歴</a></td>
    <td>${state}</td>
    <td>${delivery.attempts.length}</td>
    <td>${last ? `${last.status ?? '応答なし'}${last.error ? `: ${last.error}` : ''}` : '—'}</td>
  </tr>`;
}

export interface WebhooksPageProps {
  chrome: PageChrome;
  endpoints: readonly WebhookEndpoint[];
  connections: readonly Connection[];
  deliveries: readonly WebhookDelivery[];
  deliveryTotal: number;
  page: number;
  pageSize: number;
  created?: string;
  values?: FormValues;
  errors?: FormErrors;
}

export function webhooksPage(props: WebhooksPageProps): Html {
  const errors = props.errors ?? {};
  const values = props.values ?? {};
  const token = props.chrome.csrfToken;
  const connectionName = new Map(props.connections.map((c) => [c.id, c.displayName]));
  const byId = new Map(props.endpoints.map((endpoint) => [endpoint.id, endpoint]));
  return page(
    'Webhook',
    { ...props.chrome, section: 'automation' },
    html`<h1>Webhook</h1>
      ${subnav('webhooks')}
      ${when(props.created, () => shownOnce('署名用シークレット', props.created as string, '受信側で署名の検証に使います'))}
      <section class="panel" aria-labelledby="endpoints-heading">
        <h2 id="endpoints-heading">送信先</h2>
        <p class="help">同期が終わるたびに、結果の要約（社員番号と結果のみ）を HMAC-SHA256 で署名して POST します。失敗すると間隔を広げながら再送します。</p>
        ${
          props.endpoints.length === 0
            ? html`<p>まだ送信先はありません。</p>`
            : html`<div class="table-wrap"><table data-testid="endpoint-table">
            <caption class="visually-hidden">送信先</caption>
            <thead><tr><th scope="col">URL</th><th scope="col">対象</th><th scope="col">メモ</th><th scope="col">作成</th><th scope="col">操作</th></tr></thead>
            <tbody>
              ${props.endpoints.map(
                (endpoint) => html`<tr>
                  <th scope="row">${endpoint.url}</th>
                  <td>${endpoint.connectionId ? (connectionName.get(endpoint.connectionId) ?? '—') : 'すべての連携'}</td>
                  <td>${endpoint.description}</td>
                  <td>${formatDateTime(endpoint.createdAt)}</td>
                  <td><form method="post" action="/outgoing-webhooks/${endpoint.id}/delete" class="inline">
                    ${csrfInput(token)}
                    <button type="submit" aria-label="${endpoint.url}を削除">削除</button>
                  </form></td>
                </tr>`,
              )}
            </tbody>
          </table></div>`
        }
      </section>
      <section class="panel" aria-labelledby="new-endpoint-heading">
        <h2 id="new-endpoint-heading">送信先を追加</h2>
        ${when(errors._form, () => html`<div class="flash error" role="alert">${errors._form}</div>`)}
        ${errorSummary(errors, ['url', 'connectionId', 'description'])}
        <form method="post" action="/outgoing-webhooks" class="stack" novalidate>
          ${csrfInput(token)}
          ${field({ name: 'url', label: 'URL', value: values.url, error: errors.url, required: true, placeholder: 'https://', help: 'https:// のみ。リダイレクトには従いません。', autocomplete: 'off' })}
          ${field({
            name: 'connectionId',
            label: '対象の連携',
            value: values.connectionId ?? '',
            error: errors.connectionId,
            options: [
              { value: '', label: 'すべての連携' },
              ...props.connections.map((c) => ({ value: c.id, label: c.displayName })),
            ],
          })}
          ${field({ name: 'description', label: 'メモ（任意）', value: values.description, error: errors.description, autocomplete: 'off' })}
          <div class="actions"><button type="submit" class="primary">追加する</button></div>
        </form>
      </section>
      <section class="panel" aria-labelledby="deliveries-heading">
        <h2 id="deliveries-heading">送信履歴</h2>
        ${
          props.deliveries.length === 0
            ? html`<p>まだ送信はありません。</p>`
            : html`<div class="table-wrap"><table data-testid="delivery-table">
            <caption class="visually-hidden">送信履歴</caption>
            <thead><tr><th scope="col">日時</th><th scope="col">送信先</th><th scope="col">同期</th><th scope="col">状態</th><th scope="col">試行</th><th scope="col">最後の応答</th></tr></thead>
            <tbody>${props.deliveries.map((delivery) => deliveryRow(delivery, byId))}</tbody>
          </table></div>
          ${pager({ page: props.page, pageSize: props.pageSize, total: props.deliveryTotal, href: (n) => `/outgoing-webhooks?page=${n}` })}`
        }
      </section>`,
  );
}
