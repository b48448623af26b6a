// Test support: the vendor fakes as their own process (`pnpm fakes`), a hub in this process that
// previews and starts runs on a fresh PostgreSQL database, and `renkei worker` processes (the hub's
// own bin, with the shipped connectors sent to the fakes) that write. What the fakes hold, logged
// and counted is read back over their `/__fakes` routes.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Employee } from '@renkei/core';
import { createHub, type Hub, type Run } from '@renkei/hub';
import { waitFor, workerPool } from '@renkei/hub/testing/processes';
import { overridingFetch, parseVendorOverrides } from '../config/vendor-urls.ts';
import { CONNECTORS } from '../connectors.ts';
import { isActive } from '../views/runs-common.ts';
import { type Child, type FakesInfo, freshDatabase, killAll, newSecretKey, startFakes } from './processes.ts';

const CONNECTORS_OVER_FAKES = fileURLToPath(new URL('./connectors-over-fakes.ts', import.meta.url));

/** What a fake says about itself (`/__fakes/<id>/stats`). */
export interface FakeStats {
  /** Requests the vendor refused as over its rate limits (not injected faults). */
  overLimit: number;
  /** Requests refused only because they arrived inside an injected 429's Retry-After. */
  insideRetryAfter: number;
  /** 429s injected (`rate_limit` faults served). */
  rateLimitsInjected: number;
  /** Logins holding one of the vendor's licences now (PCA); null where logins hold none. */
  openSessions: number | null;
}

export interface HubOverFakes {
  hub: Hub;
  admin: { id: string };
  fakes: Child & { info: FakesInfo; url: string };
  /**
   * Starts a `renkei worker` with two chunk slots (`env` added to its environment); every one
   * started is SIGKILLed by `close()`.
   */
  startWorker(env?: Record<string, string>): ReturnType<ReturnType<typeof workerPool>['start']>;
  close(): Promise<void>;
}

export interface HubOverFakesOptions {
  /** The HR master's employees. */
  people: readonly Employee[];
  chunkSize: number;
}

/** A fresh database, the fakes process and a hub (no worker of its own) with the HR master filled. */
export async function startHubOverFakes(options: HubOverFakesOptions): Promise<HubOverFakes> {
  const database = await freshDatabase();
  const folder = mkdtempSync(join(tmpdir(), 'renkei-over-fakes-'));
  const fakes = await startFakes(folder);
  const secretKey = newSecretKey();
  const workers = workerPool(() => database.url, secretKey);
  const overrides = parseVendorOverrides(fakes.info.baseUrls);
  if (!overrides.ok) throw new Error(overrides.message);
  const hub = await createHub({
    databaseUrl: database.url,
    connectors: CONNECTORS,
    secretKey,
    worker: false,
    chunkSize: options.chunkSize,
    fetch: overridingFetch(overrides.overrides),
  });
  const admin = await hub.users.bootstrap({
    email: 'chaos@example.jp',
    name: '障害 試験',
    password: 'chaos over real http',
  });
  for (const person of options.people) await hub.employees.create(admin.id, person);
  return {
    hub,
    admin,
    fakes,
    startWorker: (env = {}) =>
      workers.start({
        args: ['--connectors', CONNECTORS_OVER_FAKES, '--concurrency', '2'],
        env: { RENKEI_VENDOR_BASE_URLS: fakes.info.baseUrls, RENKEI_LEASE_SECONDS: '3', ...env },
        stderr: process.env.RENKEI_E2E_VERBOSE ? 'inherit' : 'ignore',
      }),
    async close() {
      workers.killAll();
      await hub.close();
      await fakes.stop();
      killAll();
      await database.drop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** A connection to one of the fakes, with the credentials it accepts. */
export function connectToFake(t: HubOverFakes, connectorId: string, displayName: string) {
  const vendor = t.fakes.info.vendors.find((candidate) => candidate.id === connectorId);
  return t.hub.connections.create(t.admin.id, {
    connectorId,
    displayName,
    credentials: { ...vendor?.credentials },
  });
}

/** Those of `codes` the preview would create (新規登録). */
export async function newIn(hub: Hub, previewId: string, codes: readonly string[]): Promise<string[]> {
  const { items } = await hub.previews.entries(previewId, { pageSize: 1000 });
  const fresh = new Set(items.filter((entry) => entry.status === 'new').map((entry) => entry.employeeCode));
  return codes.filter((code) => fresh.has(code));
}

/** Kills a worker at once (no shutdown of its own) and waits until it is gone. */
export async function sigkill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** The run once it has ended (or fails after `timeoutMs`). */
export function finished(hub: Hub, runId: string, timeoutMs: number): Promise<Run> {
  return waitFor(
    async () => {
      const run = await hub.runs.get(runId);
      if (!run) throw new Error(`no run ${runId}`);
      return run;
    },
    (run) => !isActive(run.status),
    timeoutMs,
  );
}

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** The `/__fakes` routes of one fakes process. */
export function fakeControl(fakesUrl: string) {
  return {
    /** Injects each fault (testkit's `FaultSpec` shape) into the fake of `id`. */
    async inject(id: string, specs: readonly Record<string, unknown>[]): Promise<void> {
      for (const spec of specs) {
        const response = await fetch(`${fakesUrl}/__fakes/${id}/faults`, json(spec));
        if (response.status !== 204)
          throw new Error(`fakes refused ${JSON.stringify(spec)}: ${response.status}`);
      }
    },
    async clearFaults(id: string): Promise<void> {
      await fetch(`${fakesUrl}/__fakes/${id}/faults`, { method: 'DELETE' });
    },
    async stats(id: string): Promise<FakeStats> {
      return (await (await fetch(`${fakesUrl}/__fakes/${id}/stats`)).json()) as FakeStats;
    },
    /** How many records the vendor holds under each of `codes`. */
    async heldCounts(id: string, area: string, codes: readonly string[]): Promise<Map<string, number>> {
      const response = await fetch(`${fakesUrl}/__fakes/${id}/records/${encodeURIComponent(area)}`);
      const held = (await response.json()) as { employeeCode: string }[];
      const counts = new Map(codes.map((code) => [code, 0]));
      for (const record of held) {
        const count = counts.get(record.employeeCode);
        if (count !== undefined) counts.set(record.employeeCode, count + 1);
      }
      return counts;
    },
    /** Moves the fakes' clock forward (a vendor's session timeout passing). */
    async advanceClock(ms: number): Promise<void> {
      await fetch(`${fakesUrl}/__fakes/clock`, json({ advanceMs: ms }));
    },
  };
}
