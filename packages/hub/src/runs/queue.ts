import { createHash } from 'node:crypto';
import type { Logger } from '@renkei/core';
import type { PgBoss } from 'pg-boss';

export const CHUNK_QUEUE = 'renkei-run-chunk';

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
