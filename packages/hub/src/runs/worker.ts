import type { Logger } from '@renkei/core';
import type { PgBoss } from 'pg-boss';
import { withoutQueryData } from '../db/errors.ts';
import type { Executor } from './executor.ts';
import { CHUNK_FAILED_QUEUE, CHUNK_QUEUE, type ChunkJob } from './queue.ts';
import type { Runs } from './runs.ts';

/**
 * Registers this process as a worker of run chunks, and of the chunks whose job failed for good (so
 * their runs end); returns a function that stops it.
 */
export async function workChunks(
  boss: PgBoss,
  executor: Executor,
  runs: Pick<Runs, 'abandonChunk'>,
  logger: Logger,
  options: { localConcurrency?: number; pollingIntervalSeconds?: number } = {},
): Promise<() => Promise<void>> {
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 1;
  // One registration per slot, so that each handler knows its own worker: after a chunk it asks that
  // worker to look again at once. pg-boss otherwise waits out the polling interval after every job,
  // and a run queues all its chunks at once: a 10k-employee run into the HR master (100 chunks of
  // about 0.2 s) took 100 s. A fetch that finds nothing falls back to polling.
  for (let slot = 0; slot < (options.localConcurrency ?? 1); slot++) {
    let self: string | undefined;
    self = await boss.work<ChunkJob>(CHUNK_QUEUE, { batchSize: 1, pollingIntervalSeconds }, async ([job]) => {
      if (!job) return;
      try {
        await executor.executeChunk({ ...job.data, retryCount: job.retryCount, signal: job.signal });
      } catch (error) {
        // The queue keeps what is thrown (job output): a failed statement without its data.
        const safe = withoutQueryData(error);
        logger.warn('run chunk failed; the queue retries it', { ...job.data, error: String(safe) });
        throw safe;
      }
      if (self) boss.notifyWorker(self);
    });
  }
  await boss.work<ChunkJob>(CHUNK_FAILED_QUEUE, { batchSize: 1, pollingIntervalSeconds }, async ([job]) => {
    if (!job) return;
    logger.error('run chunk failed for good; its pending employees fail', { ...job.data });
    await runs.abandonChunk(job.data.runId, job.data.chunk);
  });
  return async () => {
    await boss.offWork(CHUNK_QUEUE, { wait: true });
    await boss.offWork(CHUNK_FAILED_QUEUE, { wait: true });
  };
}
