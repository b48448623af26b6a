import type { EventEmitter } from 'node:events';
import {
  type ApplyTarget,
  apply,
  type Clock,
  ConnectorError,
  type EmployeeOutcome,
  IMPLICIT_DATA_AREA,
  isConnectorError,
  type Logger,
} from '@renkei/core';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Connections } from '../connections/connections.ts';
import { type ContextSources, connectorContext } from '../context.ts';
import type { Db } from '../db/adapter.ts';
import { connections, previews, type RunOutcome, runItems, runs, users } from '../db/schema.ts';
import { createHrConnector } from '../employees/hr-connector.ts';
import type { EmployeeStore } from '../employees/store.ts';
import { isHubError } from '../errors.ts';
import { composeRunNotification } from '../notifications/compose.ts';
import { enqueueNotification } from '../notifications/outbox.ts';
import type { Previews } from '../previews/previews.ts';
import { finishedRunStatus } from './labels.ts';
import type { Leases } from './lease.ts';
import type { ChunkJob } from './queue.ts';
import { countsOf, FINAL_STATUSES, markNotAttempted, markTakenUnconfirmed } from './runs.ts';

type RunRow = typeof runs.$inferSelect;

export interface ExecutorDeps {
  db: Db;
  store: EmployeeStore;
  connections: Connections;
  previews: Previews;
  sources: ContextSources;
  clock: Clock;
  logger: Logger;
  progress: EventEmitter;
  /** Names this process in run items (which worker recorded what). */
  workerId: string;
  /** Connection leases: an export's chunk holds its connection's while it uses the vendor. */
  leases: Leases;
  /** Whether notifications also go out by mail. */
  mail: boolean;
  /** Called after a run's notification was queued. */
  onNotified(): void;
  /**
   * Outgoing webhooks: `record` adds the run's deliveries in the transaction that ends it, `send`
   * queues them once that transaction committed.
   */
  webhooks?: {
    record(tx: Db, runId: string): Promise<string[]>;
    send(ids: readonly string[]): Promise<void>;
  };
  /** The queue's retries of a chunk (HubOptions.chunkRetryLimit): a failing target gives up within them. */
  chunkRetryLimit?: number;
}

/** Attempts of a chunk that failed as a whole (target unreachable) before its employees are failed. */
const GIVE_UP_AFTER_RETRIES = 3;

/** What the target already held when a create found the employee there. */
export const ALREADY_PRESENT_MESSAGE = '連携先にすでに同じ内容で登録されていたため、新規登録しませんでした。';

/**
 * The outcome as the run reports it: a create that found the employee already holding the values
 * is 既に登録済み (`already_present`), not 新規登録, so the counts match what the vendor created.
 */
export function recordedOutcome(outcome: EmployeeOutcome): RunOutcome {
  if (outcome.status === 'created' && outcome.alreadyInTarget) return 'already_present';
  return outcome.status as RunOutcome;
}

function itemValues(outcome: EmployeeOutcome) {
  if (recordedOutcome(outcome) === 'already_present') {
    return { changes: [], error: null, message: ALREADY_PRESENT_MESSAGE };
  }
  switch (outcome.status) {
    case 'created':
    case 'updated':
      return { changes: outcome.changes, error: null, message: null };
    case 'failed':
      return { changes: [], error: outcome.error, message: outcome.error.message };
    case 'ambiguous':
      return { changes: [], error: outcome.error, message: outcome.message };
    default:
      return { changes: [], error: null, message: 'message' in outcome ? String(outcome.message) : null };
  }
}

/** Works one chunk of a run: apply the plan's entries to the target, recording each outcome as it comes. */
export function createExecutor(deps: ExecutorDeps) {
  const { db } = deps;
  const giveUpAfter = Math.min(GIVE_UP_AFTER_RETRIES, deps.chunkRetryLimit ?? GIVE_UP_AFTER_RETRIES);

  async function record(runId: string, outcome: EmployeeOutcome): Promise<void> {
    // Only the first record of an employee counts: a resumed chunk never overwrites the truth.
    await db
      .update(runItems)
      .set({
        outcome: recordedOutcome(outcome),
        detail: outcome,
        ...itemValues(outcome),
        worker: deps.workerId,
        finishedAt: new Date(deps.clock.now()),
      })
      .where(
        and(
          eq(runItems.runId, runId),
          eq(runItems.employeeCode, outcome.employeeCode),
          eq(runItems.outcome, 'pending'),
        ),
      );
  }

  async function openTarget(run: RunRow, signal: AbortSignal): Promise<ApplyTarget> {
    if (run.direction === 'import') {
      const hr = createHrConnector(deps.store, `run:${run.id}`);
      return {
        session: await hr.connect({}, connectorContext(deps.sources, signal)),
        area: IMPLICIT_DATA_AREA.id,
        definition: hr,
      };
    }
    const { session, definition } = await deps.connections.openSession(run.connectionId, signal);
    return { session, area: run.dataArea, definition };
  }

  /** Ends the run once no employee is pending: status, finish time and the notification, once. */
  async function finalize(runId: string): Promise<boolean> {
    let deliveries: string[] = [];
    const finished = await db.transaction(async (tx) => {
      const counts = (await countsOf(tx as Db, [runId])).get(runId);
      if (!counts || counts.pending > 0) return false;
      const status = finishedRunStatus(counts);
      const [run] = await tx
        .update(runs)
        .set({ status, finishedAt: new Date(deps.clock.now()) })
        .where(and(eq(runs.id, runId), inArray(runs.status, ['queued', 'running'])))
        .returning();
      if (!run) return false;
      // Not attempted ones are only counted: a cancel is not a failure of each employee it spared.
      const failures = await tx
        .select({ employeeCode: runItems.employeeCode, message: runItems.message, outcome: runItems.outcome })
        .from(runItems)
        .where(
          and(
            eq(runItems.runId, runId),
            inArray(runItems.outcome, ['failed', 'stale', 'ambiguous', 'skipped']),
          ),
        )
        .orderBy(asc(runItems.seq));
      const payload = {
        counts,
        failures: failures.map((failure) => ({
          employeeCode: failure.employeeCode,
          outcome: failure.outcome,
          message: failure.message ?? '',
        })),
      };
      const { title, body } = composeRunNotification({
        connectionName: await connectionNameOf(tx as Db, run.connectionId),
        direction: run.direction,
        dataAreaName: await dataAreaNameOf(tx as Db, run.previewId),
        status,
        payload,
        ...(run.cancelledBy ? { cancelledBy: await userNameOf(tx as Db, run.cancelledBy) } : {}),
      });
      // A success is recorded, but as read and without mail unless the admin asked otherwise.
      const quiet = status === 'succeeded' && (await successNoticeOf(tx as Db, run.startedBy)) === 'quiet';
      await enqueueNotification(
        tx as Db,
        { userId: run.startedBy, runId, title, body, payload },
        { mail: deps.mail && !quiet, ...(quiet ? { readAt: new Date(deps.clock.now()) } : {}) },
      );
      deliveries = (await deps.webhooks?.record(tx as Db, runId)) ?? [];
      return true;
    });
    if (finished) {
      deps.progress.emit('progress', runId);
      deps.onNotified();
      // A failure to queue leaves the deliveries pending: the next start queues them (queuePending).
      if (deliveries.length > 0) {
        await deps.webhooks?.send(deliveries).catch((error: unknown) => {
          deps.logger.error('could not queue webhook deliveries', { runId, error: String(error) });
        });
      }
    }
    return finished;
  }

  async function failPending(runId: string, chunk: number, error: ConnectorError): Promise<void> {
    const info = error.toJSON();
    const pending = await db
      .select({ code: runItems.employeeCode })
      .from(runItems)
      .where(and(eq(runItems.runId, runId), eq(runItems.chunk, chunk), eq(runItems.outcome, 'pending')));
    for (const { code } of pending)
      await record(runId, { status: 'failed', employeeCode: code, error: info, attempts: 0 });
  }

  /**
   * Takes a chunk for this worker unless the run was cancelled. Under the run row lock, so a cancel
   * either sees the chunk taken (and leaves its employees to this worker) or is seen here.
   */
  async function claimChunk(runId: string, chunk: number): Promise<boolean> {
    return db.transaction(async (tx) => {
      const [run] = await tx
        .select({ status: runs.status, cancelRequestedAt: runs.cancelRequestedAt })
        .from(runs)
        .where(eq(runs.id, runId))
        .for('update');
      if (!run || run.cancelRequestedAt || FINAL_STATUSES.includes(run.status)) return false;
      if (run.status === 'queued') {
        await tx
          .update(runs)
          .set({ status: 'running', startedAt: new Date(deps.clock.now()) })
          .where(eq(runs.id, runId));
      }
      await tx
        .update(runItems)
        .set({ worker: deps.workerId })
        .where(and(eq(runItems.runId, runId), eq(runItems.chunk, chunk), eq(runItems.outcome, 'pending')));
      return true;
    });
  }

  /** Read from the database, so a cancel from any process is seen (a vanished run stops too). */
  async function cancelRequested(runId: string): Promise<boolean> {
    const [row] = await db.select({ at: runs.cancelRequestedAt }).from(runs).where(eq(runs.id, runId));
    return !row || row.at !== null;
  }

  /** Applies the chunk's employees; true when it stopped because the run was cancelled. */
  async function applyChunk(
    run: RunRow,
    codes: string[],
    alreadyDone: ReadonlyMap<string, EmployeeOutcome>,
    workerSignal: AbortSignal,
  ): Promise<boolean> {
    const cancel = new AbortController();
    // An export holds its connection's lease while its session is open: the connection's chunks
    // never run at once on any two workers. (An import writes to the HR master only.) Losing the
    // lease stops the chunk as a worker stopping does; its job is handed out again and resumes.
    const lease =
      run.direction === 'export' ? await deps.leases.acquire(run.connectionId, workerSignal) : undefined;
    const signal = lease ? AbortSignal.any([workerSignal, lease.lost]) : workerSignal;
    let target: ApplyTarget;
    try {
      target = await openTarget(run, signal);
    } catch (error) {
      await lease?.release();
      throw error;
    }
    try {
      const planned = await deps.previews.planFor(run.previewId, codes);
      // The connection's OrgRef matching, so the stale check fingerprints as the preview did (a
      // setting changed since the preview may make entries stale: re-preview, never a wrong write).
      const connection = await deps.connections.get(run.connectionId);
      const plan = { ...planned, orgRefMatch: connection?.orgRefMatch ?? 'code' };
      const events = apply(plan, codes, target, {
        clock: deps.clock,
        signal: AbortSignal.any([signal, cancel.signal]),
        logger: deps.logger,
        alreadyDone,
      });
      const cutOff = (outcome: EmployeeOutcome) =>
        outcome.status === 'failed' &&
        outcome.error.kind === 'cancelled' &&
        (signal.aborted || cancel.signal.aborted);
      for await (const event of events) {
        // Before the first batch and after each one (apply starts no batch while this body runs).
        if (event.type === 'started' || event.type === 'progress') {
          if (!cancel.signal.aborted && (await cancelRequested(run.id))) cancel.abort();
          continue;
        }
        if (event.type !== 'outcome' || alreadyDone.has(event.outcome.employeeCode)) continue;
        // Not attempted (stopping or cancelled) is settled by the caller, not recorded as apply's;
        // nor is a write cut off by this worker stopping, which may have landed: left pending, the
        // resumed chunk looks the employee up (written → counted done, never created twice).
        if (event.outcome.status === 'not_attempted' || cutOff(event.outcome)) continue;
        await record(run.id, event.outcome);
        deps.progress.emit('progress', run.id);
      }
    } finally {
      await target.session.close().catch(() => {});
      await lease?.release();
    }
    if (lease?.lost.aborted && !workerSignal.aborted) {
      throw new Error(`run ${run.id}: the connection lease was lost; the chunk resumes on another attempt`);
    }
    return cancel.signal.aborted;
  }

  return {
    finalize,
    async executeChunk(job: ChunkJob & { retryCount: number; signal: AbortSignal }): Promise<void> {
      const [run] = await db.select().from(runs).where(eq(runs.id, job.runId));
      if (!run || FINAL_STATUSES.includes(run.status)) return;
      if (!(await claimChunk(run.id, job.chunk))) {
        // Cancelled before this chunk started (未実行), or while the worker that held it was lost:
        // what that worker had taken may have been written, so it is 未確認, never "not written".
        const at = new Date(deps.clock.now());
        await markTakenUnconfirmed(db, run.id, at, eq(runItems.chunk, job.chunk));
        await markNotAttempted(db, run.id, at, eq(runItems.chunk, job.chunk));
        await finalize(run.id);
        return;
      }
      deps.progress.emit('progress', run.id);

      const items = await db
        .select()
        .from(runItems)
        .where(and(eq(runItems.runId, run.id), eq(runItems.chunk, job.chunk)))
        .orderBy(asc(runItems.seq));
      const alreadyDone = new Map(
        items.flatMap((item) => (item.detail ? [[item.employeeCode, item.detail] as const] : [])),
      );
      if (alreadyDone.size < items.length) {
        let cancelled = false;
        try {
          cancelled = await applyChunk(
            run,
            items.map((item) => item.employeeCode),
            alreadyDone,
            job.signal,
          );
        } catch (error) {
          // Stopping, the hub's own failure (a database connection reset: some employees may be
          // written but not recorded), or a passing outage: the queue hands the chunk out again and
          // it resumes, settling each employee; a chunk that never gets through ends in the
          // dead-letter queue (runs.abandonChunk).
          if (job.signal.aborted) throw error;
          // The hub's own refusal (the connection is gone, its credentials cannot be decrypted)
          // does not pass with retries: the employees are told at once, in its words.
          const refusal = isHubError(error)
            ? new ConnectorError(error.kind === 'not_found' ? 'not_found' : 'validation', error.message)
            : error;
          if (!isConnectorError(refusal)) throw error;
          if (refusal.retryable && job.retryCount < giveUpAfter) throw error;
          // The target refuses the whole chunk: every employee still pending is told why.
          deps.logger.error('run chunk failed', { runId: run.id, chunk: job.chunk, error: String(refusal) });
          await failPending(run.id, job.chunk, refusal);
        }
        if (cancelled) {
          await markNotAttempted(db, run.id, new Date(deps.clock.now()), eq(runItems.chunk, job.chunk));
        } else if (job.signal.aborted) {
          throw new Error(`run ${run.id} chunk ${job.chunk} interrupted; it resumes on another attempt`);
        }
      }
      await finalize(run.id);
    },
  };
}

async function connectionNameOf(db: Db, connectionId: string): Promise<string> {
  const [row] = await db
    .select({ name: connections.displayName })
    .from(connections)
    .where(eq(connections.id, connectionId));
  return row?.name ?? '';
}

async function dataAreaNameOf(db: Db, previewId: string): Promise<string | null> {
  const [row] = await db
    .select({ name: previews.dataAreaName })
    .from(previews)
    .where(eq(previews.id, previewId));
  return row?.name ?? null;
}

async function userNameOf(db: Db, userId: string): Promise<string> {
  const [row] = await db.select({ name: users.name }).from(users).where(eq(users.id, userId));
  return row?.name ?? '';
}

export type Executor = ReturnType<typeof createExecutor>;

async function successNoticeOf(db: Db, userId: string): Promise<'quiet' | 'unread'> {
  const [row] = await db.select({ notice: users.successNotice }).from(users).where(eq(users.id, userId));
  return row?.notice ?? 'quiet';
}
