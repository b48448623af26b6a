// SIGTERM during a run: `renkei serve` finishes the chunk in flight and exits 0 within 30 s; started
// again, it works the rest of the run; the vendor (the fakes process) took each create exactly once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJobcanFake } from '@renkei/connector-jobcan/fake';
import { createPcaCloudFake } from '@renkei/connector-pca-cloud/fake';
import { createPcaHyperFake } from '@renkei/connector-pca-hyper/fake';
import { createHub, type Hub } from '@renkei/hub';
import type { ServerDatabase } from '@renkei/hub/testing/database';
import { demoPopulation, seedDemoFakes } from '@renkei/testkit/fakes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overridingFetch, parseVendorOverrides } from '../config/vendor-urls.ts';
import { CONNECTORS } from '../connectors.ts';
import {
  type Child,
  type FakesInfo,
  fakeRequests,
  freshDatabase,
  killAll,
  newSecretKey,
  startFakes,
  startServe,
} from './processes.ts';

const TIMEOUT = 240_000;
let folder = '';
let fakes: Child & { info: FakesInfo; url: string };
let hub: Hub;
let env: Record<string, string>;
let database: ServerDatabase | undefined;

/** The HR master's own people, whom no seeded vendor holds: every one is 新規登録 for Jobcan. */
function hrOnlyEmployees() {
  const hr = seedDemoFakes(
    [createPcaCloudFake(), createPcaHyperFake(), createJobcanFake()],
    demoPopulation(),
  );
  return hr.slice(-12);
}

beforeAll(async () => {
  database = await freshDatabase();
  const databaseUrl = database.url;
  folder = mkdtempSync(join(tmpdir(), 'renkei-drain-'));
  fakes = await startFakes(folder);
  const secretKey = newSecretKey();
  env = {
    DATABASE_URL: databaseUrl,
    RENKEI_SECRET_KEY: secretKey,
    RENKEI_VENDOR_BASE_URLS: fakes.info.baseUrls,
  };
  const overrides = parseVendorOverrides(fakes.info.baseUrls);
  if (!overrides.ok) throw new Error(overrides.message);
  // The test's own view of the same database: sets up and starts the run, works nothing itself.
  // Chunks of 3: the run spans several queue jobs, so a stop lands between them.
  hub = await createHub({
    databaseUrl,
    connectors: CONNECTORS,
    secretKey,
    worker: false,
    chunkSize: 3,
    fetch: overridingFetch(overrides.overrides),
  });
}, TIMEOUT);

afterAll(async () => {
  await hub?.close();
  await fakes?.stop();
  killAll();
  await database?.drop();
  rmSync(folder, { recursive: true, force: true });
}, TIMEOUT);

const runOf = async (id: string) => {
  const run = await hub.runs.get(id);
  if (!run) throw new Error(`no run ${id}`);
  return run;
};

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('renkei serve on SIGTERM', () => {
  it(
    'drains within 30 s and exits 0; restarted, it finishes the run and nobody is written twice',
    async () => {
      const people = hrOnlyEmployees();
      const admin = await hub.users.bootstrap({
        email: 'drain@example.jp',
        name: '停止 試験',
        password: 'stop and resume safely',
      });
      for (const employee of people) await hub.employees.create(admin.id, employee);
      const jobcan = fakes.info.vendors.find((vendor) => vendor.id === 'jobcan');
      const connection = await hub.connections.create(admin.id, {
        connectorId: 'jobcan',
        displayName: 'ジョブカン',
        credentials: { ...jobcan?.credentials },
      });
      // Every write takes a while, so the stop lands mid-run.
      await fetch(`${fakes.url}/__fakes/jobcan/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'delay', scope: 'write', delayMs: 700, times: 1000 }),
      });
      const preview = await hub.previews.create(admin.id, {
        connectionId: connection.id,
        direction: 'export',
        dataArea: 'default',
      });
      const run = await hub.runs.start(admin.id, {
        previewId: preview.id,
        selection: { all: { status: 'new' } },
      });

      let serve = await startServe(env);
      await until(
        () => runOf(run.id),
        (value) => value.counts.created >= 1,
        90_000,
      );
      const stopping = Date.now();
      expect(await serve.stop('SIGTERM', 35_000)).toBe(0);
      expect(Date.now() - stopping).toBeLessThan(30_000);
      expect(serve.logs.some((line) => line.message === 'stopped')).toBe(true);
      const stopped = await runOf(run.id);
      expect(stopped.counts.created).toBeLessThan(people.length);

      serve = await startServe(env);
      const finished = await until(
        () => runOf(run.id),
        (value) => value.status !== 'queued' && value.status !== 'running',
        120_000,
      );
      expect(finished.status).toBe('succeeded');
      expect(finished.counts.created).toBe(people.length);
      expect(await serve.stop()).toBe(0);

      // At the vendor: one create request per person, and each person held once.
      const creates = (await fakeRequests(fakes.url, 'jobcan')).filter(
        (request) => request.method === 'POST' && request.requestClass === 'write',
      );
      expect(creates).toHaveLength(people.length);
      const held = (await (await fetch(`${fakes.url}/__fakes/jobcan/records/default`)).json()) as {
        employeeCode: string;
      }[];
      for (const person of people) {
        expect(
          held.filter((record) => record.employeeCode === person.employeeCode),
          person.employeeCode,
        ).toHaveLength(1);
      }
    },
    TIMEOUT,
  );
});
