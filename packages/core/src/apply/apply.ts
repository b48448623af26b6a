import { silentLogger } from '../clock.ts';
import type { Plan } from '../plan/types.ts';
import { hasMoved, holdsIntendedValues, toWriteTask, type WriteTask } from './entry-writes.ts';
import { summarise } from './status.ts';
import type {
  ApplyEvent,
  ApplyOptions,
  ApplyResult,
  ApplyTarget,
  BatchRetryPolicy,
  EmployeeOutcome,
} from './types.ts';
import { type BatchContext, readCurrent, type TaskResult, writeBatch } from './write-batch.ts';

export const DEFAULT_BATCH_RETRY: BatchRetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  // 2 + 4 + 8 + 16 + 32 s: re-checks cover a vendor that commits up to a minute after the request.
  recheckWindowMs: 60_000,
  recheckBaseDelayMs: 2_000,
};

/**
 * Writes the selected entries of a plan to the target (DESIGN §6) and yields progress events; the
 * generator's return value is the result (also carried by the `finished` event).
 *
 * Per batch of `limits.writeBatchSize`: the target's current records are re-read; an employee whose
 * fingerprint moved is `stale`, unless the target already holds the values it would write (counted
 * done, so a resumed run converges without writing twice); the rest are written (see `writeBatch`).
 * Up to `limits.concurrency` batches run at once; pacing and per-request retries belong to the
 * connector's http client. Cancellation is checked between batches: an in-flight batch finishes,
 * the rest are `not_attempted`. Never throws for a vendor failure: every selected 社員番号 gets an outcome.
 */
export async function* apply(
  plan: Plan,
  selection: readonly string[],
  target: ApplyTarget,
  options: ApplyOptions,
): AsyncGenerator<ApplyEvent, ApplyResult> {
  const { clock, signal } = options;
  const startedAt = clock.now();
  const { limits, fields } = target.definition;
  const ctx: BatchContext = {
    session: target.session,
    area: target.area,
    clock,
    signal,
    logger: options.logger ?? silentLogger,
    policy: { ...DEFAULT_BATCH_RETRY, ...options.retry },
    random: options.random ?? Math.random,
    codeKey: target.session.employeeCodeKey?.(target.area) ?? ((code) => code),
  };

  const codes = [...new Set(selection)];
  const entries = new Map(plan.entries.map((entry, index) => [entry.employeeCode, { entry, index }]));
  const order = (code: string) => entries.get(code)?.index ?? Number.POSITIVE_INFINITY;
  codes.sort((a, b) => order(a) - order(b));

  const outcomes = new Map<string, EmployeeOutcome>();
  const tasks: WriteTask[] = [];
  for (const code of codes) {
    const carried = options.alreadyDone?.get(code);
    const found = entries.get(code)?.entry;
    if (carried && carried.status !== 'not_attempted') outcomes.set(code, carried);
    else if (!found) outcomes.set(code, skipped(code, 'unknown', 'プレビューに含まれていない社員番号です。'));
    else if (!found.selectable) {
      outcomes.set(code, skipped(code, 'not_selectable', 'エラーまたは重複のため連携できません。'));
    } else {
      const task = toWriteTask(found, fields);
      if (found.status === 'unchanged' || task.changes.length === 0) {
        outcomes.set(code, skipped(code, 'unchanged', '差分がないため書き込みませんでした。'));
      } else tasks.push(task);
    }
  }
  const batches: WriteTask[][] = [];
  for (let i = 0; i < tasks.length; i += limits.writeBatchSize)
    batches.push(tasks.slice(i, i + limits.writeBatchSize));

  yield { type: 'started', total: codes.length, batches: batches.length };
  for (const outcome of outcomes.values()) yield { type: 'outcome', outcome };
  if (outcomes.size > 0) yield { type: 'progress', done: outcomes.size, total: codes.length };

  // Batches run in workers; their events reach the consumer through this queue. A worker starts its
  // next batch only once the consumer has taken every event so far (so a consumer that persists each
  // outcome, or cancels on one, is never overtaken).
  const queue: ApplyEvent[] = [];
  let wake: (() => void) | undefined;
  let drainWaiters: (() => void)[] = [];
  const emit = (event: ApplyEvent) => {
    queue.push(event);
    wake?.();
  };
  const release = () => {
    const waiters = drainWaiters;
    drainWaiters = [];
    for (const resolve of waiters) resolve();
  };
  const drained = () => new Promise<void>((resolve) => drainWaiters.push(resolve));
  let next = 0;
  let closed = false;
  const worker = async () => {
    while (next < batches.length && !closed && !signal?.aborted) {
      const batch = next++;
      const batchTasks = batches[batch] as WriteTask[];
      emit({
        type: 'batch-started',
        batch,
        employeeCodes: batchTasks.map((task) => task.entry.employeeCode),
      });
      for (const outcome of await runBatch(ctx, plan, batchTasks)) {
        outcomes.set(outcome.employeeCode, outcome);
        emit({ type: 'outcome', outcome });
      }
      emit({ type: 'progress', done: outcomes.size, total: codes.length });
      await drained();
    }
  };
  let settled = false;
  let failure: { error: unknown } | undefined;
  Promise.all(Array.from({ length: Math.min(limits.concurrency, batches.length) }, worker)).then(
    () => {
      settled = true;
      wake?.();
    },
    (error: unknown) => {
      failure = { error };
      settled = true;
      wake?.();
    },
  );

  try {
    while (!settled || queue.length > 0) {
      if (queue.length === 0) {
        release();
        await new Promise<void>((resolve) => (wake = resolve));
      }
      wake = undefined;
      while (queue.length > 0) yield queue.shift() as ApplyEvent;
    }
  } finally {
    // The consumer stopped listening: let in-flight batches finish, start no more.
    closed = true;
    release();
  }
  if (failure) throw failure.error;

  for (const code of codes) if (!outcomes.has(code)) outcomes.set(code, notAttempted(code));
  const ordered = codes.map((code) => outcomes.get(code) as EmployeeOutcome);
  const result = summarise(ordered, startedAt, clock.now());
  yield { type: 'finished', result };
  return result;
}

/** Stale check, then the write, for one batch; one outcome per task. */
async function runBatch(ctx: BatchContext, plan: Plan, tasks: WriteTask[]): Promise<EmployeeOutcome[]> {
  const current = await readCurrent(
    ctx,
    tasks.map((task) => task.targetCode),
  );
  if (!current.ok) {
    if (current.cancelled) return tasks.map((task) => notAttempted(task.entry.employeeCode));
    const error = current.error.toJSON();
    return tasks.map((task) => ({
      status: 'failed',
      employeeCode: task.entry.employeeCode,
      error,
      attempts: 0,
    }));
  }

  const outcomes = new Map<string, EmployeeOutcome>();
  const toWrite: { task: WriteTask; exists: boolean }[] = [];
  for (const task of tasks) {
    const code = task.entry.employeeCode;
    const record = current.record(task.targetCode);
    if (current.unreadable(task.targetCode)) {
      outcomes.set(code, {
        status: 'failed',
        employeeCode: code,
        attempts: 0,
        error: {
          kind: 'validation',
          retryable: false,
          message:
            '連携先の現在の登録内容を読み取れないため、書き込みませんでした。連携先のデータを確認してください。',
        },
      });
    } else if (holdsIntendedValues(record, task)) {
      outcomes.set(code, written(task, { ok: true, attempts: 0, alreadyInTarget: true }));
    } else if (hasMoved(record, task.entry, plan)) {
      outcomes.set(code, {
        status: 'stale',
        employeeCode: code,
        message:
          'プレビュー後に連携先のデータが変更されたため、書き込みませんでした。もう一度プレビューしてください。',
      });
    } else toWrite.push({ task, exists: record !== undefined });
  }

  const results = toWrite.length > 0 ? await writeBatch(ctx, toWrite) : new Map<string, TaskResult>();
  for (const { task } of toWrite) {
    outcomes.set(task.entry.employeeCode, written(task, results.get(task.entry.employeeCode) as TaskResult));
  }
  return tasks.map((task) => outcomes.get(task.entry.employeeCode) as EmployeeOutcome);
}

function written(task: WriteTask, result: TaskResult): EmployeeOutcome {
  const employeeCode = task.entry.employeeCode;
  if (!result.ok) {
    if ('notAttempted' in result) return notAttempted(employeeCode);
    if ('unconfirmed' in result) {
      return {
        status: 'ambiguous',
        employeeCode,
        message: result.message,
        error: result.error,
        attempts: result.attempts,
      };
    }
    return { status: 'failed', employeeCode, error: result.error, attempts: result.attempts };
  }
  return {
    status: task.entry.status === 'new' ? 'created' : 'updated',
    employeeCode,
    changes: task.changes,
    attempts: result.attempts,
    ...(result.alreadyInTarget ? { alreadyInTarget: true } : {}),
  };
}

/** Cancelled before anything of this employee was written. */
function notAttempted(employeeCode: string): EmployeeOutcome {
  return { status: 'not_attempted', employeeCode, message: '連携が中止されたため書き込みませんでした。' };
}

function skipped(
  employeeCode: string,
  reason: 'unknown' | 'not_selectable' | 'unchanged',
  message: string,
): EmployeeOutcome {
  return { status: 'skipped', employeeCode, reason, message };
}

/** Runs an apply to the end, ignoring events; returns the result. */
export async function applyAll(run: AsyncGenerator<ApplyEvent, ApplyResult>): Promise<ApplyResult> {
  for (;;) {
    const step = await run.next();
    if (step.done) return step.value;
  }
}
