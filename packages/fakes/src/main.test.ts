import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import jobcan from '@renkei/connector-jobcan';
import pcaCloud from '@renkei/connector-pca-cloud';
import { FAKE_CREDENTIALS as PCA_CREDENTIALS } from '@renkei/connector-pca-cloud/fake';
import {
  type ConnectorDefinition,
  type ConnectorSession,
  type ListedEmployee,
  silentLogger,
  systemClock,
} from '@renkei/core';
import { PCA } from '@renkei/pca-webapi';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

const MAIN = new URL('./main.ts', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'renkei-fakes-'));
const running = new Set<ChildProcess>();

afterEach(async () => {
  await Promise.all([...running].map(stop));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** `pnpm fakes` as a child process; resolves with its RENKEI_VENDOR_BASE_URLS value once it listens. */
async function startFakes(...args: string[]): Promise<{ child: ChildProcess; baseUrls: string }> {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const baseUrls = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`fakes exited with ${code}`)));
    lines.on('line', (line) => {
      const value = line.match(/^RENKEI_VENDOR_BASE_URLS=(.+)$/)?.[1];
      if (value) resolve(value);
    });
  });
  return { child, baseUrls };
}

async function stop(child: ChildProcess): Promise<number | null> {
  running.delete(child);
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

/** The consumer side of the override: a vendor URL with its origin replaced by the fake's base URL. */
function rewritingFetch(baseUrls: string): typeof fetch {
  const bases = new Map(
    baseUrls.split(',').map((pair) => {
      const at = pair.indexOf('=');
      return [pair.slice(0, at), pair.slice(at + 1)] as const;
    }),
  );
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const base = bases.get(url.origin);
    if (!base) throw new Error(`no fake for ${url.origin}`);
    return fetch(`${base}${url.pathname}${url.search}`, init);
  };
}

async function connect(connector: ConnectorDefinition, credentials: unknown, baseUrls: string) {
  return connector.connect(connector.credentials.parse(credentials), {
    fetch: rewritingFetch(baseUrls),
    logger: silentLogger,
    signal: new AbortController().signal,
    clock: systemClock,
  });
}

async function list(session: ConnectorSession, area: string): Promise<ListedEmployee[]> {
  const listed: ListedEmployee[] = [];
  for await (const employee of session.listEmployees(area)) listed.push(employee);
  return listed;
}

const codesOf = (listed: readonly ListedEmployee[]) =>
  listed.flatMap((entry) => (entry.ok ? [entry.employee.employeeCode] : [])).sort();

describe('pnpm fakes', () => {
  it('serves the fakes over real HTTP, writes its info file, and keeps what was written across a restart', {
    timeout: 90_000,
  }, async () => {
    const state = join(folder, 'state.json');
    const infoFile = join(folder, 'info.json');
    const first = await startFakes('--state', state, '--info', infoFile, '--seed');
    const info = JSON.parse(readFileSync(infoFile, 'utf8')) as {
      baseUrls: string;
      vendors: { id: string; credentials: Record<string, unknown> }[];
    };
    expect(info.baseUrls).toBe(first.baseUrls);
    expect(info.vendors.map((vendor) => vendor.id)).toEqual(['pca-cloud', 'pca-hyper', 'jobcan']);
    for (const origin of [
      'https://east02.pcawebapi.jp',
      'https://west01.pcawebapi.jp',
      'https://api-kintai.jobcan.jp',
      'https://api-auth-kintai.jobcan.jp',
      'https://sandbox-api-kintai.jobcan.jp',
      'https://sandbox-api-auth-kintai.jobcan.jp',
    ]) {
      expect(first.baseUrls).toMatch(new RegExp(`${origin}=http://127\\.0\\.0\\.1:\\d+/`));
    }
    const credentials = (id: string) => info.vendors.find((vendor) => vendor.id === id)?.credentials;

    const jobcanSession = await connect(jobcan, credentials('jobcan'), first.baseUrls);
    await jobcanSession.check();
    const seeded = codesOf(await list(jobcanSession, 'default'));
    expect(seeded.length).toBeGreaterThan(100);
    const written = await jobcanSession.writeEmployees('default', [
      {
        op: 'create',
        employeeCode: 'FAKE-HTTP-1',
        values: { employeeCode: 'FAKE-HTTP-1', lastName: '再起', firstName: '太郎' },
      },
    ]);
    expect(written).toEqual([{ employeeCode: 'FAKE-HTTP-1', ok: true, op: 'create' }]);
    await jobcanSession.close();

    const pcaSession = await connect(pcaCloud, credentials('pca-cloud'), first.baseUrls);
    const [area] = await pcaSession.listDataAreas();
    const pcaBefore = codesOf(await list(pcaSession, area?.id ?? ''));
    expect(pcaBefore.length).toBeGreaterThan(100);
    await pcaSession.close();

    expect(await stop(first.child)).toBe(0);
    const second = await startFakes('--state', state, '--seed');
    const again = await connect(jobcan, credentials('jobcan'), second.baseUrls);
    expect(codesOf(await list(again, 'default'))).toEqual([...seeded, 'FAKE-HTTP-1'].sort());
    await again.close();
    const pcaAgain = await connect(pcaCloud, credentials('pca-cloud'), second.baseUrls);
    expect(codesOf(await list(pcaAgain, area?.id ?? ''))).toEqual(pcaBefore);
    await pcaAgain.close();
  });

  it('refuses wrong credentials as the vendor would, and injected faults reach the client over HTTP', {
    timeout: 60_000,
  }, async () => {
    const { baseUrls } = await startFakes();
    const server = new URL(baseUrls.split(',')[0]?.split('=')[1] ?? '').origin;
    const wrong = await connect(
      jobcan,
      { clientId: 'nobody', clientSecret: 'wrong', environment: '本番' },
      baseUrls,
    );
    await expect(wrong.check()).rejects.toMatchObject({ kind: 'auth' });

    const injected = await fetch(`${server}/__fakes/jobcan/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'network_error', scope: 'auth' }),
    });
    expect(injected.status).toBe(204);
    await expect(
      fetch(`${server}/api-auth-kintai.jobcan.jp/oauth/token`, { method: 'POST', body: '' }),
    ).rejects.toThrow();
    const log = (await (await fetch(`${server}/__fakes/jobcan/requests`)).json()) as { status: number }[];
    expect(log.map((entry) => entry.status)).toEqual([401, 0]);

    const bad = await fetch(`${server}/__fakes/jobcan/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'meteor_strike' }),
    });
    expect(bad.status).toBe(400);
    expect((await fetch(`${server}/example.com/anything`)).status).toBe(404);
  });

  it("shows a vendor's open logins and over-limit count, and moves its clock on so PCA's session timeout can pass", {
    timeout: 60_000,
  }, async () => {
    const { baseUrls } = await startFakes('--seed');
    const server = new URL(baseUrls.split(',')[0]?.split('=')[1] ?? '').origin;
    const stats = async (id: string) =>
      (await (await fetch(`${server}/__fakes/${id}/stats`)).json()) as {
        overLimit: number;
        insideRetryAfter: number;
        rateLimitsInjected: number;
        openSessions: number | null;
      };
    const quiet = { overLimit: 0, insideRetryAfter: 0, rateLimitsInjected: 0 };
    expect(await stats('jobcan')).toEqual({ ...quiet, openSessions: null });
    expect(await stats('pca-cloud')).toEqual({ ...quiet, openSessions: 0 });
    expect((await fetch(`${server}/__fakes/nobody/stats`)).status).toBe(404);

    // A login that is never logged out (its worker was killed) holds a licence…
    const orphan = await connect(pcaCloud, { ...PCA_CREDENTIALS }, baseUrls);
    await orphan.listDataAreas();
    expect((await stats('pca-cloud')).openSessions).toBe(1);
    // …until PCA's session timeout (modelled) has passed since its last request.
    const moved = await fetch(`${server}/__fakes/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: PCA.sessionTimeoutMs - 60_000 }),
    });
    expect(moved.status).toBe(200);
    expect((await stats('pca-cloud')).openSessions).toBe(1);
    await fetch(`${server}/__fakes/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: 60_000 }),
    });
    expect((await stats('pca-cloud')).openSessions).toBe(0);
    const back = await fetch(`${server}/__fakes/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: -1 }),
    });
    expect(back.status).toBe(400);
  });
});
