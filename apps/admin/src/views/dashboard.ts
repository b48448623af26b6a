import type { AutomaticSync } from '@renkei/hub';
import { automaticSyncTable } from './automation.ts';
import { directionLabel, formatDateTime, pager, RUN_TALLY_LABELS, runBadge } from './components.ts';
import { type Html, html, when } from './html.ts';
import { type PageChrome, page } from './layout.ts';
import {
  HISTORY_TALLIES,
  isActive,
  noScriptReload,
  type RunView,
  runCountsCells,
  runProgress,
} from './runs-common.ts';

export interface ConnectionSummary {
  id: string;
  displayName: string;
  connectorName: string;
}

export interface ConnectionCard extends ConnectionSummary {
  /** The connection's latest run, if any. */
  lastRun?: Pick<RunView, 'id' | 'status' | 'createdAt' | 'finishedAt' | 'direction'> | undefined;
}

export function connectionsPage(
  chrome: PageChrome,
  props: { connections: readonly ConnectionCard[]; canInstall: boolean },
): Html {
  return page(
    '連携ダッシュボード',
    { ...chrome, section: 'connections' },
    html`<h1>連携ダッシュボード</h1>
      ${
        props.connections.length === 0
          ? html`<div class="panel">
            <p>まだ連携が設定されていません。</p>
            ${when(props.canInstall, () => html`<a class="button primary" href="/connectors">連携アプリを追加</a>`)}
          </div>`
          : html`<div class="cards">
            ${props.connections.map(
              (
                connection,
              ) => html`<a class="panel connector-card" href="/connections/${connection.id}" data-connection-id="${connection.id}">
                <strong>${connection.displayName}</strong>
                ${when(connection.connectorName !== connection.displayName, () => html`<span class="muted">${connection.connectorName}</span>`)}
                ${
                  connection.lastRun
                    ? html`<span class="last-run" data-testid="last-run">前回の同期: ${runBadge(connection.lastRun.status)}
                      <time datetime="${new Date(connection.lastRun.finishedAt ?? connection.lastRun.createdAt).toISOString()}">${formatDateTime(connection.lastRun.finishedAt ?? connection.lastRun.createdAt)}</time>
                      <span class="muted">（${connection.lastRun.direction === 'import' ? '取り込み' : '書き出し'}）</span></span>`
                    : html`<span class="muted" data-testid="last-run">まだ同期していません</span>`
                }
              </a>`,
            )}
          </div>`
      }`,
  );
}

export interface DashboardProps {
  connection: ConnectionSummary;
  runs: readonly RunView[];
  page: number;
  pageSize: number;
  total: number;
  canRun: boolean;
  /** Whether the connector has データ領域 (a column of its own only then). */
  hasDataAreas: boolean;
  /** User id → display name, for 実行者. */
  userNames: ReadonlyMap<string, string>;
  /** Data area id → name, where known. */
  areaNames: ReadonlyMap<string, string>;
  /** The latest automatic syncs (schedules, triggers), newest first. */
  automaticSyncs?: readonly AutomaticSync[];
}

function startCard(props: DashboardProps, direction: 'import' | 'export'): Html {
  const { connection } = props;
  return html`<section class="panel direction" data-direction="${direction}">
    <span>${directionLabel(direction, connection.displayName)}</span>
    ${
      props.canRun
        ? html`<a class="button primary" href="/connections/${connection.id}/sync/${direction}">同期を開始 ›</a>`
        : html`<span class="muted">同期の実行は管理者のみ</span>`
    }
  </section>`;
}

export function dashboardPage(chrome: PageChrome, props: DashboardProps): Html {
  const { connection } = props;
  const anyActive = props.runs.some((run) => isActive(run.status));
  return page(
    `${connection.displayName} 連携ダッシュボード`,
    { ...chrome, section: 'connections' },
    html`<div class="breadcrumbs"><a href="/connections">連携ダッシュボード</a> / ${connection.displayName}</div>
      <div class="toolbar">
        <h1>${connection.displayName}</h1>
        <span class="spacer"></span>
        ${when(
          props.canRun,
          () => html`<a class="button" href="/connections/${connection.id}/policy">同期ルール</a>
            <a class="button" href="/connections/${connection.id}/schedules">スケジュール</a>
            <a class="button" href="/connections/${connection.id}/settings">連携設定</a>`,
        )}
      </div>
      <div class="directions">${startCard(props, 'import')}${startCard(props, 'export')}</div>
      <h2>連携履歴</h2>
      ${when(anyActive, () => noScriptReload(`/connections/${connection.id}?page=${props.page}`))}
      <div class="table-wrap">
        <table data-testid="run-history">
          <caption class="visually-hidden">連携履歴</caption>
          <thead>
            <tr>
              <th scope="col">開始日時</th><th scope="col">起動</th><th scope="col">方向</th>${props.hasDataAreas ? html`<th scope="col">データ領域</th>` : ''}<th scope="col">状態</th>
              ${HISTORY_TALLIES.map((tally) => html`<th scope="col" class="num">${RUN_TALLY_LABELS[tally]}</th>`)}
              <th scope="col">実行者</th><th scope="col"><span class="visually-hidden">詳細</span></th>
            </tr>
          </thead>
          <tbody>
            ${
              props.runs.length === 0
                ? html`<tr><td colspan="${(props.hasDataAreas ? 7 : 6) + HISTORY_TALLIES.length}" class="muted">まだ同期は実行されていません。</td></tr>`
                : props.runs.map(
                    (
                      run,
                    ) => html`<tr data-run-id="${run.id}" ${isActive(run.status) ? html`data-run-progress="${run.id}"` : ''}>
                    <td>${formatDateTime(run.createdAt)}</td>
                    <td data-testid="run-trigger">${run.trigger === 'manual' ? '手動' : '自動'}</td>
                    <td>${directionLabel(run.direction, connection.displayName)}</td>
                    ${props.hasDataAreas ? html`<td>${props.areaNames.get(run.dataArea) ?? run.dataArea}</td>` : ''}
                    <td>${runProgress(run, { live: false })}</td>
                    ${runCountsCells(run.counts)}
                    <td>${props.userNames.get(run.startedBy) ?? '—'}</td>
                    <td><a href="/runs/${run.id}">詳細</a></td>
                  </tr>`,
                  )
            }
          </tbody>
        </table>
      </div>
      ${pager({ page: props.page, pageSize: props.pageSize, total: props.total, href: (p) => `/connections/${connection.id}?page=${p}` })}
      ${automaticSyncTable(connection, props.automaticSyncs ?? [])}`,
  );
}
