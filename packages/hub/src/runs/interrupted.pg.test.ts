// A chunk interrupted part way (its job's claim lost, or the hub's database failing a statement)
// resumes: every employee is settled from what the vendor holds, none is written twice, none failed.
import { createVirtualClock } from '@renkei/core';
import { createReferenceFake, generateEmployees } from '@renkei/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatEmployeesCsv } from '../employees/csv.ts';
import { waitFor } from '../testing/processes.ts';
import { type ReferenceHub, startReferenceHub } from '../testing/reference-hub.ts';
import { CHUNK_QUEUE, chunkJob } from './queue.ts';
import { FINAL_STATUSES, type Run } from './runs.ts';

// The fake answers on its own clock, which only the test moves: a delayed write stays at the vendor.
const fakeClock = createVirtualClock(Date.now(), { autoAdvance: false });
const fake = createReferenceFake({ clock: fakeClock, rateLimit: 100_000 });
const employees = generateEmployees({ count: 50, seed: 51, codePrefix: 'R', codeWidth: 4 });

let t: ReferenceHub;
let sql: pg.Client;
beforeAll(async () => {
  // One chunk of 50: two batches of 25 (the reference vendor's batch limit).
  t = await startReferenceHub(fake, { chunkSize: 50 });
  sql = new pg.Client({ connectionString: (t.database.target as { databaseUrl: string }).databaseUrl });
  await sql.connect();
  await t.hub.employees.importCsv(t.admin.id, formatEmployeesCsv(employees));
});
afterAll(async () => {
  await sql.end();
  await t.close();
});

async function startExport(dataArea: string): Promise<Run> {
  const preview = await t.hub.previews.create(t.admin.id, {
    connectionId: t.connection.id,
    direction: 'export',
    dataArea,
  });
  return t.hub.runs.start(t.admin.id, { previewId: preview.id, selection: { all: {} } });
}

const finished = (runId: string) =>
  waitFor(
    async () => (await t.hub.runs.get(runId)) as Run,
    (run) => FINAL_STATUSES.includes(run.status),
    50_000,
  );

/** Employees the resumed chunk found already written at the vendor (counted done, not sent). */
async function foundWritten(runId: string): Promise<number> {
  const { rows } = await sql.query(
    `select count(*)::int as n from run_items where run_id = $1 and detail->>'alreadyInTarget' = 'true'`,
    [runId],
  );
  return rows[0].n;
}

const writeCalls = (area: string) =>
  fake.requests.filter(
    (request) => request.requestClass === 'write' && request.url.includes(`/areas/${area}/`),
  );

/** Until `n` requests wait at the vendor (on the fake's clock). */
const atVendor = (n: number) =>
  waitFor(
    async () => fakeClock.pending,
    (pending) => pending === n,
    20_000,
  );

describe('an interrupted chunk', () => {
  it('whose worker loses its job while a write is at the vendor: the cut-off employees are resumed, not failed', async () => {
    fake.faults.inject({ kind: 'delay', scope: 'write', delayMs: 60_000 });
    const run = await startExport('head-office');
    await atVendor(1); // the first batch's write
    // The queue takes the job away (as when its heartbeat is missed); the worker's next heartbeat
    // finds its claim gone and aborts the job's signal, cutting the write's request off. The job is
    // handed out again: the resumed chunk's stale-check read waits at the vendor too.
    fake.faults.inject({ kind: 'delay', scope: 'read', delayMs: 120_000 });
    await sql.query(
      `update pgboss.job set state = 'retry', start_after = now() where name = $1 and id = $2`,
      [CHUNK_QUEUE, chunkJob(run.id, 0).id],
    );
    await atVendor(2);
    expect(await t.hub.runs.get(run.id)).toMatchObject({ status: 'running', counts: { pending: 50 } });
    // The cut-off write lands at the vendor after all; then the resumed read is answered.
    await fakeClock.advance(60_000);
    await waitFor(
      async () => fake.records('head-office').length,
      (n) => n === 25,
      20_000,
    );
    await fakeClock.advance(60_000);

    const done = await finished(run.id);
    // The 25 the cut-off write carried were found written (既に登録済み), not sent again.
    expect(done).toMatchObject({
      status: 'succeeded',
      counts: { created: 25, already_present: 25, failed: 0, pending: 0 },
    });
    expect(await foundWritten(run.id)).toBe(25);
    expect(writeCalls('head-office')).toHaveLength(2);
    expect(
      fake
        .records('head-office')
        .map((e) => e.employeeCode)
        .sort(),
    ).toEqual(employees.map((e) => e.employeeCode).sort());
  });

  it('whose hub fails to record an outcome (a database error): the chunk is retried, nothing written is failed', async () => {
    // The 10th employee's outcome cannot be stored, once: the first batch of 25 is at the vendor.
    const tenth = employees[9]?.employeeCode as string;
    await sql.query('create sequence record_failures');
    await sql.query(`
      create function fail_one_record() returns trigger language plpgsql as $$
      begin
        if new.employee_code = '${tenth}' and nextval('record_failures') = 1 then
          raise exception 'connection reset (test)' using errcode = '08006';
        end if;
        return new;
      end $$`);
    await sql.query(`
      create trigger fail_one_record before update of outcome on run_items for each row
      when (new.outcome <> 'pending') execute function fail_one_record()`);

    const run = await startExport('factory');
    const done = await finished(run.id);
    expect(done).toMatchObject({
      status: 'succeeded',
      counts: { created: 34, already_present: 16, failed: 0, pending: 0 },
    });
    // The 10th to 25th were written before the failure: found written on the retry, not sent again
    // (a second create of a 社員番号 the vendor refuses, which would show as failed).
    expect(await foundWritten(run.id)).toBe(16);
    expect(
      fake
        .records('factory')
        .map((e) => e.employeeCode)
        .sort(),
    ).toEqual(employees.map((e) => e.employeeCode).sort());
    const [{ n }] = (await sql.query(`select nextval('record_failures')::int as n`)).rows;
    expect(n).toBe(3); // the trigger did fail one statement
  });
});
