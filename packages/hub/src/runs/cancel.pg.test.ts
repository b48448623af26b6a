// Cancelling from the hub a run that `renkei worker` processes execute. The test holds a SHARE lock
// on the HR master, so a worker's first write waits inside its first batch: mid-run, deterministically.
import { randomBytes } from 'node:crypto';
import { systemClock } from '@renkei/core';
import { createReferenceFake, generateEmployees } from '@renkei/testkit';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, workerPool } from '../testing/processes.ts';
import { type ReferenceHub, startReferenceHub } from '../testing/reference-hub.ts';
import { FINAL_STATUSES, type Run } from './runs.ts';

const secretKey = randomBytes(32).toString('base64');
const fake = createReferenceFake({ clock: systemClock, rateLimit: 1000 });

let t: ReferenceHub;
let sql: pg.Client;
let locker: pg.Client;

const workers = workerPool(() => (t.database.target as { databaseUrl: string }).databaseUrl, secretKey);
const startWorker = workers.start;

const current = async (runId: string) => (await t.hub.runs.get(runId)) as Run;
const finished = (runId: string) =>
  waitFor(
    () => current(runId),
    (run) => FINAL_STATUSES.includes(run.status),
    60_000,
  );

/** Holds writes to the HR master until `release` (reads go on). */
async function blockHrWrites(): Promise<{ release(): Promise<void> }> {
  await locker.query('begin');
  await locker.query('lock table employees in share mode');
  return { release: () => locker.query('rollback').then(() => undefined) };
}

/** Until some session waits for the lock on the HR master: a worker is inside a batch. */
const writeWaiting = () =>
  waitFor(
    async () =>
      (
        await sql.query(
          `select count(*)::int as n from pg_locks where relation = 'employees'::regclass and not granted`,
        )
      ).rows[0].n as number,
    (n) => n > 0,
    30_000,
  );

async function startImport(): Promise<Run> {
  const preview = await t.hub.previews.create(t.admin.id, {
    connectionId: t.connection.id,
    direction: 'import',
  });
  return t.hub.runs.start(t.admin.id, { previewId: preview.id, selection: { all: { status: 'new' } } });
}

beforeAll(async () => {
  // This process plans, enqueues and cancels; only worker processes write. Chunks of 250 employees
  // are three batches of the HR master's 100.
  t = await startReferenceHub(fake, {
    worker: false,
    secretKey,
    chunkSize: 250,
    connection: { defaultDataArea: 'head-office' },
  });
  const url = (t.database.target as { databaseUrl: string }).databaseUrl;
  sql = new pg.Client({ connectionString: url });
  locker = new pg.Client({ connectionString: url });
  await Promise.all([sql.connect(), locker.connect()]);
});
afterEach(async () => {
  await locker.query('rollback').catch(() => {});
  workers.killAll();
});
afterAll(async () => {
  await Promise.all([sql.end(), locker.end()]);
  await t.close();
});

describe('cancelling a run a worker process executes', () => {
  it('the worker sees the cancel at its next batch boundary; history and the HR audit trail agree', async () => {
    fake.seed('head-office', generateEmployees({ count: 300, seed: 31, codePrefix: 'K', codeWidth: 5 }));
    const run = await startImport();
    const lock = await blockHrWrites();
    try {
      startWorker();
      await writeWaiting();
      // Chunk 1 (50 employees) was taken by no worker: not attempted at once. Chunk 0's first
      // batch is in flight in the worker process.
      const stopping = await t.hub.runs.cancel(t.admin.id, run.id);
      expect(stopping).toMatchObject({ status: 'running', counts: { pending: 250, not_attempted: 50 } });
    } finally {
      await lock.release();
    }
    const done = await finished(run.id);
    expect(done).toMatchObject({
      status: 'cancelled',
      total: 300,
      counts: { created: 100, not_attempted: 200, pending: 0, failed: 0 },
      cancelledBy: t.admin.id,
    });
    // The batch that was in flight is recorded, once, in the run and in the HR master's audit trail.
    const { rows } = await sql.query(
      `select employee_code, count(*)::int as writes from employee_changes where employee_code like 'K%' group by 1`,
    );
    expect(rows).toHaveLength(100);
    expect(rows.every((row) => row.writes === 1)).toBe(true);
    const created = await t.hub.runs.items(run.id, { outcome: 'created', pageSize: 500 });
    expect(created.items.map((item) => item.employeeCode).sort()).toEqual(
      rows.map((row) => row.employee_code as string).sort(),
    );
    expect((await t.hub.employees.list({ search: 'K0' })).total).toBe(100);
    const [notification] = (await t.hub.notifications.list(t.admin.id)).items;
    expect(notification).toMatchObject({ runId: run.id, counts: { created: 100, not_attempted: 200 } });
  }, 90_000);

  it('a run whose worker died holding a chunk ends cancelled when another worker takes the chunk; the area is free again', async () => {
    const run = await startImport(); // the 200 not written above
    expect(run.total).toBe(200);
    const lock = await blockHrWrites();
    try {
      const first = startWorker();
      await writeWaiting();
      first.kill('SIGKILL');
      await new Promise((resolve) => first.once('exit', resolve));
    } finally {
      await lock.release();
    }
    // Nobody works the held chunk now: the cancel is recorded, the run waits for a worker.
    const stopping = await t.hub.runs.cancel(t.admin.id, run.id);
    expect(stopping).toMatchObject({ status: 'running', counts: { pending: 200 } });
    expect(stopping.cancelRequestedAt).toBeInstanceOf(Date);

    startWorker(); // takes the chunk once the dead worker's heartbeat lapses, and writes nothing
    const done = await finished(run.id);
    // The dead worker's writes may have landed (here its transaction was rolled back, a vendor's
    // may not be): what it held is 未確認, never claimed "not written". Nothing confirmed: 失敗.
    expect(done).toMatchObject({
      status: 'failed',
      counts: { created: 0, not_attempted: 0, ambiguous: 200, pending: 0 },
    });
    const unconfirmed = await t.hub.runs.items(run.id, { outcome: 'ambiguous', pageSize: 1 });
    expect(unconfirmed.items[0]?.message).toContain('未確認');
    expect((await t.hub.employees.list({ search: 'K0' })).total).toBe(100);

    const again = await startImport();
    expect(again).toMatchObject({ status: 'queued', total: 200 });
    expect(await finished(again.id)).toMatchObject({ status: 'succeeded', counts: { created: 200 } });
    expect((await t.hub.employees.list({ search: 'K0' })).total).toBe(300);
  }, 120_000);
});
