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
  await boss.work<ChunkJob>(
    CHUNK_QUEUE,
    {
      batchSize: 1,
      localConcurrency: options.localConcurrency ?? 1,
      pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
    },
    async ([job]) => {
      if (!job) return;
      try {
        await executor.executeChunk({ ...job.data, retryCount: job.retryCount, signal: job.signal });
      } catch (error) {
        // The queue keeps what is thrown (job output): a failed statement without its data.
        const safe = withoutQueryData(error);
        logger.warn('run chunk failed; the queue retries it', { ...job.data, error: String(safe) });
        throw safe;
      }
    },
  );
  await boss.work<ChunkJob>(
    CHUNK_FAILED_QUEUE,
    { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1 },
    async ([job]) => {
      if (!job) return;
      logger.error('run chunk failed for good; its pending employees fail', { ...job.data });
      await runs.abandonChunk(job.data.runId, job.data.chunk);
    },
  );
  return async () => {
    await boss.offWork(CHUNK_QUEUE, { wait: true });
    await boss.offWork(CHUNK_FAILED_QUEUE, { wait: true });
  };
}
