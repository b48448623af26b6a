// What the CLI and the HTTP API do to plan and start a sync, with the wizard's defaults and safety:
// the current 処理年度 when no データ領域 is named (an older year only when asked for explicitly),
// 在籍者のみ on today's date for exports, select-all = 新規登録 and 差分あり, and 別人の可能性 only when
// each is confirmed by 社員番号. The hub refuses a spent, outdated or superseded preview itself.
import { dataAreaChoices, isWriting, type PlanEntry, WRITING_STATUSES } from '@renkei/core';
import {
  type Connection,
  type Direction,
  type Hub,
  HubError,
  type Preview,
  type Run,
  type Selection,
} from '@renkei/hub';
import { SELECT_ALL_STATUSES } from '../views/wizard.ts';

/** A connection named by id or by its 表示名 (unique, else refused as ambiguous). */
export async function findConnection(hub: Hub, ref: string): Promise<Connection> {
  const all = await hub.connections.list();
  const byId = all.find((connection) => connection.id === ref);
  if (byId) return byId;
  const byName = all.filter((connection) => connection.displayName === ref);
  if (byName.length === 1) return byName[0] as Connection;
  if (byName.length > 1) {
    throw new HubError('validation', `「${ref}」という名前の連携先が複数あります。IDで指定してください。`);
  }
  throw new HubError('not_found', `連携先「${ref}」が見つかりません。`);
}

export interface PlanRequest {
  connection: Connection;
  direction: Direction;
  /** The データ領域; unset: the wizard's default (the current 処理年度 of the configured company). */
  dataArea?: string | undefined;
  /** An explicitly named area of a past 処理年度 is refused unless this is set (the wizard's tick). */
  allowOlderArea?: boolean | undefined;
  /** Exports: 在籍者のみ (default true, as the wizard), on `basisDate` (default today in Japan). */
  activeOnly?: boolean | undefined;
  basisDate?: string | undefined;
}

export async function createPlan(hub: Hub, actor: string, request: PlanRequest): Promise<Preview> {
  const { connection } = request;
  if (request.dataArea !== undefined && !request.allowOlderArea) {
    const choices = dataAreaChoices(await hub.connections.dataAreas(connection.id), hub.today());
    if (choices.find((choice) => choice.area.id === request.dataArea)?.older) {
      throw new HubError(
        'validation',
        `データ領域「${request.dataArea}」は前年度以前です。この年度を使う場合は明示的に許可してください（CLI: --older、API: allowOlderArea）。`,
      );
    }
  }
  const activeOnly = request.direction === 'export' && (request.activeOnly ?? true);
  return hub.previews.create(actor, {
    connectionId: connection.id,
    direction: request.direction,
    ...(request.dataArea !== undefined ? { dataArea: request.dataArea } : {}),
    ...(activeOnly ? { employedOn: request.basisDate ?? hub.today() } : {}),
  });
}

/** Every entry of a stored preview, in plan order. */
export async function allEntries(hub: Hub, previewId: string): Promise<PlanEntry[]> {
  const entries: PlanEntry[] = [];
  for (let page = 1; ; page++) {
    const batch = await hub.previews.entries(previewId, { page, pageSize: 500 });
    entries.push(...batch.items);
    if (entries.length >= batch.total || batch.items.length === 0) return entries;
  }
}

/** Whether a run from these entries writes anything (what `renkei plan` exits 2 for). */
export const hasChanges = (entries: readonly PlanEntry[]): boolean => entries.some(isWriting);

/**
 * The wizard's select-all (新規登録 and 差分あり) plus the 別人の可能性 entries confirmed one by
 * one; undefined when that selects nothing to write.
 */
export async function defaultSelection(
  hub: Hub,
  previewId: string,
  confirmedMismatches: readonly string[],
): Promise<Selection | undefined> {
  if (confirmedMismatches.length === 0) {
    const writable = await hub.previews.entries(previewId, { status: SELECT_ALL_STATUSES, pageSize: 1 });
    return writable.total > 0 ? { all: { status: SELECT_ALL_STATUSES } } : undefined;
  }
  const codes: string[] = [];
  for (let page = 1; ; page++) {
    const batch = await hub.previews.entries(previewId, { status: WRITING_STATUSES, page, pageSize: 500 });
    for (const entry of batch.items) {
      if (entry.status !== 'identity_mismatch' || confirmedMismatches.includes(entry.employeeCode)) {
        codes.push(entry.employeeCode);
      }
    }
    if (batch.items.length === 0 || page * 500 >= batch.total) break;
  }
  return codes.length > 0 ? { codes } : undefined;
}

/** Starts the run of a stored preview; the hub refuses a spent or outdated one (HubError conflict). */
export async function startFromPreview(
  hub: Hub,
  actor: string,
  input: { previewId: string; selection?: Selection | undefined; confirmedMismatches?: readonly string[] },
): Promise<Run> {
  const confirmed = input.confirmedMismatches ?? [];
  const selection = input.selection ?? (await defaultSelection(hub, input.previewId, confirmed));
  if (!selection) {
    const unconfirmed = await hub.previews.entries(input.previewId, {
      status: 'identity_mismatch',
      pageSize: 20,
    });
    if (unconfirmed.total > 0) {
      throw new HubError(
        'validation',
        `別人の可能性がある社員番号は、1人ずつ確認して指定した場合だけ書き込みます: ${unconfirmed.items
          .map((entry) => entry.employeeCode)
          .join(', ')}${unconfirmed.total > unconfirmed.items.length ? ' ほか' : ''}`,
      );
    }
    throw new HubError('validation', '書き込む従業員がいません（差分なし）。');
  }
  return hub.runs.start(actor, { previewId: input.previewId, selection, confirmedMismatches: confirmed });
}
