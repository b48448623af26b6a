import { type EventEmitter, on } from 'node:events';
import {
  type Clock,
  type ConnectorErrorInfo,
  type FieldChange,
  isWriting,
  type PlanEntry,
} from '@renkei/core';
import { and, count, desc, eq, inArray, isNotNull, isNull, type SQL } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { DirectionPolicy } from '../automation/policy.ts';
import type { Db } from '../db/adapter.ts';
import {
  connections,
  previews,
  RUN_OUTCOMES,
  type RunOutcome,
  type RunStatus,
  runItems,
  runs,
} from '../db/schema.ts';
import { HubError } from '../errors.ts';
import type { HubRuns } from '../hub-api.ts';
import { listSome } from '../listing.ts';
import { type Page, type PageRequest, pageOf } from '../paging.ts';
import type { Previews, Selection } from '../previews/previews.ts';
import { isUuid } from '../validation.ts';
import { RUN_STATUS_LABELS } from './labels.ts';
import { CHUNK_QUEUE, chunkJob, LIVE_JOB_STATES } from './queue.ts';

export type RunCounts = Record<RunOutcome, number>;

export interface Run {
  id: string;
  connectionId: string;
  previewId: string;
  direction: 'import' | 'export';
  dataArea: string;
  status: RunStatus;
  startedBy: string;
  total: number;
  counts: RunCounts;
  retryOf: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** When an admin asked to stop it (`runs.cancel`); the run ends `cancelled` at the next batch boundary. */
  cancelRequestedAt: Date | null;
  /** The admin who cancelled it. */
  cancelledBy: string | null;
  /** 手動 (`manual`) or 自動 (`schedule`, `webhook`). */
  trigger: RunTrigger;
  /** The 同期ルール the run followed (null for runs made before rules existed). */
  policy: DirectionPolicy | null;
}

export type RunTrigger = 'manual' | 'schedule' | 'webhook';

export interface RunItem {
  employeeCode: string;
  name: string | null;
  outcome: RunOutcome;
  error: ConnectorErrorInfo | null;
  /** Why nothing was written (stale, skipped, not attempted). */
  message: string | null;
  /** The field changes actually applied (before → after). */
  changes: FieldChange[];
  finishedAt: Date | null;
}

export const FINAL_STATUSES: readonly RunStatus[] = ['succeeded', 'partially_failed', 'failed', 'cancelled'];

/** core's message for an employee a cancelled run did not reach. */
const NOT_ATTEMPTED_MESSAGE = '連携が中止されたため書き込みませんでした。';

/**
 * Ends the still pending employees of a run (those `where` narrows to) as not attempted; returns
 * the chunks they were in.
 */
export async function markNotAttempted(db: Db, runId: string, at: Date, where?: SQL): Promise<number[]> {
  const marked = await db
    .update(runItems)
    .set({ outcome: 'not_attempted', message: NOT_ATTEMPTED_MESSAGE, finishedAt: at })
    .where(and(eq(runItems.runId, runId), eq(runItems.outcome, 'pending'), where))
    .returning({ chunk: runItems.chunk });
  return [...new Set(marked.map((row) => row.chunk))];
}

/** Why an employee a lost worker held when its run was cancelled is 未確認 (its write may have landed). */
export const CANCELLED_IN_FLIGHT_MESSAGE =
  '書き込みの処理中に連携が中止されたため、書き込まれたかを確認できませんでした（未確認）。次のプレビューで連携先のデータを確認してください。';

/**
 * Ends the still pending employees of a run that a worker had taken (those `where` narrows to) as
 * 未確認: a worker lost while holding them may have written some, so "not written" would be a guess.
 */
export async function markTakenUnconfirmed(db: Db, runId: string, at: Date, where?: SQL): Promise<void> {
  await db
    .update(runItems)
    .set({ outcome: 'ambiguous', message: CANCELLED_IN_FLIGHT_MESSAGE, finishedAt: at })
    .where(
      and(eq(runItems.runId, runId), eq(runItems.outcome, 'pending'), isNotNull(runItems.worker), where),
    );
}

/** Why the employees of a chunk whose job failed for good were not finished. */
export const CHUNK_ABANDONED_ERROR: ConnectorErrorInfo = {
  kind: 'transient',
  retryable: false,
  message:
    '処理が繰り返し中断されたため、この従業員の連携を完了できませんでした（書き込み済みの可能性があります）。連携先のデータを確認し、失敗した従業員を再実行してください。',
};

/** Ends the still pending employees of a chunk no job will work again as failed. */
export async function markChunkAbandoned(db: Db, runId: string, chunk: number, at: Date): Promise<void> {
  await db
    .update(runItems)
    .set({
      outcome: 'failed',
      error: CHUNK_ABANDONED_ERROR,
      message: CHUNK_ABANDONED_ERROR.message,
      finishedAt: at,
    })
    .where(and(eq(runItems.runId, runId), eq(runItems.chunk, chunk), eq(runItems.outcome, 'pending')));
}

const emptyCounts = (): RunCounts =>
  Object.fromEntries(RUN_OUTCOMES.map((outcome) => [outcome, 0])) as RunCounts;

export async function countsOf(db: Db, runIds: readonly string[]): Promise<Map<string, RunCounts>> {
  const result = new Map(runIds.map((id) => [id, emptyCounts()]));
  if (runIds.length === 0) return result;
  const rows = await db
    .select({ runId: runItems.runId, outcome: runItems.outcome, n: count() })
    .from(runItems)
    .where(inArray(runItems.runId, [...runIds]))
    .groupBy(runItems.runId, runItems.outcome);
  for (const row of rows) (result.get(row.runId) as RunCounts)[row.outcome] = row.n;
  return result;
}

/** How long a preview may be run from: past it, the target has likely moved on (see README). */
export const PREVIEW_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * Refuses a run writing a 別人の可能性 entry the admin did not confirm a second time (in 確認), so
 * no page, script or replayed form writes one on a single tick.
 */
function requireConfirmedMismatches(entries: readonly PlanEntry[], confirmed: readonly string[]): void {
  const given = new Set(confirmed);
  const unconfirmed = entries
    .filter((entry) => entry.status === 'identity_mismatch' && !given.has(entry.employeeCode))
    .map((entry) => entry.employeeCode);
  if (unconfirmed.length > 0) {
    throw new HubError(
      'validation',
      `別人の可能性がある社員番号に書き込むには、確認画面で個別に確認してください: ${listSome(unconfirmed, ', ')}`,
    );
  }
}

const RETAKE = 'もう一度差分を取得してください。';

/**
 * Why a preview may not start a run, or null. A preview starts one run: a second would report
 * everyone stale (or write source values the first run already replaced). It must also still reflect
 * the connection's settings and be recent, since only the target is re-read before writing.
 */
async function spentPreview(tx: Db, previewId: string, now: number): Promise<string | null> {
  // The row lock serialises two starts from one preview: the second sees the first's run.
  const [preview] = await tx
    .select({ createdAt: previews.createdAt, connectionId: previews.connectionId })
    .from(previews)
    .where(eq(previews.id, previewId))
    .for('update');
  if (!preview) return `プレビューが見つかりません。${RETAKE}`;
  const [used] = await tx.select({ id: runs.id }).from(runs).where(eq(runs.previewId, previewId)).limit(1);
  if (used) return `この差分からはすでに同期を開始しています。${RETAKE}`;
  const [connection] = await tx
    .select({ updatedAt: connections.updatedAt })
    .from(connections)
    .where(eq(connections.id, preview.connectionId));
  if (connection && connection.updatedAt > preview.createdAt) {
    return `差分の取得後に連携設定が変更されました。${RETAKE}`;
  }
  if (now - preview.createdAt.getTime() > PREVIEW_MAX_AGE_MS) {
    return `差分の取得から24時間以上たっています。${RETAKE}`;
  }
  return null;
}

function isUniqueViolation(error: unknown): boolean {
  for (let current = error; current; current = (current as { cause?: unknown }).cause) {
    if ((current as { code?: string }).code === '23505') return true;
  }
  return false;
}

/** Runs as the app drives them, plus what the hub's own queue handling needs. */
export interface Runs extends HubRuns {
  /**
   * Queues every chunk of an unfinished run that still has pending employees; returns the runs
   * without pending employees, which only need ending.
   */
  queuePending(): Promise<string[]>;
  /** Ends a chunk whose job failed for good: the employees it left pending fail. */
  abandonChunk(runId: string, chunk: number): Promise<void>;
  /**
   * An automatic run: every entry of the preview the policy lets be written (新規登録 / 差分あり; never
   * 別人の可能性, which only an admin confirms). Null when there is nothing to write.
   */
  startAutomatic(
    actor: string,
    previewId: string,
    trigger: Exclude<RunTrigger, 'manual'>,
    codes?: readonly string[],
  ): Promise<Run | null>;
}

/** Runs: started from a preview and a selection, worked in chunks on the queue, watched, listed. */
export function createRuns(deps: {
  db: Db;
  boss: PgBoss;
  previews: Previews;
  clock: Clock;
  /** Emits a run id whenever this process records progress for it. */
  progress: EventEmitter;
  requireAdmin(actor: string): Promise<unknown>;
  /** Ends a run with nothing pending (status, notification); false when it was not ready or already ended. */
  finalize(runId: string): Promise<boolean>;
  /** Employees per queue job: the unit several workers share. */
  chunkSize: number;
  /** How often `watch` re-reads a run written by another process. */
  watchPollMs: number;
}): Runs {
  const { db } = deps;

  async function get(id: string): Promise<Run | null> {
    if (!isUuid(id)) return null;
    const [row] = await db.select().from(runs).where(eq(runs.id, id));
    if (!row) return null;
    const counts = await countsOf(db, [id]);
    return { ...row, counts: counts.get(id) as RunCounts };
  }

  async function create(
    actor: string,
    previewId: string,
    entries: readonly PlanEntry[],
    retryOf: string | null,
    trigger: RunTrigger = 'manual',
  ) {
    const preview = await deps.previews.require(previewId);
    const chunks = Math.ceil(entries.length / deps.chunkSize);
    let runId: string;
    try {
      runId = await db.transaction(async (tx) => {
        const spent = await spentPreview(tx as Db, previewId, deps.clock.now());
        if (spent) throw new HubError('conflict', spent);
        const [row] = await tx
          .insert(runs)
          .values({
            connectionId: preview.connectionId,
            previewId,
            direction: preview.direction,
            dataArea: preview.dataArea,
            status: 'queued',
            startedBy: actor,
            total: entries.length,
            retryOf,
            trigger,
            policy: preview.policy,
          })
          .returning({ id: runs.id });
        const id = (row as { id: string }).id;
        for (let i = 0; i < entries.length; i += 500) {
          await tx.insert(runItems).values(
            entries.slice(i, i + 500).map((entry, offset) => ({
              runId: id,
              seq: i + offset,
              employeeCode: entry.employeeCode,
              name: entry.name ?? null,
              chunk: Math.floor((i + offset) / deps.chunkSize),
            })),
          );
        }
        return id;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new HubError(
          'conflict',
          'この連携先とデータ領域では別の同期が実行中です。完了してから開始してください。',
          { cause: error },
        );
      }
      throw error;
    }
    await deps.boss.insert(
      CHUNK_QUEUE,
      Array.from({ length: chunks }, (_, chunk) => chunkJob(runId, chunk)),
    );
    return (await get(runId)) as Run;
  }

  /** Fails the pending employees of taken chunks whose job is no longer queued or worked. */
  async function abandonDeadChunks(runId: string): Promise<void> {
    const taken = await db
      .selectDistinct({ chunk: runItems.chunk })
      .from(runItems)
      .where(and(eq(runItems.runId, runId), eq(runItems.outcome, 'pending'), isNotNull(runItems.worker)));
    for (const { chunk } of taken) {
      const [job] = await deps.boss.findJobs(CHUNK_QUEUE, { id: chunkJob(runId, chunk).id });
      if (!job || !LIVE_JOB_STATES.includes(job.state)) {
        await markChunkAbandoned(db, runId, chunk, new Date(deps.clock.now()));
      }
    }
  }

  return {
    get,
    /**
     * Queues every chunk of an unfinished run that still has pending employees: a run committed by
     * a process that died before queueing it, or a chunk whose job was lost, continues. Chunks whose
     * job exists are left alone (same job id). Returns the runs without pending employees, which
     * only need ending.
     */
    async queuePending(): Promise<string[]> {
      const active = await db
        .select({ id: runs.id })
        .from(runs)
        .where(inArray(runs.status, ['queued', 'running']));
      const unended: string[] = [];
      for (const { id } of active) {
        const pending = await db
          .selectDistinct({ chunk: runItems.chunk })
          .from(runItems)
          .where(and(eq(runItems.runId, id), eq(runItems.outcome, 'pending')));
        if (pending.length === 0) unended.push(id);
        else
          await deps.boss.insert(
            CHUNK_QUEUE,
            pending.map(({ chunk }) => chunkJob(id, chunk)),
          );
      }
      return unended;
    },
    /**
     * Ends a chunk whose job failed for good (its dead-letter copy): the employees it left pending
     * fail, so the run ends and its connection and area are free again.
     */
    async abandonChunk(runId: string, chunk: number): Promise<void> {
      await markChunkAbandoned(db, runId, chunk, new Date(deps.clock.now()));
      deps.progress.emit('progress', runId);
      await deps.finalize(runId);
    },
    /**
     * Starts a run of the selection's entries that write something. `confirmedMismatches`: the
     * 別人の可能性 社員番号 the admin confirmed a second time; any other such entry refuses the run.
     */
    async start(
      actor: string,
      input: { previewId: string; selection: Selection; confirmedMismatches?: readonly string[] },
    ): Promise<Run> {
      await deps.requireAdmin(actor);
      const entries = (await deps.previews.select(input.previewId, input.selection)).filter(isWriting);
      requireConfirmedMismatches(entries, input.confirmedMismatches ?? []);
      if (entries.length === 0) {
        throw new HubError(
          'validation',
          '書き込む従業員が選択されていません（差分なしの従業員は同期しません）。',
        );
      }
      return create(actor, input.previewId, entries, null);
    },
    async startAutomatic(actor, previewId, trigger, codes) {
      await deps.requireAdmin(actor);
      const writing = (entry: PlanEntry) => entry.status === 'new' || entry.status === 'changed';
      const entries = (
        await deps.previews.select(previewId, codes ? { codes } : { all: { status: ['new', 'changed'] } })
      ).filter(writing);
      if (entries.length === 0) return null;
      return create(actor, previewId, entries, null, trigger);
    },
    /**
     * Stops a run. A queued run ends `cancelled` at once and never starts. In a running one, the
     * employees no worker has taken are marked not attempted now; a worker holding a chunk (in this
     * process or another) sees the request at its next batch boundary, lets the batch in flight
     * finish and record what it wrote, marks the rest not attempted, and the run ends `cancelled`.
     * A chunk a worker took whose job will not run again (failed for good, gone) has no worker left
     * to stop: its pending employees fail now. Idempotent; a run that already ended is refused
     * (`conflict`).
     */
    async cancel(actor: string, id: string): Promise<Run> {
      await deps.requireAdmin(actor);
      if (!isUuid(id)) throw new HubError('not_found', '連携履歴が見つかりません。');
      const untaken = await db.transaction(async (tx) => {
        // The run row lock orders this against a worker taking a chunk (executor.claimChunk).
        const [run] = await tx.select().from(runs).where(eq(runs.id, id)).for('update');
        if (!run) throw new HubError('not_found', '連携履歴が見つかりません。');
        if (run.status === 'cancelled') return undefined;
        if (FINAL_STATUSES.includes(run.status)) {
          throw new HubError(
            'conflict',
            `この同期はすでに終了しているため中止できません（結果: ${RUN_STATUS_LABELS[run.status]}）。`,
          );
        }
        if (run.cancelRequestedAt) return [];
        const now = new Date(deps.clock.now());
        await tx.update(runs).set({ cancelRequestedAt: now, cancelledBy: actor }).where(eq(runs.id, id));
        return markNotAttempted(tx as Db, id, now, isNull(runItems.worker));
      });
      if (untaken) {
        await abandonDeadChunks(id);
        await deps.finalize(id);
        deps.progress.emit('progress', id);
        // Their jobs would only find nothing to do; dropped, they do not hold up other runs' chunks.
        if (untaken.length > 0) {
          await deps.boss.cancel(
            CHUNK_QUEUE,
            untaken.map((chunk) => chunkJob(id, chunk).id),
          );
        }
      }
      return (await get(id)) as Run;
    },
    /**
     * A new run for the failed, unconfirmed (ambiguous), stale and not attempted employees of `id`
     * only, on a fresh preview (which settles an unconfirmed write: 差分なし once it landed).
     */
    async retryFailed(actor: string, id: string): Promise<Run> {
      await deps.requireAdmin(actor);
      const run = await get(id);
      if (!run) throw new HubError('not_found', '連携履歴が見つかりません。');
      if (!FINAL_STATUSES.includes(run.status)) throw new HubError('conflict', 'この同期はまだ実行中です。');
      const failed = await db
        .select({ code: runItems.employeeCode })
        .from(runItems)
        .where(
          and(
            eq(runItems.runId, id),
            inArray(runItems.outcome, ['failed', 'ambiguous', 'stale', 'not_attempted']),
          ),
        );
      if (failed.length === 0) throw new HubError('validation', '再実行が必要な従業員はいません。');
      const preview = await deps.previews.create(actor, {
        connectionId: run.connectionId,
        direction: run.direction,
        dataArea: run.dataArea,
      });
      const codes = new Set(failed.map((row) => row.code));
      const entries = (await deps.previews.select(preview.id, { all: {} })).filter(
        (entry) => codes.has(entry.employeeCode) && isWriting(entry),
      );
      if (entries.length === 0) {
        throw new HubError(
          'validation',
          '失敗した従業員は、現在はすべて差分なし、または連携できない状態です。',
        );
      }
      return create(actor, preview.id, entries, id);
    },
    async items(id: string, request: PageRequest & { outcome?: RunOutcome | readonly RunOutcome[] } = {}) {
      const outcomes = request.outcome === undefined ? [] : ([] as RunOutcome[]).concat(request.outcome);
      const where = and(
        eq(runItems.runId, id),
        outcomes.length ? inArray(runItems.outcome, outcomes) : undefined,
      );
      return pageOf<RunItem>(request, async (limit, offset) => {
        const [rows, [total]] = await Promise.all([
          db
            .select({
              employeeCode: runItems.employeeCode,
              name: runItems.name,
              outcome: runItems.outcome,
              error: runItems.error,
              message: runItems.message,
              changes: runItems.changes,
              finishedAt: runItems.finishedAt,
            })
            .from(runItems)
            .where(where)
            .orderBy(runItems.seq)
            .limit(limit)
            .offset(offset),
          db.select({ n: count() }).from(runItems).where(where),
        ]);
        return { items: rows, total: total?.n ?? 0 };
      });
    },
    /** 連携履歴 of a connection, newest first. */
    async history(connectionId: string, request: PageRequest = {}): Promise<Page<Run>> {
      const where = eq(runs.connectionId, connectionId);
      return pageOf(request, async (limit, offset) => {
        const [rows, [total]] = await Promise.all([
          db
            .select()
            .from(runs)
            .where(where)
            .orderBy(desc(runs.createdAt), desc(runs.id))
            .limit(limit)
            .offset(offset),
          db.select({ n: count() }).from(runs).where(where),
        ]);
        const counts = await countsOf(
          db,
          rows.map((row) => row.id),
        );
        return {
          items: rows.map((row) => ({ ...row, counts: counts.get(row.id) as RunCounts })),
          total: total?.n ?? 0,
        };
      });
    },
    /**
     * The run as it progresses, for SSE: the current state, then each change, ending with the final
     * state. Wakes on this process's progress and polls for other processes' workers.
     */
    async *watch(id: string, options: { signal?: AbortSignal } = {}): AsyncIterable<Run> {
      const local = new AbortController();
      const signal = options.signal ? AbortSignal.any([options.signal, local.signal]) : local.signal;
      let last = '';
      try {
        for (;;) {
          const run = await get(id);
          if (!run) throw new HubError('not_found', '連携履歴が見つかりません。');
          const key = JSON.stringify([run.status, run.counts, run.cancelRequestedAt]);
          if (key !== last) {
            last = key;
            yield run;
          }
          if (FINAL_STATUSES.includes(run.status) || signal.aborted) return;
          await waitForProgress(deps.progress, id, deps.watchPollMs, signal);
        }
      } finally {
        local.abort();
      }
    },
  };
}

/** Resolves on the next local progress event for `runId`, after `pollMs`, or on abort. */
async function waitForProgress(progress: EventEmitter, runId: string, pollMs: number, signal: AbortSignal) {
  const done = new AbortController();
  const timer = setTimeout(() => done.abort(), pollMs);
  try {
    for await (const [id] of on(progress, 'progress', { signal: AbortSignal.any([signal, done.signal]) })) {
      if (id === runId) return;
    }
  } catch {
    // aborted: timeout or caller
  } finally {
    clearTimeout(timer);
    done.abort();
  }
}
