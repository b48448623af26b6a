import { createHash } from 'node:crypto';
import type { Logger } from '@renkei/core';
import type { PgBoss, Queue } from 'pg-boss';

export const CHUNK_QUEUE = 'renkei-run-chunk';
/** Where pg-boss copies a chunk's job once it failed for good (retries spent, worker lost for good). */
export const CHUNK_FAILED_QUEUE = 'renkei-run-chunk-failed';

/** Job states in which a chunk's job will still be worked. */
export const LIVE_JOB_STATES: readonly string[] = ['created', 'retry', 'active'];

export interface ChunkJob {
  runId: string;
  chunk: number;
}

/**
 * The job of one chunk, with an id derived from the run and chunk: pg-boss ignores an insert whose id
 * exists, so queueing a chunk twice (a sweep racing a start, two processes sweeping) makes one job.
 */
export function chunkJob(runId: string, chunk: number) {
  const hash = createHash('sha256').update(`${runId}:${chunk}`).digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50; // a name-based (v5-style) uuid
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { id, data: { runId, chunk } satisfies ChunkJob };
}

/**
 * Starts pg-boss and makes sure the chunk queue and its dead-letter queue exist (several processes
 * may race to create them; a chunk queue made before the dead-letter queue existed is given it).
 */
export async function startQueue(
  boss: PgBoss,
  logger: Logger,
  options: { heartbeatSeconds?: number; retryLimit?: number } = {},
): Promise<PgBoss> {
  boss.on('error', (error) => logger.error('job queue error', { error: String(error) }));
  await boss.start();
  await ensureQueue(boss, CHUNK_FAILED_QUEUE, {});
  const settings = { retryLimit: options.retryLimit ?? 10, deadLetter: CHUNK_FAILED_QUEUE };
  const queue = await ensureQueue(boss, CHUNK_QUEUE, {
    ...settings,
    // A worker that stops beating (killed, lost) loses its chunk to another after this long.
    heartbeatSeconds: options.heartbeatSeconds ?? 10,
    retryDelay: 1,
    retryBackoff: true,
    retryDelayMax: 60,
    expireInSeconds: 6 * 60 * 60,
  });
  // Where schedules' occurrences and incoming triggers arrive (automation/schedules.ts).
  await ensureQueue(boss, 'renkei-schedule', { retryLimit: 0, expireInSeconds: 60 * 60 });
  if (queue.deadLetter !== settings.deadLetter || queue.retryLimit !== settings.retryLimit) {
    await boss.updateQueue(CHUNK_QUEUE, settings);
  }
  return boss;
}

export async function ensureQueue(boss: PgBoss, name: string, options: Omit<Queue, 'name'>): Promise<Queue> {
  const existing = await boss.getQueue(name);
  if (existing) return existing;
  await boss.createQueue(name, options).catch(async (error) => {
    if (!(await boss.getQueue(name))) throw error;
  });
  return (await boss.getQueue(name)) as Queue;
}
