/**
 * A 10,000-employee sync inside a whole `renkei serve` process, for the memory benchmark: ジョブカン's
 * fake in its own process (`pnpm fakes`, real HTTP, the vendor's real paging and rate limit) holding
 * 10,000 employees, serve's HR master empty; over `/api/v1` a preview ジョブカン → HR and a run
 * that writes every one of them (新規登録), worked by serve's own worker.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import jobcan from '@renkei/connector-jobcan';
import { createJobcanFake } from '@renkei/connector-jobcan/fake';
import { IMPLICIT_DATA_AREA } from '@renkei/core';
import { createHub } from '@renkei/hub';
import { generateEmployees } from '@renkei/testkit/fakes';
import { overridingFetch, parseVendorOverrides } from '../../../../apps/admin/src/config/vendor-urls.ts';

export const SYNC_EMPLOYEES = 10_000;

export interface SyncFakes {
  /** RENKEI_VENDOR_BASE_URLS for serve. */
  baseUrls: string;
  credentials: Record<string, unknown>;
  stop(): Promise<void>;
}

/** The fakes process, its ジョブカン holding `SYNC_EMPLOYEES` generated employees. */
export async function startSyncFakes(root: string, folder: string): Promise<SyncFakes> {
  const fake = createJobcanFake();
  fake.seed(IMPLICIT_DATA_AREA.id, generateEmployees({ count: SYNC_EMPLOYEES, seed: 20261207 }));
  const state = join(folder, 'fakes-state.json');
  const info = join(folder, 'fakes-info.json');
  writeFileSync(state, JSON.stringify({ jobcan: fake.snapshot() }));
  const child = spawn(
    process.execPath,
    [join(root, 'packages/fakes/src/main.ts'), '--state', state, '--info', info],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (let waited = 0; !existsSync(info); waited += 100) {
    if (waited > 60_000 || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error('the fakes process did not start');
    }
    await sleep(100);
  }
  const parsed = JSON.parse(readFileSync(info, 'utf8')) as {
    baseUrls: string;
    vendors: { id: string; credentials: Record<string, unknown> }[];
  };
  const vendor = parsed.vendors.find((candidate) => candidate.id === 'jobcan');
  if (!vendor) throw new Error('the fakes process has no jobcan');
  return {
    baseUrls: parsed.baseUrls,
    credentials: vendor.credentials,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface SyncDatabase {
  /** A token with the `sync` scope for `/api/v1`. */
  token: string;
  connectionId: string;
}

/** Serve's database before it starts: an admin, a connection to the fake and an API token. */
export async function prepareSyncDatabase(
  target: { dataDir: string } | { databaseUrl: string },
  secretKey: string,
  fakes: SyncFakes,
): Promise<SyncDatabase> {
  const overrides = parseVendorOverrides(fakes.baseUrls);
  if (!overrides.ok) throw new Error(overrides.message);
  // The connection is checked as it is made: this hub, too, sends ジョブカン's requests to the fakes.
  const hub = await createHub({
    ...target,
    connectors: [jobcan],
    secretKey,
    worker: false,
    fetch: overridingFetch(overrides.overrides),
  });
  try {
    const admin = await hub.users.bootstrap({
      email: 'bench@example.jp',
      name: '計測 用',
      password: 'memory during a sync',
    });
    const connection = await hub.connections.create(admin.id, {
      connectorId: jobcan.id,
      displayName: 'ジョブカン（計測）',
      credentials: fakes.credentials,
    });
    const issued = await hub.apiTokens.create(admin.id, { userId: admin.id, name: 'bench', scope: 'sync' });
    return { token: issued.token, connectionId: connection.id };
  } finally {
    await hub.close();
  }
}

export interface SyncTimes {
  previewMs: number;
  runMs: number;
  written: number;
}

/** How long the preview and the run may take together before the benchmark gives up. */
const SYNC_DEADLINE_MS = 15 * 60 * 1000;

/** Previews ジョブカン → HR over serve's API, runs it, and waits until the run has ended. */
export async function runSync(url: string, database: SyncDatabase): Promise<SyncTimes> {
  const api = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${database.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  const started = performance.now();
  const preview = await api('POST', '/previews', { connection: database.connectionId, direction: 'import' });
  const previewed = performance.now();
  const run = await api('POST', '/runs', { previewId: preview.id });
  for (;;) {
    const current = await api('GET', `/runs/${run.id}`);
    if (!['queued', 'running'].includes(String(current.status))) {
      if (current.status !== 'succeeded') throw new Error(`the sync ended ${JSON.stringify(current)}`);
      const counts = current.counts as Record<string, number>;
      return {
        previewMs: previewed - started,
        runMs: performance.now() - previewed,
        written: counts.created ?? 0,
      };
    }
    if (performance.now() - started > SYNC_DEADLINE_MS)
      throw new Error(`the sync did not end: ${JSON.stringify(current)}`);
    await sleep(500);
  }
}
