import {
  type ConnectorFields,
  canRead,
  canWrite,
  FieldKey,
  type Plan,
  type PlanEntry,
  SyncMode,
  type SyncModes,
} from '@renkei/core';
import { z } from 'zod';
import { HubError } from '../errors.ts';
import type { Direction } from '../previews/previews.ts';
import { zodIssues } from '../validation.ts';

/**
 * 同期ルール of one direction: the engine's per-field modes (core's SyncMode, as `plan` honours
 * them) and which employees are written — both new and existing, new ones only (新規登録のみ), or
 * existing ones only (新規登録しない).
 */
export const DirectionPolicy = z.object({
  modes: z.partialRecord(FieldKey, SyncMode).default({}),
  records: z.enum(['all', 'new_only', 'existing_only']).default('all'),
});
export type DirectionPolicy = z.infer<typeof DirectionPolicy>;
export type RecordScope = DirectionPolicy['records'];

/** A connection's 同期ルール per direction; a direction without one syncs every field, every employee. */
export const SyncPolicy = z.object({
  import: DirectionPolicy.optional(),
  export: DirectionPolicy.optional(),
});
export type SyncPolicy = z.infer<typeof SyncPolicy>;

/** The modes the 同期ルール offers (mirror, which clears values, is left to the engine's callers). */
export const POLICY_MODES = ['update', 'fill-if-empty', 'skip'] as const satisfies readonly SyncMode[];

export const SYNC_MODE_LABELS: Record<SyncMode, string> = {
  update: '上書き',
  'fill-if-empty': '空欄のときだけ書く',
  skip: '同期しない',
  mirror: '上書き（空欄も反映）',
};

export const RECORD_SCOPE_LABELS: Record<RecordScope, string> = {
  all: '新規登録と更新',
  new_only: '新規登録のみ',
  existing_only: '更新のみ（新規登録しない）',
};

/** Why the policy keeps an entry from being written (shown on the entry in the picker). */
const HELD_BY_POLICY: Record<Exclude<RecordScope, 'all'>, string> = {
  new_only: '同期ルールが「新規登録のみ」のため、登録済みの従業員は更新しません。',
  existing_only: '同期ルールが「新規登録しない」ため、新しい従業員は登録しません。',
};

/**
 * The fields a direction moves: read from the source, written to the target. The HR master reads and
 * writes every field, so the connector's own access decides.
 */
export function policyFields(fields: ConnectorFields, direction: Direction): FieldKey[] {
  return (Object.keys(fields) as FieldKey[]).filter((key) =>
    direction === 'import' ? canRead(fields[key]) : canWrite(fields[key]),
  );
}

/**
 * The policy a run of `direction` follows: the stored one, or — where none was saved — the
 * connection's older single set of field modes for every employee.
 */
export function policyFor(
  connection: { syncPolicy: SyncPolicy | null; fieldModes: SyncModes },
  direction: Direction,
): DirectionPolicy {
  return connection.syncPolicy?.[direction] ?? { modes: connection.fieldModes, records: 'all' };
}

/** Validates a submitted policy against what the connector carries. */
export function parsePolicy(fields: ConnectorFields, displayName: string, value: unknown): SyncPolicy {
  const result = SyncPolicy.safeParse(value);
  if (!result.success) {
    throw new HubError('validation', '同期ルールの指定に誤りがあります。', {
      issues: zodIssues(result.error),
    });
  }
  for (const direction of ['import', 'export'] as const) {
    const modes = result.data[direction]?.modes ?? {};
    const carried = new Set(policyFields(fields, direction));
    const unknown = Object.keys(modes).filter((key) => !carried.has(key as FieldKey));
    if (unknown.length > 0) {
      throw new HubError(
        'validation',
        `${displayName}がこの向きに扱わない項目があります: ${unknown.join(', ')}`,
      );
    }
  }
  return result.data;
}

/** Whether the policy lets this entry be written: existing employees, new ones, or both. */
function held(entry: PlanEntry, records: RecordScope): string | undefined {
  if (records === 'all' || !entry.selectable) return undefined;
  const isNew = entry.status === 'new';
  const existing = entry.status === 'changed' || entry.status === 'identity_mismatch';
  if (records === 'new_only' && existing) return HELD_BY_POLICY.new_only;
  if (records === 'existing_only' && isNew) return HELD_BY_POLICY.existing_only;
  return undefined;
}

/**
 * The plan as the policy lets it be written. Field modes were applied by `plan` itself; here the
 * entries the record scope holds back keep their status (the admin still sees what differs) but
 * cannot be selected, and say why — so select-all, the API and every run leave them alone.
 */
export function applyRecordScope(result: Plan, records: RecordScope): Plan {
  if (records === 'all') return result;
  return {
    ...result,
    entries: result.entries.map((entry) => {
      const reason = held(entry, records);
      if (!reason) return entry;
      return { ...entry, selectable: false, issues: [...entry.issues, { field: 'record', message: reason }] };
    }),
  };
}
