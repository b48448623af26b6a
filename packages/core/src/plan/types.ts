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

/**
 * `identity_mismatch` (別人の可能性): the 社員番号 matches but the person does not (see
 * `identityMismatch`): selectable only deliberately, never by select-all.
 */
export const PlanStatus = z.enum(['new', 'changed', 'unchanged', 'invalid', 'conflict', 'identity_mismatch']);
export type PlanStatus = z.infer<typeof PlanStatus>;

/**
 * The statuses a run writes: 新規登録 and 差分あり. The one place that decides it — select-all, the
 * 確認 dialog, previews' refusal checks and runs all ask `isWriting`.
 */
/** 別人の可能性 is written too, but only when ticked one by one and confirmed again (never by select-all). */
export const WRITING_STATUSES: readonly PlanStatus[] = ['new', 'changed', 'identity_mismatch'];

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
  identity_mismatch: '別人の可能性',
};

/** The identity fields of one side of a 別人の可能性 entry, normalised, for showing both side by side. */
export const Identity = z.object({
  /** 姓 名 */
  name: z.string().optional(),
  /** フリガナ 姓 名 */
  kana: z.string().optional(),
  /** YYYY-MM-DD */
  birthDate: z.string().optional(),
});
export type Identity = z.infer<typeof Identity>;

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
  /** Only on `identity_mismatch`: who each side is, as the rule compared them. */
  identity: z.object({ source: Identity, target: Identity }).optional(),
});
export type PlanEntry = z.infer<typeof PlanEntry>;

export const PlanSummary = z.object({
  new: z.number(),
  changed: z.number(),
  unchanged: z.number(),
  invalid: z.number(),
  conflict: z.number(),
  /** 別人の可能性; absent from plans made before the status existed. */
  identity_mismatch: z.number().default(0),
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
