import type { FormErrors, FormValues } from '../http/forms.ts';
import { field } from './components.ts';
import { type Html, html, when } from './html.ts';
import { csrfInput, document } from './layout.ts';
import { PASSWORD_HELP } from './users.ts';

/** The one-time set-up page: creates the first admin of a new installation. */
export function setupPage(props: {
  csrfToken: string;
  token: string;
  values?: FormValues;
  errors?: FormErrors;
}): Html {
  const errors = props.errors ?? {};
  const values = props.values ?? {};
  return document(
    '初期設定',
    html`<main class="login">
      <h1>Renkei 連携 初期設定</h1>
      <div class="panel">
        <p>最初の管理者を作成します。このリンクは1回だけ使えます。</p>
        ${when(errors._form, () => html`<div class="flash error" role="alert">${errors._form}</div>`)}
        <form method="post" action="/setup" class="stack" novalidate>
          ${csrfInput(props.csrfToken)}
          <input type="hidden" name="token" value="${props.token}" />
          ${field({ name: 'name', label: '名前', value: values.name, error: errors.name, required: true, autocomplete: 'name' })}
          ${field({ name: 'email', label: 'メールアドレス', type: 'email', value: values.email, error: errors.email, required: true, autocomplete: 'username' })}
          ${field({ name: 'password', label: 'パスワード', type: 'password', error: errors.password, required: true, help: PASSWORD_HELP, autocomplete: 'new-password' })}
          <div class="actions"><button type="submit" class="primary">管理者を作成する</button></div>
        </form>
      </div>
    </main>`,
  );
}

export function setupInvalidPage(): Html {
  return document(
    '初期設定リンクが無効です',
    html`<main class="login">
      <h1>初期設定リンクが無効です</h1>
      <div class="panel">
        <p>このリンクは期限切れか使用済みです（有効期間は1時間、1回のみ）。</p>
        <p>管理者が既にいる場合は <a href="/login">ログイン</a> してください。まだいない場合は、サーバーで <code>renkei serve</code> を再起動すると新しいリンクが表示されます。<code>renkei users create --admin</code> でも作成できます。</p>
      </div>
    </main>`,
  );
}
