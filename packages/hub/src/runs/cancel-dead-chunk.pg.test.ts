// A run left `running` by a chunk a worker took and whose job no longer runs (failed for good before
// its dead-letter copy was handled, or deleted): cancelling it ends it and frees its connection.
import { systemClock } from '@renkei/core';
import { createReferenceFake, generateEmployees } from '@renkei/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReferenceHub, startReferenceHub } from '../testing/reference-hub.ts';
import { CHUNK_QUEUE, chunkJob } from './queue.ts';
import { CHUNK_ABANDONED_ERROR, type Run } from './runs.ts';

const fake = createReferenceFake({ clock: systemClock, rateLimit: 1000 });

let t: ReferenceHub;
let sql: pg.Client;
beforeAll(async () => {
  fake.seed('head-office', generateEmployees({ count: 30, seed: 41, codePrefix: 'K', codeWidth: 4 }));
  // No worker here: the test puts the queue in the state a lost worker leaves.
  t = await startReferenceHub(fake, { worker: false, chunkSize: 10 });
  sql = new pg.Client({ connectionString: (t.database.target as { databaseUrl: string }).databaseUrl });
  await sql.connect();
});
afterAll(async () => {
  await sql.end();
  await t.close();
});

async function startImport(): Promise<Run> {
  const preview = await t.hub.previews.create(t.admin.id, {
    connectionId: t.connection.id,
    direction: 'import',
    dataArea: 'head-office',
  });
  return t.hub.runs.start(t.admin.id, { previewId: preview.id, selection: { all: {} } });
}

describe('runs.cancel of a run with a dead taken chunk', () => {
  it('fails the dead chunk, spares the untaken ones, ends the run and frees the connection', async () => {
    const run = await startImport();
    // Chunk 0 was taken by a worker that is gone, and its job failed for good; chunk 1 was taken
    // and is still active (its worker stops at its next batch); chunk 2 waits in the queue.
    await sql.query(`update runs set status = 'running', started_at = now() where id = $1`, [run.id]);
    await sql.query(`update run_items set worker = 'gone:1' where run_id = $1 and chunk in (0, 1)`, [run.id]);
    await sql.query(`update pgboss.job set state = 'failed' where name = $1 and id = $2`, [
      CHUNK_QUEUE,
      chunkJob(run.id, 0).id,
    ]);
    await sql.query(
      `update pgboss.job set state = 'active', started_on = now() where name = $1 and id = $2`,
      [CHUNK_QUEUE, chunkJob(run.id, 1).id],
    );

    const stopping = await t.hub.runs.cancel(t.admin.id, run.id);
    expect(stopping).toMatchObject({
      status: 'running',
      counts: { failed: 10, pending: 10, not_attempted: 10 },
    });
    const failed = await t.hub.runs.items(run.id, { outcome: 'failed', pageSize: 100 });
    const chunk0 = await sql.query(
      'select employee_code from run_items where run_id = $1 and chunk = 0 order by seq',
      [run.id],
    );
    expect(failed.items.map((item) => item.employeeCode)).toEqual(
      chunk0.rows.map((row) => row.employee_code),
    );
    expect(failed.items[0]).toMatchObject({ error: CHUNK_ABANDONED_ERROR });

    // The active chunk's job fails for good too (no worker here to settle its dead-letter copy):
    // cancelling again ends the run.
    await sql.query(`update pgboss.job set state = 'failed' where name = $1 and id = $2`, [
      CHUNK_QUEUE,
      chunkJob(run.id, 1).id,
    ]);
    const again = await t.hub.runs.cancel(t.admin.id, run.id);
    expect(again).toMatchObject({
      status: 'cancelled',
      counts: { failed: 20, not_attempted: 10, pending: 0 },
    });
    expect(again.finishedAt).toBeInstanceOf(Date);

    const next = await startImport();
    expect(next).toMatchObject({ status: 'queued', total: 30 });
  });
});
