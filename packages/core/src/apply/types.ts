import { z } from 'zod';
import type { Clock, Logger } from '../clock.ts';
import type { ConnectorDefinition, ConnectorSession } from '../connector.ts';
import { ConnectorErrorInfo } from '../errors.ts';
import { FieldChange } from '../plan/types.ts';

/** Why a selected 社員番号 was not written at all. */
export const SkipReason = z.enum([
  'unknown', // not in the plan
  'not_selectable', // invalid or conflict in the plan
  'unchanged', // 差分なし: nothing to write
]);
export type SkipReason = z.infer<typeof SkipReason>;

const written = {
  employeeCode: z.string(),
  /** The field changes applied: the audit trail (before = target's value, after = value written). */
  changes: z.array(FieldChange),
  /** Write calls that carried this employee. */
  attempts: z.number().int().nonnegative(),
  /** The target already held these values, so nothing was sent (e.g. a resumed run). */
  alreadyInTarget: z.boolean().optional(),
};

/** One selected employee's outcome; persisted by the hub as the run's per-employee result. */
export const EmployeeOutcome = z.discriminatedUnion('status', [
  z.object({ status: z.literal('created'), ...written }),
  z.object({ status: z.literal('updated'), ...written }),
  /** The target changed since the preview: not written; preview again. */
  z.object({ status: z.literal('stale'), employeeCode: z.string(), message: z.string() }),
  z.object({
    status: z.literal('failed'),
    employeeCode: z.string(),
    error: ConnectorErrorInfo,
    attempts: z.number().int().nonnegative(),
  }),
  /**
   * 未確認: a write whose answer was lost, and the target still did not show it after the re-checks.
   * Not sent again (a second create could duplicate the employee); the next plan settles it.
   */
  z.object({
    status: z.literal('ambiguous'),
    employeeCode: z.string(),
    message: z.string(),
    /** The lost call's error. */
    error: ConnectorErrorInfo,
    attempts: z.number().int().nonnegative(),
  }),
  z.object({
    status: z.literal('skipped'),
    employeeCode: z.string(),
    reason: SkipReason,
    message: z.string(),
  }),
  /** The run was cancelled before this employee was written (its batch not started, or a retry not sent). */
  z.object({ status: z.literal('not_attempted'), employeeCode: z.string(), message: z.string() }),
]);
export type EmployeeOutcome = z.infer<typeof EmployeeOutcome>;
export type OutcomeStatus = EmployeeOutcome['status'];

/**
 * `succeeded`: nothing failed, went stale or stayed unconfirmed (ambiguous). `failed`: something failed or went stale and nothing
 * was written. `partially_failed`: some written, some not. `cancelled`: stopped before the end.
 */
export const RunStatus = z.enum(['succeeded', 'partially_failed', 'failed', 'cancelled']);
export type RunStatus = z.infer<typeof RunStatus>;

export const OutcomeCounts = z.object({
  created: z.number(),
  updated: z.number(),
  stale: z.number(),
  failed: z.number(),
  ambiguous: z.number(),
  skipped: z.number(),
  not_attempted: z.number(),
});
export type OutcomeCounts = z.infer<typeof OutcomeCounts>;

export const ApplyResult = z.object({
  status: RunStatus,
  /** One per selected 社員番号, in plan order (unknown codes last). */
  outcomes: z.array(EmployeeOutcome),
  counts: OutcomeCounts,
  startedAt: z.number(),
  finishedAt: z.number(),
});
export type ApplyResult = z.infer<typeof ApplyResult>;

export type ApplyEvent =
  | { type: 'started'; total: number; batches: number }
  | { type: 'batch-started'; batch: number; employeeCodes: string[] }
  | { type: 'outcome'; outcome: EmployeeOutcome }
  | { type: 'progress'; done: number; total: number }
  | { type: 'finished'; result: ApplyResult };

export interface ApplyTarget {
  session: ConnectorSession;
  /** Data area id (`IMPLICIT_DATA_AREA.id` where the vendor has none). */
  area: string;
  definition: Pick<ConnectorDefinition, 'fields' | 'limits'>;
}

/** Apply's own retries of a whole write call, on top of the http client's per-request retries. */
export interface BatchRetryPolicy {
  /** Calls per batch before it is split in two (singletons: before the employee fails). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * After a write that got no answer (timeout, connection lost), how long the target is re-checked
   * for it (the vendor may commit late) before the employee is left 未確認 instead of re-sent.
   */
  recheckWindowMs: number;
  /** The first re-check's delay; each next one doubles it. */
  recheckBaseDelayMs: number;
}

export interface ApplyOptions {
  clock: Clock;
  /** Stops between batches; the rest are reported `not_attempted` and the run `cancelled`. */
  signal?: AbortSignal;
  logger?: Logger;
  /** Outcomes already recorded by an interrupted run: carried over, not written again. */
  alreadyDone?: ReadonlyMap<string, EmployeeOutcome>;
  retry?: Partial<BatchRetryPolicy>;
  /** Randomness for backoff jitter (seeded in tests). */
  random?: () => number;
}
