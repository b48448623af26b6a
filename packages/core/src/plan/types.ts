import { z } from 'zod';
import { FieldIssue, FieldKey } from '../employee.ts';

/** Per-field sync mode of a connection (docs/architecture.md, "Plans"). */
export const SyncMode = z.enum(['update', 'mirror', 'fill-if-empty', 'skip']);
export type SyncMode = z.infer<typeof SyncMode>;
export type SyncModes = Partial<Record<FieldKey, SyncMode>>;

/**
 * How a connection matches OrgRef values (雇用形態, 部署, 役職): `code` (default) by code when both
 * sides have one, else by name; `name` by name only, for systems whose code tables differ (HR's D1
 * is PCA's 120). Under `name` the value written carries no code, so the target resolves the name
 * in its own master.
 */
export const OrgRefMatch = z.enum(['code', 'name']);
export type OrgRefMatch = z.infer<typeof OrgRefMatch>;

export const PlanStatus = z.enum(['new', 'changed', 'unchanged', 'invalid', 'conflict']);
export type PlanStatus = z.infer<typeof PlanStatus>;

/**
 * The statuses a run writes: 新規登録 and 差分あり. The one place that decides it — select-all, the
 * 確認 dialog, previews' refusal checks and runs all ask `isWriting`.
 */
export const WRITING_STATUSES: readonly PlanStatus[] = ['new', 'changed'];

/** Whether a run would write this entry (差分なし has nothing to write; the rest cannot be selected). */
export function isWriting(entry: { readonly status: PlanStatus }): boolean {
  return WRITING_STATUSES.includes(entry.status);
}

/** Japanese badge per status, as the picker shows it. */
export const PLAN_STATUS_LABELS: Record<PlanStatus, string> = {
  new: '新規登録',
  changed: '差分あり',
  unchanged: '差分なし',
  invalid: 'エラー',
  conflict: '重複',
};

/** `before` is the target's normalised value (null when empty/absent); `after` the value to write (null clears). */
export const FieldChange = z.object({
  field: FieldKey,
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
});
export type FieldChange = z.infer<typeof FieldChange>;

export const PlanEntry = z.object({
  /** The source's 社員番号: what the picker shows and outcomes are reported under. */
  employeeCode: z.string(),
  /**
   * The matched target record's own 社員番号, present only where it is spelled differently (a
   * `codeKey` match, e.g. `000123` ⇔ `123`): the engine reads and updates the target under it.
   */
  targetEmployeeCode: z.string().optional(),
  status: PlanStatus,
  /** Display name (姓 名) for the picker, from the source or else the target. */
  name: z.string().optional(),
  changes: z.array(FieldChange),
  issues: z.array(FieldIssue),
  /** Fingerprint of the target's compared values the entry was computed against; null when absent. */
  fingerprint: z.string().nullable(),
  selectable: z.boolean(),
});
export type PlanEntry = z.infer<typeof PlanEntry>;

export const PlanSummary = z.object({
  new: z.number(),
  changed: z.number(),
  unchanged: z.number(),
  invalid: z.number(),
  conflict: z.number(),
  /** Target employees absent from the source: shown, never deleted. */
  targetOnly: z.number(),
});
export type PlanSummary = z.infer<typeof PlanSummary>;

export const Plan = z.object({
  version: z.literal(1),
  /** Fields compared: read by the source, written by the target, not skipped, narrowed by options. */
  fields: z.array(FieldKey),
  modes: z.record(FieldKey, SyncMode),
  /** The OrgRef matching the plan was made with; absent means `code` (plans made before it existed). */
  orgRefMatch: OrgRefMatch.optional(),
  entries: z.array(PlanEntry),
  targetOnlyCodes: z.array(z.string()),
  summary: PlanSummary,
});
export type Plan = z.infer<typeof Plan>;
