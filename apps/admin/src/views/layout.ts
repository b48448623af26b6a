import { type Html, html, when } from './html.ts';

export interface Viewer {
  name: string;
  email: string;
  role: 'admin' | 'member';
}

export interface Flash {
  kind: 'info' | 'success' | 'error';
  message: string;
}

export interface PageChrome {
  viewer: Viewer;
  unread: number;
  csrfToken: string;
  /** Which top-level section is current, for the navigation. */
  section?: 'employees' | 'connectors' | 'connections' | 'notifications' | 'users' | 'automation';
  flash?: Flash | undefined;
}

export const ROLE_LABELS: Record<Viewer['role'], string> = { admin: '管理者', member: 'メンバー' };

const NAV: { section: NonNullable<PageChrome['section']>; href: string; label: string; adminOnly?: true }[] =
  [
    { section: 'employees', href: '/employees', label: '従業員リスト' },
    { section: 'connections', href: '/connections', label: '連携ダッシュボード' },
    { section: 'connectors', href: '/connectors', label: '連携アプリ' },
    { section: 'notifications', href: '/notifications', label: '通知' },
    { section: 'users', href: '/users', label: 'ユーザー管理', adminOnly: true },
    { section: 'automation', href: '/api-tokens', label: 'API・Webhook', adminOnly: true },
  ];

/** A page title naming the page and, where the page belongs to one, the connection. */
export const pageTitle = (title: string, connection?: string): string =>
  connection ? `${title} – ${connection}` : title;

export function document(title: string, body: Html): Html {
  return html`<!doctype html>
<html lang="ja">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title} | Renkei</title>
    <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
    <link rel="stylesheet" href="/static/app.css" />
    <script type="module" src="/static/app.js"></script>
  </head>
  <body>
    <a class="skip-link" href="#main">本文へ移動</a>
    ${body}
    <div class="visually-hidden" role="alert" data-alert-region></div>
    <div class="visually-hidden" role="status" data-status-region></div>
  </body>
</html>`;
}

export function flashMessage(flash: Flash | undefined): Html | '' {
  // An error interrupts (alert); a confirmation waits its turn (status).
  return when(
    flash,
    () =>
      html`<div class="flash ${flash?.kind}" role="${flash?.kind === 'error' ? 'alert' : 'status'}">${flash?.message}</div>`,
  );
}

/** A signed-in page: header with the user, role, unread count and sign-out, then the content. */
export function page(title: string, chrome: PageChrome, content: Html): Html {
  const { viewer, unread, csrfToken, section, flash } = chrome;
  return document(
    title,
    html`<header class="site-header">
        <a class="brand" href="/">Renkei 連携</a>
        <nav aria-label="メイン">
          ${NAV.filter((item) => !item.adminOnly || viewer.role === 'admin').map(
            (item) =>
              html`<a href="${item.href}" ${item.section === section ? html`aria-current="page"` : ''}
                >${item.label}${
                  item.section === 'notifications' && unread > 0
                    ? html` <span class="unread" data-testid="unread-count"
                      >${unread}<span class="visually-hidden">件の未読</span></span
                    >`
                    : ''
                }</a
              >`,
          )}
        </nav>
        <div class="who">
          <span data-testid="viewer">${viewer.name}</span>
          <span class="role" data-testid="viewer-role">${ROLE_LABELS[viewer.role]}</span>
          <form method="post" action="/logout">
            <input type="hidden" name="_csrf" value="${csrfToken}" />
            <button type="submit" class="link-button">ログアウト</button>
          </form>
        </div>
      </header>
      <main id="main" tabindex="-1">${flashMessage(flash)}${content}</main>`,
  );
}

export function csrfInput(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}" />`;
}
