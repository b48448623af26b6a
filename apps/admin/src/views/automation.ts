import { type ConnectorFields, type FieldKey, fieldLabel, type SyncMode } from '@renkei/core';
import {
  AUTOMATIC_OUTCOME_LABELS,
  type AutomaticSync,
  type DirectionPolicy,
  POLICY_MODES,
  policyFields,
  RECORD_SCOPE_LABELS,
  type RecordScope,
  SCHEDULE_PRESET_LABELS,
  type Schedule,
  type SchedulePreset,
  SYNC_MODE_LABELS,
  type SyncPolicy,
  type TriggerToken,
} from '@renkei/hub';
import { choiceField, directionLabel, field, formatDateTime } from './components.ts';
import { type Html, html, when } from './html.ts';
import { csrfInput, type PageChrome, page, pageTitle } from './layout.ts';

type Direction = 'import' | 'export';
const DIRECTIONS: readonly Direction[] = ['import', 'export'];

interface ConnectionRef {
  id: string;
  displayName: string;
}

function breadcrumbs(connection: ConnectionRef, here: string): Html {
  return html`<div class="breadcrumbs"><a href="/connections">連携ダッシュボード</a> / <a href="/connections/${connection.id}">${connection.displayName}</a> / ${here}</div>`;
}

/** 同期ルール as a short sentence list: shown in 確認, on a run, and in 連携履歴. */
export function policySummary(policy: DirectionPolicy | null | undefined): Html {
  if (!policy) return html`<span class="muted">すべての項目を上書き（新規登録と更新）</span>`;
  const modes = Object.entries(policy.modes) as [FieldKey, SyncMode][];
  const changed = modes.filter(([, mode]) => mode !== 'update');
  return html`<ul class="policy-summary" data-testid="policy-summary">
    <li>対象: ${RECORD_SCOPE_LABELS[policy.records]}</li>
    ${
      changed.length === 0
        ? html`<li>すべての項目を上書き</li>`
        : changed.map(([key, mode]) => html`<li>${fieldLabel(key)}: ${SYNC_MODE_LABELS[mode]}</li>`)
    }
  </ul>`;
}

function directionPolicyForm(
  connection: ConnectionRef,
  fields: ConnectorFields,
  direction: Direction,
  policy: DirectionPolicy,
): Html {
  const keys = policyFields(fields, direction);
  return html`<section class="panel" data-testid="policy-${direction}">
    <h2>${directionLabel(direction, connection.displayName)}</h2>
    ${choiceField({
      name: `${direction}.records`,
      label: '同期する従業員',
      choices: (Object.keys(RECORD_SCOPE_LABELS) as RecordScope[]).map((value) => ({
        value,
        label: RECORD_SCOPE_LABELS[value],
        checked: value === policy.records,
      })),
    })}
    <div class="table-wrap">
      <table>
        <caption>項目ごとの同期方法</caption>
        <thead><tr><th scope="col">項目</th><th scope="col">同期方法</th></tr></thead>
        <tbody>
          ${keys.map((key) => {
            const id = `mode-${direction}-${key}`;
            const current = policy.modes[key] ?? 'update';
            return html`<tr>
              <td><label for="${id}">${fieldLabel(key)}</label></td>
              <td><select id="${id}" name="${direction}.${key}">
                ${POLICY_MODES.map(
                  (mode) =>
                    html`<option value="${mode}" ${mode === current ? html`selected` : ''}>${SYNC_MODE_LABELS[mode]}</option>`,
                )}
              </select></td>
            </tr>`;
          })}
        </tbody>
      </table>
    </div>
  </section>`;
}

export function policyPage(
  chrome: PageChrome,
  props: {
    connection: ConnectionRef;
    fields: ConnectorFields;
    policy: Record<Direction, DirectionPolicy>;
    error?: string | undefined;
  },
): Html {
  const { connection } = props;
  return page(
    pageTitle('同期ルール', connection.displayName),
    { ...chrome, section: 'connections' },
    html`${breadcrumbs(connection, '同期ルール')}
      <h1>同期ルール</h1>
      <p>手動の同期（差分の確認から実行）にも、スケジュールや外部からの起動による自動同期にも、このルールが使われます。保存すると、取得済みの差分は使えなくなります（取得し直してください）。</p>
      <ul class="help muted">
        <li>上書き: 連携元の値が違えば書き込みます（連携元が空欄のときは書き込みません）。</li>
        <li>空欄のときだけ書く: 連携先が空欄のときだけ書き込みます。</li>
        <li>同期しない: この項目は差分にも表示せず、書き込みません（新規登録でも書き込みません）。</li>
      </ul>
      ${when(props.error, () => html`<div class="flash error" role="alert">${props.error}</div>`)}
      <form method="post" action="/connections/${connection.id}/policy" class="policy-form">
        ${csrfInput(chrome.csrfToken)}
        ${DIRECTIONS.map((direction) => directionPolicyForm(connection, props.fields, direction, props.policy[direction]))}
        <div class="actions"><button type="submit" class="primary">同期ルールを保存</button></div>
      </form>`,
  );
}

export interface ScheduleFormValues {
  preset: SchedulePreset;
  hour: string;
  minute: string;
  cron: string;
  maxChangePercent: string;
  enabled: boolean;
}

function scheduleForm(
  chrome: PageChrome,
  connection: ConnectionRef,
  direction: Direction,
  schedule: Schedule | undefined,
  nextRuns: readonly Date[],
  values: ScheduleFormValues,
  error: string | undefined,
): Html {
  const prefix = `s-${direction}`;
  return html`<section class="panel" data-testid="schedule-${direction}">
    <h2>${directionLabel(direction, connection.displayName)}</h2>
    ${
      schedule
        ? html`<p data-testid="schedule-state">${schedule.enabled ? '有効' : '停止中'}: <code>${schedule.cron}</code>（日本時間）
          ${when(
            schedule.enabled && nextRuns.length > 0,
            () =>
              html`<br />次回: ${nextRuns.map((date) => html`<time datetime="${date.toISOString()}">${formatDateTime(date)}</time> `)}`,
          )}</p>`
        : html`<p class="muted">スケジュールは設定されていません。</p>`
    }
    ${when(error, () => html`<div class="flash error" role="alert" id="${prefix}-error">${error}</div>`)}
    <form method="post" action="/connections/${connection.id}/schedules/${direction}" class="stack">
      ${csrfInput(chrome.csrfToken)}
      ${choiceField({
        name: 'preset',
        label: '実行する日',
        choices: (Object.keys(SCHEDULE_PRESET_LABELS) as SchedulePreset[]).map((value) => ({
          value,
          label: SCHEDULE_PRESET_LABELS[value],
          checked: value === values.preset,
        })),
      })}
      <div class="field-row">
        ${field({ name: 'hour', label: '時（0〜23、毎時では使いません）', value: values.hour })}
        ${field({ name: 'minute', label: '分（0〜59）', value: values.minute })}
      </div>
      ${field({
        name: 'cron',
        label: 'cron式（「cron式で指定」のとき）',
        value: values.cron,
        placeholder: '0 6 * * 1-5',
        help: '分 時 日 月 曜日 の5項目。日本時間で実行します。',
        error,
      })}
      ${field({
        name: 'maxChangePercent',
        label: '停止する変更の割合（%）',
        value: values.maxChangePercent,
        help: 'この割合を超える従業員が変わる場合は、書き込まずに停止して管理者に通知します。',
      })}
      <label class="choice"><input type="checkbox" name="enabled" value="1" ${values.enabled ? html`checked` : ''} /> <span class="choice-text">有効にする</span></label>
      <div class="actions"><button type="submit" class="primary">スケジュールを保存</button></div>
    </form>
    ${when(
      schedule,
      () => html`<div class="actions">
        <form method="post" action="/connections/${connection.id}/schedules/${direction}/run">
          ${csrfInput(chrome.csrfToken)}<button type="submit">今すぐ実行</button>
        </form>
        <form method="post" action="/connections/${connection.id}/schedules/${direction}/delete">
          ${csrfInput(chrome.csrfToken)}<button type="submit" class="danger">スケジュールを削除</button>
        </form>
      </div>`,
    )}
  </section>`;
}

export function schedulesPage(
  chrome: PageChrome,
  props: {
    connection: ConnectionRef;
    schedules: Partial<Record<Direction, { schedule?: Schedule; nextRuns: readonly Date[] }>>;
    values: Record<Direction, ScheduleFormValues>;
    errors: Partial<Record<Direction, string>>;
    tokens: readonly TriggerToken[];
    /** A token just created: shown this once. */
    newToken?: string | undefined;
    tokenError?: string | undefined;
  },
): Html {
  const { connection } = props;
  return page(
    pageTitle('スケジュール', connection.displayName),
    { ...chrome, section: 'connections' },
    html`${breadcrumbs(connection, 'スケジュール')}
      <h1>スケジュール</h1>
      <p>決まった時刻に、同期ルールに従って差分を取り、書き込みます。次のときは<strong>書き込む前に停止</strong>して管理者に通知します: 変更する従業員が設定した割合を超える、別人の可能性・エラー・重複の従業員がいる。停止した差分は連携履歴の「自動同期の記録」から開き、内容を確認して手動で実行できます。前回の同期が実行中のときは、その回はスキップします。</p>
      ${DIRECTIONS.map((direction) =>
        scheduleForm(
          chrome,
          connection,
          direction,
          props.schedules[direction]?.schedule,
          props.schedules[direction]?.nextRuns ?? [],
          props.values[direction],
          props.errors[direction],
        ),
      )}
      <section class="panel" data-testid="trigger-tokens">
        <h2>外部からの起動（Webhook）</h2>
        <p>人事システムのWebhookから自動同期を起動できます（スケジュールと同じ停止条件が使われます）。<code>POST /webhooks/sync</code> に <code>Authorization: Bearer トークン</code> を付けて送信してください。</p>
        ${when(
          props.newToken,
          () =>
            html`<div class="flash success" role="status" data-testid="new-token">トークンを発行しました。この画面を離れると二度と表示されません: <code>${props.newToken}</code></div>`,
        )}
        ${when(props.tokenError, () => html`<div class="flash error" role="alert">${props.tokenError}</div>`)}
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">発行済みトークン</caption>
            <thead><tr><th scope="col">名前</th><th scope="col">方向</th><th scope="col">発行日時</th><th scope="col">最終使用</th><th scope="col">状態</th></tr></thead>
            <tbody>
              ${
                props.tokens.length === 0
                  ? html`<tr><td colspan="5" class="muted">発行済みのトークンはありません。</td></tr>`
                  : props.tokens.map(
                      (token) => html`<tr>
                  <td>${token.name}</td>
                  <td>${directionLabel(token.direction, connection.displayName)}</td>
                  <td>${formatDateTime(token.createdAt)}</td>
                  <td>${token.lastUsedAt ? formatDateTime(token.lastUsedAt) : '—'}</td>
                  <td>${
                    token.revokedAt
                      ? '無効'
                      : html`<form method="post" action="/connections/${connection.id}/tokens/${token.id}/revoke">
                      ${csrfInput(chrome.csrfToken)}<button type="submit" class="danger">無効にする<span class="visually-hidden">（${token.name}）</span></button></form>`
                  }</td>
                </tr>`,
                    )
              }
            </tbody>
          </table>
        </div>
        <form method="post" action="/connections/${connection.id}/tokens" class="stack">
          ${csrfInput(chrome.csrfToken)}
          ${field({ name: 'name', label: 'トークンの名前', placeholder: '人事システム' })}
          ${choiceField({
            name: 'direction',
            label: '起動する同期',
            choices: DIRECTIONS.map((direction, index) => ({
              value: direction,
              label: directionLabel(direction, connection.displayName),
              checked: index === 0,
            })),
          })}
          <div class="actions"><button type="submit">トークンを発行</button></div>
        </form>
      </section>`,
  );
}

/** 自動同期の記録 on the dashboard: every automatic attempt, with the stopped plans to open. */
export function automaticSyncTable(connection: ConnectionRef, syncs: readonly AutomaticSync[]): Html {
  if (syncs.length === 0) return html``;
  return html`<h2>自動同期の記録</h2>
    <div class="table-wrap">
      <table data-testid="automatic-syncs">
        <caption class="visually-hidden">自動同期の記録</caption>
        <thead><tr><th scope="col">日時</th><th scope="col">方向</th><th scope="col">起動</th><th scope="col">結果</th><th scope="col">理由</th><th scope="col"><span class="visually-hidden">操作</span></th></tr></thead>
        <tbody>
          ${syncs.map(
            (sync) => html`<tr data-outcome="${sync.outcome}">
              <td>${formatDateTime(sync.createdAt)}</td>
              <td>${directionLabel(sync.direction, connection.displayName)}</td>
              <td>${sync.trigger === 'schedule' ? 'スケジュール' : 'Webhook'}</td>
              <td>${AUTOMATIC_OUTCOME_LABELS[sync.outcome]}</td>
              <td>${sync.reason ?? ''}</td>
              <td>${
                sync.runId
                  ? html`<a href="/runs/${sync.runId}">詳細</a>`
                  : sync.outcome === 'stopped' && sync.previewId
                    ? html`<a href="/previews/${sync.previewId}">差分を確認して実行</a>`
                    : ''
              }</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}

export type { SyncPolicy };
