import type { FormErrors, FormValues } from '../http/forms.ts';
import { errorSummary, field } from './components.ts';
import { type Html, html, when } from './html.ts';
import { csrfInput, document, type Flash, flashMessage } from './layout.ts';

export interface LoginProps {
  csrfToken: string;
  values?: FormValues;
  errors?: FormErrors;
  flash?: Flash | undefined;
  /** Where to go after signing in (a local path). */
  next?: string | undefined;
  /** Shown in demo mode only. */
  demoLogins?: { label: string; email: string; password: string }[] | undefined;
}

export function loginPage(props: LoginProps): Html {
  const errors = props.errors ?? {};
  return document(
    'ログイン',
    html`<main class="login" id="main" tabindex="-1">
      <h1>Renkei 連携</h1>
      <div class="panel">
        ${flashMessage(props.flash)}
        ${when(errors._form, () => html`<div class="flash error" role="alert">${errors._form}</div>`)}
        ${errorSummary(errors, ['email', 'password'])}
        <form method="post" action="/login" class="stack" novalidate>
          ${csrfInput(props.csrfToken)}
          ${when(props.next, () => html`<input type="hidden" name="next" value="${props.next}" />`)}
          ${field({ name: 'email', label: 'メールアドレス', type: 'email', value: props.values?.email, error: errors.email, required: true, autocomplete: 'username' })}
          ${field({ name: 'password', label: 'パスワード', type: 'password', error: errors.password, required: true, autocomplete: 'current-password' })}
          <div class="actions"><button type="submit" class="primary">ログイン</button></div>
        </form>
      </div>
      ${when(
        props.demoLogins?.length,
        () => html`<div class="panel demo-hint">
          <strong>デモ用アカウント</strong>
          <ul>
            ${props.demoLogins?.map(
              (login) =>
                html`<li>${login.label}: <code>${login.email}</code> / <code>${login.password}</code></li>`,
            )}
          </ul>
        </div>`,
      )}
    </main>`,
  );
}
