// A chunk whose queue job fails for good (every attempt interrupted, retries spent): its employees
// fail with a reason, the run ends, and its connection and area take a new run.
import { ConnectorError, systemClock } from '@renkei/core';
import { createReferenceFake, generateEmployees, referenceConnector } from '@renkei/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatEmployeesCsv } from '../employees/csv.ts';
import { type ReferenceHub, runEnded, startReferenceHub } from '../testing/reference-hub.ts';
import { CHUNK_ABANDONED_ERROR, type Run } from './runs.ts';

const fake = createReferenceFake({ clock: systemClock, rateLimit: 1000 });
const employees = generateEmployees({ count: 20, seed: 31, codePrefix: 'D', codeWidth: 4 });

/** Connections it still opens before failing with `refusal` (every later one fails). */
let connectsLeft = Number.POSITIVE_INFINITY;
/** A crash (not a ConnectorError) the queue retries until the job is dead; or the vendor unreachable. */
const CRASH = () => new Error('connector crashed');
const UNREACHABLE = () => new ConnectorError('transient', '連携先に接続できません。');
let refusal: () => Error = CRASH;
const flaky: typeof referenceConnector = {
  ...referenceConnector,
  async connect(credentials, context) {
    if (connectsLeft-- <= 0) throw refusal();
    return referenceConnector.connect(credentials, context);
  },
};

let t: ReferenceHub;
beforeAll(async () => {
  // Two chunks of 10; a chunk's job is handed out twice at most.
  t = await startReferenceHub(fake, { connector: flaky, chunkSize: 10, chunkRetryLimit: 1, watchPollMs: 50 });
  await t.hub.employees.importCsv(t.admin.id, formatEmployeesCsv(employees));
});
afterAll(() => t.close());

/** Exports every employee; the run's chunks may open `connects` connections, the rest are refused. */
async function startExport(connects: number, failure: () => Error = CRASH): Promise<Run> {
  refusal = failure;
  const preview = await t.hub.previews.create(t.admin.id, {
    connectionId: t.connection.id,
    direction: 'export',
    dataArea: 'head-office',
  });
  connectsLeft = connects;
  return t.hub.runs.start(t.admin.id, { previewId: preview.id, selection: { all: {} } });
}

describe('a chunk whose job fails for good', () => {
  it('fails its pending employees, ends the run, and frees the connection for a new run', async () => {
    // One chunk is written; every attempt at the other fails to connect.
    const run = await startExport(1);
    const done = await runEnded(t.hub, run.id);
    expect(done).toMatchObject({
      status: 'partially_failed',
      total: 20,
      counts: { created: 10, failed: 10, pending: 0 },
    });
    const failed = await t.hub.runs.items(run.id, { outcome: 'failed', pageSize: 100 });
    expect(failed.items).toHaveLength(10);
    for (const item of failed.items) {
      expect(item).toMatchObject({ error: CHUNK_ABANDONED_ERROR, message: CHUNK_ABANDONED_ERROR.message });
    }
    const created = await t.hub.runs.items(run.id, { outcome: 'created', pageSize: 100 });
    expect(
      fake
        .records('head-office')
        .map((e) => e.employeeCode)
        .sort(),
    ).toEqual(created.items.map((item) => item.employeeCode).sort());
    const notification = (await t.hub.notifications.list(t.admin.id, { pageSize: 100 })).items.find(
      (n) => n.runId === run.id,
    );
    expect(notification?.failures.map((failure) => failure.employeeCode).sort()).toEqual(
      failed.items.map((item) => item.employeeCode).sort(),
    );

    connectsLeft = Number.POSITIVE_INFINITY;
    const retry = await t.hub.runs.retryFailed(t.admin.id, run.id);
    expect(await runEnded(t.hub, retry.id)).toMatchObject({ status: 'succeeded', counts: { created: 10 } });
    // Each employee created once: the vendor holds all 20, and no create was refused as a duplicate.
    expect(fake.records('head-office')).toHaveLength(20);
  });

  it('gives up on an unreachable target within the queue’s retries, in the vendor’s words', async () => {
    for (const employee of employees.slice(0, 10))
      await t.hub.employees.update(t.admin.id, employee.employeeCode, { lastName: '改姓' });
    const run = await startExport(0, UNREACHABLE);
    const done = await runEnded(t.hub, run.id);
    expect(done).toMatchObject({ status: 'failed', counts: { failed: 10, pending: 0 } });
    const failed = await t.hub.runs.items(run.id, { outcome: 'failed', pageSize: 100 });
    for (const item of failed.items) expect(item.message).toContain('連携先に接続できません');
    connectsLeft = Number.POSITIVE_INFINITY;
  });
});
