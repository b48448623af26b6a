// Several worker processes on one PostgreSQL queue (`renkei worker`), and one killed mid-run.
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

const workers = workerPool(() => (t.database.target as { databaseUrl: string }).databaseUrl, secretKey);
const startWorker = workers.start;

const finished = (runId: string, timeoutMs: number) =>
  waitFor(
    async () => (await t.hub.runs.get(runId)) as Run,
    (run) => FINAL_STATUSES.includes(run.status),
    timeoutMs,
  );

async function startImport(area: string): Promise<Run> {
  const preview = await t.hub.previews.create(t.admin.id, {
    connectionId: t.connection.id,
    direction: 'import',
    dataArea: area,
  });
  return t.hub.runs.start(t.admin.id, { previewId: preview.id, selection: { all: { status: 'new' } } });
}

/** 社員番号 written to the HR master other than exactly once (from its audit trail). */
async function writtenNotOnce(prefix: string): Promise<unknown[]> {
  const { rows } = await sql.query(
    `select employee_code, count(*)::int as writes from employee_changes where employee_code like $1 group by 1 having count(*) <> 1`,
    [`${prefix}%`],
  );
  return rows;
}

beforeAll(async () => {
  // This process only plans and enqueues; the worker processes do the writing.
  t = await startReferenceHub(fake, { worker: false, secretKey, chunkSize: 25 });
  sql = new pg.Client({ connectionString: (t.database.target as { databaseUrl: string }).databaseUrl });
  await sql.connect();
});
afterEach(() => {
  workers.killAll();
});
afterAll(async () => {
  await sql.end();
  await t.close();
});

describe('worker processes on one PostgreSQL queue', () => {
  it('two workers share a run and write every employee exactly once', async () => {
    fake.seed('head-office', generateEmployees({ count: 400, seed: 11, codePrefix: 'A', codeWidth: 5 }));
    const run = await startImport('head-office');
    // Queued, not yet worked: the database refuses a second run of the same connection and area.
    await expect(startImport('head-office')).rejects.toMatchObject({ kind: 'conflict' });
    startWorker();
    startWorker();
    const done = await finished(run.id, 60_000);
    expect(done).toMatchObject({ status: 'succeeded', counts: { created: 400, pending: 0, failed: 0 } });
    expect((await t.hub.employees.list({ search: 'A0' })).total).toBe(400);
    expect(await writtenNotOnce('A')).toEqual([]);
    const { rows } = await sql.query(
      'select count(distinct worker)::int as n from run_items where run_id = $1',
      [run.id],
    );
    expect(rows[0].n).toBe(2);
  }, 90_000);

  it('a worker killed mid-run: another resumes, the run completes without a duplicate write', async () => {
    fake.seed('factory', generateEmployees({ count: 1000, seed: 12, codePrefix: 'B', codeWidth: 5 }));
    const run = await startImport('factory');
    const first = startWorker();
    await waitFor(
      async () => (await t.hub.runs.get(run.id)) as Run,
      (state) => state.counts.created >= 100,
      60_000,
    );
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const interrupted = (await t.hub.runs.get(run.id)) as Run;
    expect(interrupted.status).toBe('running');
    expect(interrupted.counts.pending).toBeGreaterThan(0);

    startWorker();
    const done = await finished(run.id, 90_000);
    expect(done).toMatchObject({ status: 'succeeded', total: 1000, counts: { pending: 0, failed: 0 } });
    // Each employee counted once: 新規登録, or 既に登録済み for those the killed worker had written
    // but not yet recorded when it died (at most its one chunk in flight), found and not written
    // again. Workers take chunks back to back, so the kill lands mid-chunk more often than not.
    expect(done.counts.created + done.counts.already_present).toBe(1000);
    expect(done.counts.already_present).toBeLessThanOrEqual(25);
    expect((await t.hub.employees.list({ search: 'B0' })).total).toBe(1000);
    expect(await writtenNotOnce('B')).toEqual([]);
    const [latest] = (await t.hub.runs.history(t.connection.id)).items;
    expect(latest).toMatchObject({ id: run.id, status: 'succeeded', counts: done.counts });
    const { rows } = await sql.query(
      'select count(distinct worker)::int as n from run_items where run_id = $1',
      [run.id],
    );
    expect(rows[0].n).toBe(2);
  }, 150_000);
});
