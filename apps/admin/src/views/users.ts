import { MIN_PASSWORD_LENGTH, type Role, type User } from '@renkei/hub';
import type { FormErrors, FormValues } from '../http/forms.ts';
import { field, formatDateTime } from './components.ts';
import { type Html, html, when } from './html.ts';
import { csrfInput, type PageChrome, page, ROLE_LABELS } from './layout.ts';

export const PASSWORD_HELP = `${MIN_PASSWORD_LENGTH}文字以上。メールアドレスや名前に似たものは使えません。`;

const roleOptions = (selected: Role | undefined): Html[] =>
  (['member', 'admin'] as const).map(
    (role) =>
      html`<option value="${role}" ${role === selected ? html`selected` : ''}>${ROLE_LABELS[role]}</option>`,
  );

function userRow(user: User, csrfToken: string, self: boolean): Html {
  const active = user.deactivatedAt === null;
  const roleId = `role-${user.id}`;
  return html`<tr data-user-email="${user.email}" data-active="${active ? 'true' : 'false'}">
    <th scope="row">${user.name}${when(self, () => html` <span class="muted">（あなた）</span>`)}</th>
    <td>${user.email}</td>
    <td>
      <form method="post" action="/users/${user.id}/role" class="inline">
        ${csrfInput(csrfToken)}
        <select id="${roleId}" name="role" aria-label="${user.name}の権限">${roleOptions(user.role)}</select>
        <button type="submit">変更</button>
      </form>
    </td>
    <td>${active ? '有効' : html`<span class="muted">無効（${formatDateTime(user.deactivatedAt)}）</span>`}</td>
    <td class="actions">
      <a href="/users/${user.id}/password">パスワード再設定</a>
      <form method="post" action="/users/${user.id}/${active ? 'deactivate' : 'reactivate'}" class="inline">
        ${csrfInput(csrfToken)}
        <button type="submit" aria-label="${user.name}を${active ? '無効化' : '有効化'}">${active ? '無効化' : '有効化'}</button>
      </form>
    </td>
  </tr>`;
}

export interface UsersPageProps {
  chrome: PageChrome;
  users: readonly User[];
  selfId: string;
  values?: FormValues;
  errors?: FormErrors;
}

/** ユーザー管理: everyone who can sign in, and the form to add one. */
export function usersPage(props: UsersPageProps): Html {
  const errors = props.errors ?? {};
  const values = props.values ?? {};
  const token = props.chrome.csrfToken;
  return page(
    'ユーザー管理',
    { ...props.chrome, section: 'users' },
    html`<h1>ユーザー管理</h1>
      <section class="panel" aria-labelledby="users-heading">
        <h2 id="users-heading">ユーザー一覧</h2>
        <div class="table-wrap">
          <table data-testid="user-table">
            <thead>
              <tr><th scope="col">名前</th><th scope="col">メールアドレス</th><th scope="col">権限</th><th scope="col">状態</th><th scope="col">操作</th></tr>
            </thead>
            <tbody>
              ${props.users.map((user) => userRow(user, token, user.id === props.selfId))}
            </tbody>
          </table>
        </div>
        <p class="help">有効な管理者が1人だけのときは、その管理者の権限変更や無効化はできません。</p>
      </section>
      <section class="panel" aria-labelledby="add-user-heading">
        <h2 id="add-user-heading">ユーザーを追加</h2>
        ${when(errors._form, () => html`<div class="flash error" role="alert">${errors._form}</div>`)}
        <form method="post" action="/users" class="stack" novalidate>
          ${csrfInput(token)}
          ${field({ name: 'name', label: '名前', value: values.name, error: errors.name, required: true, autocomplete: 'off' })}
          ${field({ name: 'email', label: 'メールアドレス', type: 'email', value: values.email, error: errors.email, required: true, autocomplete: 'off' })}
          <div class="field">
            <label for="f-role">権限</label>
            <select id="f-role" name="role">${roleOptions((values.role as Role | undefined) ?? 'member')}</select>
          </div>
          ${field({ name: 'password', label: '初期パスワード', type: 'password', error: errors.password, required: true, help: PASSWORD_HELP, autocomplete: 'new-password' })}
          <div class="actions"><button type="submit" class="primary">追加する</button></div>
        </form>
      </section>`,
  );
}

export function resetPasswordPage(props: { chrome: PageChrome; user: User; errors?: FormErrors }): Html {
  const errors = props.errors ?? {};
  return page(
    `${props.user.name}のパスワード再設定`,
    { ...props.chrome, section: 'users' },
    html`<h1>${props.user.name}のパスワード再設定</h1>
      <div class="panel">
        <p>新しいパスワードを設定すると、このユーザーはすべての端末でログアウトされます。</p>
        ${when(errors._form, () => html`<div class="flash error" role="alert">${errors._form}</div>`)}
        <form method="post" action="/users/${props.user.id}/password" class="stack" novalidate>
          ${csrfInput(props.chrome.csrfToken)}
          ${field({ name: 'password', label: '新しいパスワード', type: 'password', error: errors.password, required: true, help: PASSWORD_HELP, autocomplete: 'new-password' })}
          <div class="actions">
            <button type="submit" class="primary">設定する</button>
            <a href="/users">キャンセル</a>
          </div>
        </form>
      </div>`,
  );
}
