import type { Logger } from '@renkei/core';
import type { PgBoss } from 'pg-boss';
import type { Executor } from './executor.ts';
import { CHUNK_QUEUE, type ChunkJob } from './queue.ts';

/** Registers this process as a worker of run chunks; returns a function that stops it. */
export async function workChunks(
  boss: PgBoss,
  executor: Executor,
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
        logger.warn('run chunk failed; the queue retries it', { ...job.data, error: String(error) });
        throw error;
      }
    },
  );
  return () => boss.offWork(CHUNK_QUEUE, { wait: true });
}
