import type { Clock, Logger } from '../clock.ts';
import type { ConnectorSession } from '../connector.ts';
import type { Employee } from '../employee.ts';
import { ConnectorError, type ConnectorErrorInfo, toConnectorError } from '../errors.ts';
import { withoutAmbiguityHint } from '../http/classify.ts';
import { holdsIntendedValues, toWrite, type WriteTask } from './entry-writes.ts';
import type { BatchRetryPolicy } from './types.ts';

export interface BatchContext {
  session: ConnectorSession;
  area: string;
  clock: Clock;
  signal: AbortSignal | undefined;
  logger: Logger;
  policy: BatchRetryPolicy;
  random: () => number;
  /** How the target area matches 社員番号 (identity unless the session says otherwise). */
  codeKey: (code: string) => string;
}

/** How one task of a batch ended. */
export type TaskResult =
  | { ok: true; attempts: number; alreadyInTarget?: boolean }
  | { ok: false; error: ConnectorErrorInfo; attempts: number }
  /** The answer was lost and the target still does not show the write: neither resent nor failed. */
  | { ok: false; unconfirmed: true; message: string; error: ConnectorErrorInfo; attempts: number }
  /** Cancelled while waiting to send it again: nothing of it was written. */
  | { ok: false; notAttempted: true; attempts: number };

interface Item {
  task: WriteTask;
  /** The target holds a record with this 社員番号 (so a create must not be sent). */
  exists: boolean;
  attempts: number;
}

/** Exponential backoff with full jitter, never shorter than what the vendor asked for. */
export function backoffDelay(
  policy: BatchRetryPolicy,
  retry: number,
  error: ConnectorError,
  random: () => number,
) {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.max(error.retryAfterMs ?? 0, Math.floor(random() * ceiling));
}

/** Reads the target's current records by 社員番号, retrying retryable failures per the policy. */
export async function readCurrent(
  ctx: BatchContext,
  codes: readonly string[],
): Promise<
  | { ok: true; record(code: string): Employee | undefined; unreadable(code: string): boolean }
  /** `cancelled`: the run was cancelled while waiting to read again. */
  | { ok: false; error: ConnectorError; cancelled?: true }
> {
  for (let attempt = 1; ; attempt++) {
    try {
      const listed = await ctx.session.getEmployees(ctx.area, codes);
      const records = new Map<string, Employee>();
      const unreadable = new Set<string>();
      for (const item of listed) {
        if (item.ok) records.set(ctx.codeKey(item.employee.employeeCode), item.employee);
        else if (item.employeeCode) unreadable.add(ctx.codeKey(item.employeeCode));
      }
      return {
        ok: true,
        record: (code) => records.get(ctx.codeKey(code)),
        unreadable: (code) => unreadable.has(ctx.codeKey(code)),
      };
    } catch (thrown) {
      const error = toConnectorError(thrown);
      if (!error.retryable || attempt >= ctx.policy.maxAttempts) return { ok: false, error };
      if (!(await pause(ctx, attempt, error))) return { ok: false, error, cancelled: true };
    }
  }
}

/**
 * Writes tasks whose stale check passed. A call that throws is retried (bounded, with backoff);
 * an ambiguous failure is first resolved by looking the employees up, so nothing is created twice;
 * a call that keeps failing, or is refused as a whole, is split in halves so a fault isolates to one
 * employee (except auth and cancellation, which no split can help).
 */
export async function writeBatch(
  ctx: BatchContext,
  tasks: readonly { task: WriteTask; exists: boolean }[],
): Promise<Map<string, TaskResult>> {
  const results = new Map<string, TaskResult>();
  const items = tasks.map((task) => ({ ...task, attempts: 0 }));
  await writeGroup(ctx, items, results);
  return results;
}

async function writeGroup(ctx: BatchContext, items: Item[], results: Map<string, TaskResult>): Promise<void> {
  let pending = items;
  for (let attempt = 1; pending.length > 0; attempt++) {
    for (const item of pending) item.attempts++;
    let error: ConnectorError;
    try {
      const answers = await ctx.session.writeEmployees(
        ctx.area,
        pending.map((item) => toWrite(item.task, item.exists)),
      );
      const settled = settleAnswers(ctx, pending, answers, attempt < ctx.policy.maxAttempts, results);
      if (!settled.retry) return;
      pending = settled.again;
      error = new ConnectorError(settled.retry.kind, settled.retry.message, { retryable: true });
    } catch (thrown) {
      error = toConnectorError(thrown);
      ctx.logger.warn('apply: write call failed', {
        kind: error.kind,
        ambiguous: error.ambiguous,
        employees: pending.length,
        attempt,
      });
      if (error.ambiguous) {
        const final = attempt >= ctx.policy.maxAttempts;
        // Only what the look-ups proved unwritten (or safe to send again) comes back.
        pending = await resolveAmbiguous(ctx, pending, error, final, results);
        if (pending.length === 0) return;
        if (final) {
          if (pending.length > 1) return splitAndWrite(ctx, pending, results);
          return fail(pending, notWritten(error), results);
        }
      } else if (!error.retryable) {
        // A refusal of the whole call may be caused by one record: split so the others still go through.
        if (pending.length === 1 || BATCH_WIDE_KINDS.has(error.kind))
          return fail(pending, error.toJSON(), results);
        await splitAndWrite(ctx, pending, results);
        return;
      }
      if (attempt >= ctx.policy.maxAttempts) {
        if (pending.length === 1) return fail(pending, error.toJSON(), results);
        await splitAndWrite(ctx, pending, results);
        return;
      }
    }
    // Every pending write failed retryably (or was resolved as not committed): none was written,
    // except an update whose answer was lost, which may still land (it was to be sent again).
    if (!(await pause(ctx, attempt, error))) {
      if (error.ambiguous && mayCommitLater(error)) return cancelledWhileChecking(pending, error, results);
      return notAttempted(pending, results);
    }
  }
}

/** Errors that concern the connection, not a record: splitting the call cannot help. */
const BATCH_WIDE_KINDS: ReadonlySet<ConnectorError['kind']> = new Set(['auth', 'cancelled']);

async function splitAndWrite(ctx: BatchContext, pending: Item[], results: Map<string, TaskResult>) {
  const middle = Math.ceil(pending.length / 2);
  await writeGroup(ctx, pending.slice(0, middle), results);
  await writeGroup(ctx, pending.slice(middle), results);
}

/** Records per-record answers; returns the items to send again (retryable, attempts left). */
function settleAnswers(
  ctx: BatchContext,
  pending: Item[],
  answers: Awaited<ReturnType<ConnectorSession['writeEmployees']>>,
  canRetry: boolean,
  results: Map<string, TaskResult>,
): { again: Item[]; retry?: ConnectorErrorInfo } {
  const byCode = new Map(answers.map((answer) => [ctx.codeKey(answer.employeeCode), answer]));
  const again: Item[] = [];
  let retry: ConnectorErrorInfo | undefined;
  for (const item of pending) {
    const answer = byCode.get(ctx.codeKey(item.task.targetCode));
    if (!answer) {
      results.set(item.task.entry.employeeCode, {
        ok: false,
        attempts: item.attempts,
        error: {
          kind: 'protocol',
          retryable: false,
          message: '書き込み結果が返されませんでした。連携先の状態を確認してください。',
        },
      });
    } else if (answer.ok) {
      results.set(item.task.entry.employeeCode, { ok: true, attempts: item.attempts });
    } else if (answer.error.retryable && canRetry) {
      again.push(item);
      retry ??= answer.error;
    } else {
      results.set(item.task.entry.employeeCode, { ok: false, error: answer.error, attempts: item.attempts });
    }
  }
  return retry ? { again, retry } : { again };
}

/**
 * After a write whose answer was lost, the target is read to settle each employee:
 * - it holds the intended values: written (done);
 * - it holds another record under the 社員番号: sent again as an update;
 * - the vendor's own server answered with an error (a 500) and holds nothing: not written, safe to
 *   send again;
 * - no answer came (timeout, connection lost), a gateway answered for it (502, 504) or its 2xx could
 *   not be read, and it holds nothing: the vendor may still commit, so an empty look-up proves nothing. It is read again with growing delays for `recheckWindowMs`;
 *   still nothing, and the write is left 未確認 — a create is never sent again blind (a vendor
 *   without a unique 社員番号 would store it twice). An update may be sent again at once
 *   (it writes the same values), except after the last attempt, when it is re-checked the same way.
 * Returns the items to send again; every other item gets its result. A failed look-up leaves the
 * items 未確認; a cancel while re-checking fails them as `cancelled` (a resumed run looks them up).
 */
async function resolveAmbiguous(
  ctx: BatchContext,
  pending: Item[],
  error: ConnectorError,
  final: boolean,
  results: Map<string, TaskResult>,
): Promise<Item[]> {
  const answered = !mayCommitLater(error);
  const startedAt = ctx.clock.now();
  const until = startedAt + (answered ? 0 : ctx.policy.recheckWindowMs);
  const again: Item[] = [];
  let unsure = pending;
  for (let check = 1; unsure.length > 0; check++) {
    const current = await readCurrent(
      ctx,
      unsure.map((item) => item.task.targetCode),
    );
    if (!current.ok) {
      if (current.cancelled) cancelledWhileChecking(unsure, error, results);
      else unconfirmed(ctx, unsure, error, startedAt, results, current.error);
      return again;
    }
    const waiting: Item[] = [];
    for (const item of unsure) {
      const code = item.task.targetCode;
      const record = current.record(code);
      if (holdsIntendedValues(record, item.task)) {
        results.set(item.task.entry.employeeCode, { ok: true, attempts: item.attempts });
      } else if (record !== undefined || current.unreadable(code)) {
        item.exists = true;
        again.push(item);
      } else if (answered || (item.exists && !final)) again.push(item);
      else waiting.push(item);
    }
    unsure = waiting;
    if (unsure.length === 0) break;
    const left = until - ctx.clock.now();
    if (left <= 0) {
      unconfirmed(ctx, unsure, error, startedAt, results);
      break;
    }
    ctx.logger.info('apply: re-checking writes whose answer was lost', {
      employees: unsure.length,
      check,
    });
    try {
      await ctx.clock.sleep(Math.min(left, ctx.policy.recheckBaseDelayMs * 2 ** (check - 1)), ctx.signal);
    } catch {
      cancelledWhileChecking(unsure, error, results);
      break;
    }
  }
  return again;
}

/**
 * Whether the vendor may still commit a write after this failure: no answer came (timeout,
 * connection lost), a gateway answered while the vendor's server may still be working (502, 504,
 * and a CDN's 520–524, e.g. Cloudflare's 524 timeout), or the vendor accepted the call (2xx) with an
 * answer that could not be read. Only an error answered by the vendor's own server (a 500) shows it
 * has finished with the call.
 */
function mayCommitLater(error: ConnectorError): boolean {
  const status = error.status;
  return status === undefined || status < 300 || GATEWAY_STATUSES.has(status);
}

const GATEWAY_STATUSES: ReadonlySet<number> = new Set([502, 504, 520, 521, 522, 523, 524]);

/** The lost call's error, restated once a look-up has shown nothing of it was written. */
function notWritten(error: ConnectorError): ConnectorErrorInfo {
  const { ambiguous: _ambiguous, ...info } = error.toJSON();
  return {
    ...info,
    message: `${withoutAmbiguityHint(error.message).trim()} 連携先を確認し、書き込まれていないことを確かめました。`,
  };
}

function unconfirmed(
  ctx: BatchContext,
  items: Item[],
  error: ConnectorError,
  startedAt: number,
  results: Map<string, TaskResult>,
  lookupError?: ConnectorError,
): void {
  const seconds = Math.round((ctx.clock.now() - startedAt) / 1000);
  const checked = lookupError
    ? `連携先の登録内容を確認できませんでした（${lookupError.message}）。`
    : `${seconds}秒間連携先を確認しましたが、書き込みを確認できませんでした。`;
  const unclear =
    error.status === undefined
      ? '連携先から応答がなく、書き込まれたかどうか未確認です。'
      : `連携先の応答（HTTP ${error.status}）からは書き込まれたかどうかを確認できず、未確認です。`;
  const message =
    `${unclear}${checked}` +
    '二重登録を防ぐため再送していません。あとで差分を取得し直すと、登録済みか未登録かがわかります。';
  for (const item of items) {
    results.set(item.task.entry.employeeCode, {
      ok: false,
      unconfirmed: true,
      message,
      error: error.toJSON(),
      attempts: item.attempts,
    });
  }
}

function cancelledWhileChecking(
  items: Item[],
  error: ConnectorError,
  results: Map<string, TaskResult>,
): void {
  fail(
    items,
    new ConnectorError(
      'cancelled',
      `処理が中断されたため、書き込まれたかどうか確認できませんでした。${withoutAmbiguityHint(error.message).trim()}`,
      { ambiguous: true },
    ).toJSON(),
    results,
  );
}

function fail(items: Item[], error: ConnectorErrorInfo, results: Map<string, TaskResult>): void {
  for (const item of items) {
    results.set(item.task.entry.employeeCode, { ok: false, error, attempts: item.attempts });
  }
}

function notAttempted(items: Item[], results: Map<string, TaskResult>): void {
  for (const item of items) {
    results.set(item.task.entry.employeeCode, { ok: false, notAttempted: true, attempts: item.attempts });
  }
}

/** Waits before the next attempt; false when the run was cancelled meanwhile. */
async function pause(ctx: BatchContext, attempt: number, error: ConnectorError): Promise<boolean> {
  try {
    await ctx.clock.sleep(backoffDelay(ctx.policy, attempt, error, ctx.random), ctx.signal);
    return true;
  } catch {
    return false;
  }
}
