import type { Logger } from '@renkei/core';
import type { PgBoss } from 'pg-boss';

export const CHUNK_QUEUE = 'renkei-run-chunk';

export interface ChunkJob {
  runId: string;
  chunk: number;
}

/** Starts pg-boss and makes sure the chunk queue exists (several processes may race to create it). */
export async function startQueue(boss: PgBoss, logger: Logger, heartbeatSeconds = 10): Promise<PgBoss> {
  boss.on('error', (error) => logger.error('job queue error', { error: String(error) }));
  await boss.start();
  if (await boss.getQueue(CHUNK_QUEUE)) return boss;
  await boss
    .createQueue(CHUNK_QUEUE, {
      // A worker that stops beating (killed, lost) loses its chunk to another after this long.
      heartbeatSeconds,
      retryLimit: 10,
      retryDelay: 1,
      retryBackoff: true,
      retryDelayMax: 60,
      expireInSeconds: 6 * 60 * 60,
    })
    .catch(async (error) => {
      if (!(await boss.getQueue(CHUNK_QUEUE))) throw error;
    });
  return boss;
}
