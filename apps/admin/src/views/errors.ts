import { html } from './html.ts';
import { document, type PageChrome, page } from './layout.ts';

export function forbiddenPage(chrome: PageChrome | undefined) {
  const content = html`<div class="panel">
    <h1>権限がありません</h1>
    <p>この操作は管理者のみが行えます。必要な場合は管理者に依頼してください。</p>
    <p><a href="/">ホームへ戻る</a></p>
  </div>`;
  return chrome
    ? page('権限がありません', chrome, content)
    : document('権限がありません', html`<main id="main" tabindex="-1">${content}</main>`);
}

export function notFoundPage(chrome: PageChrome | undefined) {
  const content = html`<div class="panel">
    <h1>ページが見つかりません</h1>
    <p>URL を確認してください。</p>
    <p><a href="/">ホームへ戻る</a></p>
  </div>`;
  return chrome
    ? page('ページが見つかりません', chrome, content)
    : document('ページが見つかりません', html`<main id="main" tabindex="-1">${content}</main>`);
}

export function csrfFailedPage() {
  return document(
    '送信を受け付けられませんでした',
    html`<main id="main" tabindex="-1">
      <div class="panel">
        <h1>送信を受け付けられませんでした</h1>
        <p>フォームの有効期限が切れたか、別のサイトからの送信です。ページを再読み込みしてからもう一度お試しください。</p>
        <p><a href="/">ホームへ戻る</a></p>
      </div>
    </main>`,
  );
}
