// One lease and one rate budget per connection across worker processes, over real HTTP: `renkei
// worker` processes export to the reference vendor's fake, served on loopback by this process (the
// fakes as their own HTTP process are not on main yet; this helper stands in). The fake refuses
// what goes over its limit and logs every request with its session's token.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { systemClock } from '@renkei/core';
import { createReferenceConnector, createReferenceFake, generateEmployees } from '@renkei/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type HttpFake, overlappingSessions, serveFake } from '../testing/http-fake.ts';
import { waitFor, workerPool } from '../testing/processes.ts';
import { type ReferenceHub, startReferenceHub } from '../testing/reference-hub.ts';
import { FINAL_STATUSES, type Run } from './runs.ts';

const secretKey = randomBytes(32).toString('base64');
const connectorModule = join(import.meta.dirname, '..', 'testing', 'reference-over-http.ts');

let served: HttpFake<ReturnType<typeof createReferenceFake>>;
let t: ReferenceHub;
const workers = workerPool(() => (t.database.target as { databaseUrl: string }).databaseUrl, secretKey);
const startWorker = () =>
  workers.start({
    args: ['--connectors', connectorModule, '--concurrency', '2'],
    env: { RENKEI_TEST_REFERENCE_URL: served.baseUrl, RENKEI_LEASE_SECONDS: '3' },
  });

const finished = (runId: string, timeoutMs: number) =>
  waitFor(
    async () => (await t.hub.runs.get(runId)) as Run,
    (run) => FINAL_STATUSES.includes(run.status),
    timeoutMs,
  );

async function startExport(area: string): Promise<Run> {
  const preview = await t.hub.previews.create(t.admin.id, {
    connectionId: t.connection.id,
    direction: 'export',
    dataArea: area,
  });
  return t.hub.runs.start(t.admin.id, { previewId: preview.id, selection: { all: { status: 'new' } } });
}

/** 社員番号 the vendor holds other than exactly once. */
function heldNotOnce(area: string): [string, number][] {
  const counts = new Map<string, number>();
  for (const record of served.fake.records(area)) {
    counts.set(record.employeeCode, (counts.get(record.employeeCode) ?? 0) + 1);
  }
  return [...counts].filter(([, count]) => count !== 1);
}

beforeAll(async () => {
  // The fake's default limit: 10 requests a second, as the connector declares.
  served = await serveFake((baseUrl) => createReferenceFake({ clock: systemClock, baseUrl }));
  // This process previews and enqueues; the worker processes write, each with two chunk slots.
  t = await startReferenceHub(served.fake, {
    connector: createReferenceConnector({ baseUrl: served.baseUrl }),
    worker: false,
    secretKey,
    chunkSize: 10,
  });
  for (const employee of generateEmployees({ count: 150, seed: 41, codePrefix: 'L', codeWidth: 5 })) {
    await t.hub.employees.create(t.admin.id, employee);
  }
});
afterEach(() => {
  workers.killAll();
  served.fake.faults.clear();
});
afterAll(async () => {
  await t.close();
  await served.close();
});

describe('one lease and one rate budget per connection across worker processes', () => {
  it('two workers with two slots each: one session at a time, 0 requests over the limit', async () => {
    const run = await startExport('head-office');
    const before = served.log.length;
    startWorker();
    startWorker();
    const done = await finished(run.id, 120_000);
    expect(done).toMatchObject({ status: 'succeeded', counts: { created: 150, pending: 0 } });
    expect(heldNotOnce('head-office')).toEqual([]);
    expect(served.fake.records('head-office')).toHaveLength(150);
    // The budget counts each request until its answer came back, so however late it reached the
    // fake, the fake never sees one too many in a window.
    expect(served.fake.overLimitCount).toBe(0);
    const exportLog = served.log.slice(before);
    // Fifteen chunks, each its own vendor session, none of them open at the same time as another.
    expect(new Set(exportLog.map((entry) => entry.token).filter(Boolean)).size).toBeGreaterThanOrEqual(15);
    expect(overlappingSessions(exportLog)).toEqual([]);
    const { items } = await t.hub.runs.items(run.id, { pageSize: 200 });
    expect(new Set(items.map((item) => item.outcome))).toEqual(new Set(['created']));
  }, 180_000);

  it('a worker SIGKILLed mid-export under 20 % faults with late commits: another finishes, each 社員番号 once', async () => {
    served.fake.faults.inject({ kind: 'server_error', probability: 0.05, seed: 1 });
    served.fake.faults.inject({ kind: 'rate_limit', probability: 0.05, seed: 2, retryAfterSeconds: 1 });
    served.fake.faults.inject({ kind: 'late_commit', probability: 0.05, seed: 3, delayMs: 1_500 });
    served.fake.faults.inject({ kind: 'timeout_after_commit', scope: 'write', probability: 0.05, seed: 4 });
    const run = await startExport('factory');
    const first = startWorker();
    startWorker();
    await waitFor(
      async () => (await t.hub.runs.get(run.id)) as Run,
      (state) => state.counts.created >= 40,
      120_000,
    );
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const done = await finished(run.id, 180_000);
    served.fake.faults.clear();
    // Whatever the vendor still had to commit late has landed.
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    expect(heldNotOnce('factory')).toEqual([]);
    // The budget counts each request until its answer came back, so however late it reached the
    // fake, the fake never sees one too many in a window.
    expect(served.fake.overLimitCount).toBe(0);
    expect(served.fake.faults.served.late_commit).toBeGreaterThan(0);
    expect(done.counts.pending).toBe(0);
    // Honest: every employee is written, or says why not (未確認 / failed) — never a silent duplicate.
    expect(done.counts.created + done.counts.ambiguous + done.counts.failed).toBe(150);

    const again = await t.hub.previews.create(t.admin.id, {
      connectionId: t.connection.id,
      direction: 'export',
      dataArea: 'factory',
    });
    const created = new Set(
      (await t.hub.runs.items(run.id, { outcome: 'created', pageSize: 200 })).items.map(
        (item) => item.employeeCode,
      ),
    );
    const entries = await t.hub.previews.entries(again.id, { pageSize: 200 });
    for (const entry of entries.items) {
      if (created.has(entry.employeeCode)) expect(entry.status, entry.employeeCode).toBe('unchanged');
    }
    expect(again.summary.unchanged).toBeGreaterThanOrEqual(created.size);
  }, 300_000);
});
