import {
  type ConnectorFields,
  type ConnectorKind,
  type CredentialFieldInfo,
  canWrite,
  type FieldAccess,
  type FieldKey,
  fieldDefinition,
  fieldLabel,
  type NamePreference,
  type NewEmployeeDefault,
  type OrgRefMatch,
} from '@renkei/core';
import type { FormErrors, FormValues } from '../http/forms.ts';
import { choiceField, errorSummary, field } from './components.ts';
import { type Html, html, when } from './html.ts';
import { csrfInput, type PageChrome, page, pageTitle } from './layout.ts';

export interface ConnectorCard {
  id: string;
  displayName: string;
  kind: 'hr' | 'payroll' | 'attendance';
  description?: string | undefined;
  hasDataAreas: boolean;
  fields: ConnectorFields;
  connections: readonly { id: string; displayName: string }[];
}

const KIND_LABELS: Record<ConnectorCard['kind'], string> = {
  hr: '人事',
  payroll: '給与',
  attendance: '勤怠',
};

const ACCESS_LABELS: Record<FieldAccess, string> = {
  read: '連携先 → 従業員リスト',
  write: '従業員リスト → 連携先',
  readWrite: '双方向',
};

/** 連携可能な従業員情報: every field the connector carries and in which direction. */
export function fieldAccessTable(fields: ConnectorFields): Html {
  const entries = Object.entries(fields) as [FieldKey, FieldAccess][];
  return html`<div class="table-wrap">
    <table class="field-access">
      <caption class="visually-hidden">連携可能な従業員情報</caption>
      <thead><tr><th scope="col">項目</th><th scope="col">連携の向き</th></tr></thead>
      <tbody>
        <tr><td>社員番号</td><td>照合キー（双方向）</td></tr>
        ${entries.map(([key, access]) => html`<tr><td>${fieldLabel(key)}</td><td>${ACCESS_LABELS[access]}</td></tr>`)}
      </tbody>
    </table>
  </div>`;
}

export function connectorsPage(
  chrome: PageChrome,
  props: { connectors: readonly ConnectorCard[]; canInstall: boolean },
): Html {
  return page(
    '連携アプリ',
    { ...chrome, section: 'connectors' },
    html`<h1>連携アプリ</h1>
      <div class="cards">
        ${props.connectors.map(
          (connector) => html`<section class="panel connector-card" data-connector="${connector.id}">
            <h2>${connector.displayName} <span class="badge badge-neutral">${KIND_LABELS[connector.kind]}</span></h2>
            ${when(connector.description, () => html`<p class="muted">${connector.description}</p>`)}
            ${
              connector.connections.length > 0
                ? html`<p>
                  設定済みの連携:
                  ${connector.connections.map(
                    (connection) =>
                      html`<a href="/connections/${connection.id}">${connection.displayName}</a> `,
                  )}
                </p>`
                : html`<p class="muted">未設定</p>`
            }
            ${when(
              props.canInstall,
              () =>
                html`<div class="actions"><a class="button primary" href="/connectors/${connector.id}/install">連携を追加</a></div>`,
            )}
            <details>
              <summary>連携可能な従業員情報</summary>
              ${fieldAccessTable(connector.fields)}
            </details>
          </section>`,
        )}
      </div>`,
  );
}

export interface ConnectionSettingsProps {
  connector: { id: string; displayName: string; kind: ConnectorKind; fields: ConnectorFields };
  /** Present when editing an existing connection. */
  connection?:
    | {
        id: string;
        displayName: string;
        credentialKeys: readonly string[];
        orgRefMatch: OrgRefMatch;
        namePreference: NamePreference;
      }
    | undefined;
  credentialFields: readonly CredentialFieldInfo[];
  /** The vendor's own lists for settings such as 新規登録時のメイングループ, by credentials key. */
  choices?: Readonly<Record<string, NewEmployeeDefault>> | undefined;
  /** Submitted non-secret values (secrets are never echoed). */
  values: FormValues;
  errors: FormErrors;
  testResult?: { ok: true } | { ok: false; message: string } | undefined;
}

function credentialInput(info: CredentialFieldInfo, props: ConnectionSettingsProps): Html {
  const stored = props.connection?.credentialKeys.includes(info.key) ?? false;
  const help = stored
    ? `${info.help ? `${info.help} ` : ''}設定済みです。変更する場合のみ入力してください。`
    : info.help;
  // Secrets are never rendered back, not even after a failed submit.
  const value = info.secret ? '' : (props.values[info.key] ?? '');
  const common = {
    name: info.key,
    label: info.label,
    value,
    error: props.errors[info.key],
    help,
    required: info.required && !stored,
  };
  // The vendor's own list (新規登録時のメイングループ…), where the vendor could be asked for it.
  const listed = props.choices?.[info.key];
  if (listed) {
    const keep = listed.valueLabel ? `（変更しない: ${listed.valueLabel}）` : '（設定しない）';
    return field({ ...common, options: [{ value: '', label: keep }, ...listed.choices] });
  }
  if (info.options) {
    const options = info.options.map((option) => ({ value: option, label: option }));
    return field({
      ...common,
      options: stored ? [{ value: '', label: '（変更しない）' }, ...options] : options,
    });
  }
  return field({
    ...common,
    type: info.secret ? 'password' : 'text',
    autocomplete: info.secret ? 'new-password' : 'off',
    placeholder: info.placeholder ?? (stored ? '（設定済み）' : undefined),
  });
}

/** A radio setting's choices: the submitted value when it is one of them, else the stored one ticked. */
function settingChoices(
  labels: Readonly<Record<string, string>>,
  submitted: string | undefined,
  stored: string,
) {
  const current = submitted !== undefined && Object.hasOwn(labels, submitted) ? submitted : stored;
  return Object.entries(labels).map(([value, label]) => ({ value, label, checked: value === current }));
}

const ORG_REF_MATCH_LABELS: Record<OrgRefMatch, string> = {
  code: 'コードで照合（両方にコードがあるとき）',
  name: '名称で照合（コード体系が異なるとき）',
};

/** 部署・雇用形態・役職の照合, for connectors that carry any of them. */
function orgRefMatchChoice(props: ConnectionSettingsProps): Html {
  const carried = Object.keys(props.connector.fields).some(
    (key) => fieldDefinition(key as FieldKey).type === 'orgRef',
  );
  if (!carried) return html``;
  return choiceField({
    name: 'orgRefMatch',
    label: '部署・雇用形態・役職の照合',
    testId: 'org-ref-match',
    error: props.errors.orgRefMatch,
    help: 'コード体系が違う連携先では名称で照合します。連携先へは名称を書き込み、コードは連携先のマスタから決まります。従業員リストへの取り込みでは名称だけを書き込みます（従業員リスト側のコードは付きません）。社員区分も同じ方法で照合します。',
    choices: settingChoices(
      ORG_REF_MATCH_LABELS,
      props.values.orgRefMatch,
      props.connection?.orgRefMatch ?? 'code',
    ),
  });
}

const NAME_PREFERENCE_LABELS: Record<NamePreference, string> = {
  legal: '戸籍上の氏名',
  business: 'ビジネスネーム優先（登録されている従業員のみ）',
};

/** 書き込む氏名, for targets Renkei writes 姓/名 to from the 従業員リスト (not an HR system). */
function namePreferenceChoice(props: ConnectionSettingsProps): Html {
  if (props.connector.kind === 'hr' || !canWrite(props.connector.fields.lastName)) return html``;
  return choiceField({
    name: 'namePreference',
    label: '書き込む氏名',
    testId: 'name-preference',
    error: props.errors.namePreference,
    help: 'ビジネスネーム優先にすると、従業員リストにビジネスネーム（旧姓・通称）がある従業員は、姓・名にビジネスネームを書き込みます。差分の確認と書き込み前のチェックも、書き込む名前で行います。',
    choices: settingChoices(
      NAME_PREFERENCE_LABELS,
      props.values.namePreference,
      props.connection?.namePreference ?? 'legal',
    ),
  });
}

export function connectionSettingsPage(chrome: PageChrome, props: ConnectionSettingsProps): Html {
  const { connector, connection } = props;
  const action = connection
    ? `/connections/${connection.id}/settings`
    : `/connectors/${connector.id}/install`;
  const name = props.values.displayName ?? connection?.displayName ?? connector.displayName;
  return page(
    pageTitle(`${connector.displayName}の連携設定`, connection?.displayName),
    { ...chrome, section: 'connectors' },
    html`<div class="breadcrumbs"><a href="/connectors">連携アプリ</a> / ${connector.displayName} / 連携設定</div>
      <h1>${connector.displayName}の連携設定</h1>
      ${
        props.testResult?.ok
          ? html`<div class="flash success" role="status" data-testid="test-result">接続テストに成功しました。</div>`
          : props.testResult
            ? html`<div class="flash error" role="alert" data-testid="test-result">${props.testResult.message}</div>`
            : ''
      }
      ${when(props.errors._form, () => html`<div class="flash error" role="alert">${props.errors._form}</div>`)}
      <div class="panel">
        ${errorSummary(props.errors, ['displayName', ...props.credentialFields.map((info) => info.key), 'orgRefMatch', 'namePreference'])}
        <form method="post" action="${action}" class="stack" novalidate>
          ${csrfInput(chrome.csrfToken)}
          ${field({ name: 'displayName', label: '表示名', value: name, error: props.errors.displayName, required: true })}
          ${props.credentialFields.map((info) => credentialInput(info, props))}
          ${orgRefMatchChoice(props)}
          ${namePreferenceChoice(props)}
          <p class="help muted">保存の前に連携先で認証情報を確認します。シークレットは暗号化して保存され、再表示されません。</p>
          <div class="actions">
            <button type="submit" name="intent" value="test">接続テスト</button>
            <button type="submit" name="intent" value="save" class="primary">保存</button>
          </div>
        </form>
      </div>
      <section class="panel">
        <h2>連携可能な従業員情報</h2>
        ${fieldAccessTable(connector.fields)}
      </section>`,
  );
}
