// PCAクラウド給与 over real HTTP: the vendor fakes as their own process (`pnpm fakes`), two
// `renkei worker` processes (the hub's own bin) sharing one connection. A login whose answer is lost
// stops every chunk on both workers without another login; asserted AT THE FAKE (its request log,
// what it holds, which logins still hold a licence).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHub, type Hub, type Run, type RunStatus } from '@renkei/hub';
import { PCA } from '@renkei/pca-webapi';
import { generateEmployees } from '@renkei/testkit/fakes';
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
} from './processes.ts';

const HUB_WORKER = fileURLToPath(new URL('../../../../packages/hub/src/bin/renkei.ts', import.meta.url));
const CONNECTORS_OVER_FAKES = fileURLToPath(new URL('./connectors-over-fakes.ts', import.meta.url));
const TIMEOUT = 300_000;
const FINAL_STATUSES: readonly RunStatus[] = ['succeeded', 'partially_failed', 'failed', 'cancelled'];

/** The HR master's people, whom the seeded vendor does not hold: all 新規登録. */
const PEOPLE = generateEmployees({ count: 10, seed: 1414, codePrefix: '8', codeWidth: 5 });
const LOST_LOGIN_CODES = PEOPLE.map((person) => person.employeeCode);

let folder = '';
let fakes: Child & { info: FakesInfo; url: string };
let hub: Hub;
let admin: { id: string };
let workerEnv: Record<string, string>;
let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  database = await freshDatabase();
  folder = mkdtempSync(join(tmpdir(), 'renkei-chaos-'));
  fakes = await startFakes(folder);
  const secretKey = newSecretKey();
  workerEnv = {
    DATABASE_URL: database.url,
    RENKEI_SECRET_KEY: secretKey,
    RENKEI_VENDOR_BASE_URLS: fakes.info.baseUrls,
    RENKEI_SUPERVISE_SECONDS: '1',
    RENKEI_LEASE_SECONDS: '3',
  };
  const overrides = parseVendorOverrides(fakes.info.baseUrls);
  if (!overrides.ok) throw new Error(overrides.message);
  // This process previews and starts runs; the worker processes write, in chunks of 20.
  hub = await createHub({
    databaseUrl: database.url,
    connectors: CONNECTORS,
    secretKey,
    worker: false,
    chunkSize: 20,
    fetch: overridingFetch(overrides.overrides),
  });
  admin = await hub.users.bootstrap({
    email: 'chaos@example.jp',
    name: '障害 試験',
    password: 'chaos over real http',
  });
  for (const person of PEOPLE) await hub.employees.create(admin.id, person);
}, TIMEOUT);

afterAll(async () => {
  for (const worker of workers)
    if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  await hub?.close();
  await fakes?.stop();
  killAll();
  await database?.drop();
  rmSync(folder, { recursive: true, force: true });
}, TIMEOUT);

/** RENKEI_E2E_LOG_DIR: each worker's stderr in a file there (for a failing run). */
const debugLog = () =>
  process.env.RENKEI_E2E_LOG_DIR
    ? openSync(join(process.env.RENKEI_E2E_LOG_DIR, `worker-${workers.length}-${Date.now()}.log`), 'w')
    : 'ignore';

function startWorker(): ChildProcess {
  const child = spawn(
    process.execPath,
    [HUB_WORKER, 'worker', '--connectors', CONNECTORS_OVER_FAKES, '--concurrency', '2'],
    { env: { ...process.env, ...workerEnv }, stdio: ['ignore', 'ignore', debugLog()] },
  );
  workers.push(child);
  return child;
}

async function sigkill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function stopWorkers(): Promise<void> {
  await Promise.all(workers.splice(0).map((child) => (child.exitCode === null ? sigkill(child) : undefined)));
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const runOf = async (id: string): Promise<Run> => {
  const run = await hub.runs.get(id);
  if (!run) throw new Error(`no run ${id}`);
  return run;
};
const finished = (id: string, timeoutMs: number) =>
  until(
    () => runOf(id),
    (run) => FINAL_STATUSES.includes(run.status),
    timeoutMs,
  );

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
async function inject(id: string, specs: readonly Record<string, unknown>[]): Promise<void> {
  for (const spec of specs)
    expect((await fetch(`${fakes.url}/__fakes/${id}/faults`, json(spec))).status).toBe(204);
}
const clearFaults = (id: string) => fetch(`${fakes.url}/__fakes/${id}/faults`, { method: 'DELETE' });
const stats = async (id: string) =>
  (await (await fetch(`${fakes.url}/__fakes/${id}/stats`)).json()) as {
    overLimit: number;
    openSessions: number | null;
  };
/** How many times the vendor holds each of `codes`. */
async function heldCounts(id: string, area: string, codes: readonly string[]): Promise<Map<string, number>> {
  const held = (await (
    await fetch(`${fakes.url}/__fakes/${id}/records/${encodeURIComponent(area)}`)
  ).json()) as {
    employeeCode: string;
  }[];
  const counts = new Map(codes.map((code) => [code, 0]));
  for (const record of held) {
    const count = counts.get(record.employeeCode);
    if (count !== undefined) counts.set(record.employeeCode, count + 1);
  }
  return counts;
}

/** Those of `codes` the preview would create (新規登録). */
async function newIn(previewId: string, codes: readonly string[]): Promise<string[]> {
  const { items } = await hub.previews.entries(previewId, { pageSize: 500 });
  const fresh = new Set(items.filter((entry) => entry.status === 'new').map((entry) => entry.employeeCode));
  return codes.filter((code) => fresh.has(code));
}

async function connect(connectorId: string, displayName: string) {
  const vendor = fakes.info.vendors.find((candidate) => candidate.id === connectorId);
  return hub.connections.create(admin.id, {
    connectorId,
    displayName,
    credentials: { ...vendor?.credentials },
  });
}

describe('PCA over real HTTP with two workers on one connection', () => {
  it(
    'PCAクラウド給与: a lost login answer stops every chunk on both workers, no second blind login, and the run says what to do',
    async () => {
      const connection = await connect('pca-cloud', 'PCAクラウド給与');
      const [area] = await hub.connections.dataAreas(connection.id);
      const preview = await hub.previews.create(admin.id, {
        connectionId: connection.id,
        direction: 'export',
        dataArea: area?.id ?? '',
      });
      const codes = await newIn(preview.id, LOST_LOGIN_CODES);
      expect(codes.length).toBeGreaterThan(0);
      const run = await hub.runs.start(admin.id, { previewId: preview.id, selection: { codes } });
      const before = (await fakeRequests(fakes.url, 'pca-cloud')).length;
      await inject('pca-cloud', [{ kind: 'lost_auth_answer', scope: 'auth', times: 1 }]);
      startWorker();
      startWorker();
      const done = await finished(run.id, 120_000);
      await stopWorkers();
      await clearFaults('pca-cloud');

      expect(done.status).toBe('failed');
      const logins = (await fakeRequests(fakes.url, 'pca-cloud'))
        .slice(before)
        .filter((entry) => entry.requestClass === 'auth');
      // The one login whose answer was lost, and none after it on either worker.
      expect(logins).toHaveLength(1);
      const { items } = await hub.runs.items(run.id, { pageSize: 50 });
      const messages = new Set(items.map((item) => item.error?.message ?? item.message ?? ''));
      for (const message of messages) {
        expect(message).toContain('ログインの応答が');
        expect(message).toContain('自動で解放されます');
        expect(message).toContain('「接続テスト」が成功してから再実行してください');
      }
      expect([...(await heldCounts('pca-cloud', area?.id ?? '', codes)).values()]).toEqual(
        codes.map(() => 0),
      );
      // The orphaned login holds one licence, within the contract's; PCA's timeout frees it.
      expect((await stats('pca-cloud')).openSessions).toBe(1);
      await fetch(`${fakes.url}/__fakes/clock`, json({ advanceMs: PCA.sessionTimeoutMs }));
      expect((await stats('pca-cloud')).openSessions).toBe(0);
      // The admin's 接続テスト lifts the connection's hold; it logs out again after.
      const tested = await hub.connections.test(admin.id, {
        connectorId: 'pca-cloud',
        credentials: {},
        connectionId: connection.id,
      });
      expect(tested).toEqual({ ok: true });
      expect((await stats('pca-cloud')).openSessions).toBe(0);
      expect((await stats('pca-cloud')).overLimit).toBe(0);
    },
    TIMEOUT,
  );
});
