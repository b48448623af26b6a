// Chaos over real HTTP: the vendor fakes in their own process (`pnpm fakes`), `renkei worker`
// processes on a real PostgreSQL queue, ~20 % of the vendor's answers faulted (429 with Retry-After,
// 500/503, a lost answer after the commit, a commit 1.5 s after the answer was lost, a garbled 2xx
// after the commit, dropped reads). A worker is SIGKILLed mid-export and others finish. Everything
// is asserted AT THE FAKE: what it holds, its request log, its rate and licence counters. Bounded:
// 40 ジョブカン and 30 PCA employees, short real delays (README "Chaos over real HTTP").

import { JOBCAN_LIMITS } from '@renkei/connector-jobcan';
import { waitFor } from '@renkei/hub/testing/processes';
import { PCA } from '@renkei/pca-webapi';
import { generateEmployees } from '@renkei/testkit/fakes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectToFake,
  fakeControl,
  finished,
  type HubOverFakes,
  newIn,
  sigkill,
  startHubOverFakes,
} from './hub-over-fakes.ts';
import { fakeRequests } from './processes.ts';

const TIMEOUT = 120_000;
const LATE_COMMIT_MS = 1_500;

const JOBCAN_PEOPLE = generateEmployees({ count: 40, seed: 1401, codePrefix: '7', codeWidth: 5 });
const PCA_PEOPLE = generateEmployees({ count: 30, seed: 1402, codePrefix: '6', codeWidth: 5 });

/**
 * About one write in five faulted, each kind seeded. No fault here leaves a create unknown for
 * long: a dropped request is only injected on reads (on a write it is indistinguishable from a
 * lost answer, and the engine rightly re-checks it for a minute before calling it 未確認).
 */
const CHAOS: readonly Record<string, unknown>[] = [
  { kind: 'rate_limit', probability: 0.04, seed: 11, retryAfterSeconds: 1 },
  { kind: 'server_error', probability: 0.04, seed: 12 },
  { kind: 'server_error', scope: 'write', status: 500, probability: 0.03, seed: 13 },
  { kind: 'late_commit', probability: 0.04, seed: 14, delayMs: LATE_COMMIT_MS },
  { kind: 'timeout_after_commit', scope: 'write', probability: 0.03, seed: 15 },
  { kind: 'malformed_body', scope: 'write', probability: 0.02, seed: 16 },
  { kind: 'network_error', scope: 'read', probability: 0.02, seed: 17 },
];

let t: HubOverFakes;
let control: ReturnType<typeof fakeControl>;

beforeAll(async () => {
  t = await startHubOverFakes({ people: [...JOBCAN_PEOPLE, ...PCA_PEOPLE], chunkSize: 20 });
  control = fakeControl(t.fakes.url);
}, TIMEOUT);

afterAll(async () => {
  await t?.close();
}, TIMEOUT);

const runOf = async (id: string) => {
  const run = await t.hub.runs.get(id);
  if (!run) throw new Error(`no run ${id}`);
  return run;
};

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function exportPreview(connectionId: string, area: string) {
  return t.hub.previews.create(t.admin.id, { connectionId, direction: 'export', dataArea: area });
}

/**
 * The re-plan after the runs: each of `codes` is 差分なし, or was named by a run as failed /
 * 未確認 / not attempted with a message. Returns the codes still to write (the honest failures).
 */
async function replanIsHonest(
  connectionId: string,
  area: string,
  runIds: readonly string[],
  codes: string[],
) {
  const preview = await exportPreview(connectionId, area);
  const { items } = await t.hub.previews.entries(preview.id, { pageSize: 1000 });
  const status = new Map(items.map((entry) => [entry.employeeCode, entry.status]));
  const named = new Map<string, string>();
  for (const runId of runIds) {
    const failed = await t.hub.runs.items(runId, {
      outcome: ['failed', 'ambiguous', 'not_attempted', 'stale', 'skipped'],
      pageSize: 1000,
    });
    for (const item of failed.items) named.set(item.employeeCode, item.error?.message ?? item.message ?? '');
    const written = await t.hub.runs.items(runId, { outcome: ['created', 'updated'], pageSize: 1000 });
    for (const item of written.items) named.delete(item.employeeCode);
  }
  const open = codes.filter((code) => status.get(code) !== 'unchanged');
  for (const code of open) {
    expect(named.has(code), `${code} is ${status.get(code)} but no run named it`).toBe(true);
    expect(named.get(code), code).not.toBe('');
  }
  return open;
}

/** A connection to the fake, an export preview of its first データ領域, and which of `people` it would create. */
async function exportOfNew(
  connectorId: string,
  displayName: string,
  people: readonly { employeeCode: string }[],
) {
  const connection = await connectToFake(t, connectorId, displayName);
  const [area] = await t.hub.connections.dataAreas(connection.id);
  const areaId = area?.id ?? '';
  const preview = await exportPreview(connection.id, areaId);
  const codes = await newIn(
    t.hub,
    preview.id,
    people.map((person) => person.employeeCode),
  );
  return { connection, areaId, preview, codes };
}

describe('chaos over real HTTP: fakes process, worker processes, SIGKILL mid-export', () => {
  it(
    'ジョブカン: SIGKILLed mid-export under ~20 % faults with late commits, two workers finish: each 社員番号 committed once, 0 over the limit, re-plan 差分なし',
    async () => {
      const { connection, areaId, preview, codes } = await exportOfNew('jobcan', 'ジョブカン', JOBCAN_PEOPLE);
      expect(codes).toHaveLength(JOBCAN_PEOPLE.length);
      const run = await t.hub.runs.start(t.admin.id, { previewId: preview.id, selection: { codes } });
      const before = (await fakeRequests(t.fakes.url, 'jobcan')).length;
      await control.inject('jobcan', CHAOS);

      const first = t.startWorker();
      await waitFor(
        () => runOf(run.id),
        (state) => state.counts.created >= 10,
        60_000,
      );
      await sigkill(first);
      // Two workers on the one connection finish the run: one lease, one rate budget. They look
      // for the killed worker's chunk each second (it is handed out again once its 10 s heartbeat
      // is missed), not every 30 s.
      const supervising = { RENKEI_SUPERVISE_SECONDS: '1' };
      t.startWorker(supervising);
      t.startWorker(supervising);
      const done = await finished(t.hub, run.id, 90_000);
      await control.clearFaults('jobcan');
      // Whatever the vendor still had to commit late has landed.
      await settle(LATE_COMMIT_MS + 500);

      expect(done.counts.pending).toBe(0);
      const held = await control.heldCounts('jobcan', areaId, codes);
      expect([...held].filter(([, count]) => count > 1)).toEqual([]);
      const log = (await fakeRequests(t.fakes.url, 'jobcan')).slice(before);
      const creates = log.filter((entry) => entry.requestClass === 'write' && entry.method === 'POST');
      // The faults were served: lost answers (status 0), 5xx, garbled 2xx.
      expect(creates.filter((entry) => entry.status === 0).length).toBeGreaterThan(0);
      expect(creates.filter((entry) => entry.status >= 500).length).toBeGreaterThan(0);
      // Exactly once at the fake: every create that reached the store (answered 2xx, or its answer
      // lost after or before a late commit) is one record; no second create was refused as a duplicate.
      const reachedStore = creates.filter(
        (entry) => entry.status === 0 || (entry.status >= 200 && entry.status < 300),
      );
      const heldTotal = [...held.values()].reduce((sum, count) => sum + count, 0);
      expect(reachedStore.length).toBe(heldTotal);
      expect(log.filter((entry) => entry.status === 409)).toEqual([]);
      // Never over the vendor's limit (10 a second), across the killed worker and the two after it.
      const stats = await control.stats('jobcan');
      expect(stats.overLimit).toBe(0);
      // Inside an injected 429's Retry-After the vendor refuses too: only what was already in flight
      // when it answered (at most the session's concurrency less the refused one); nothing sent after.
      expect(stats.rateLimitsInjected).toBeGreaterThan(0);
      expect(stats.insideRetryAfter).toBeLessThanOrEqual(
        (JOBCAN_LIMITS.concurrency - 1) * stats.rateLimitsInjected,
      );
      await replanIsHonest(connection.id, areaId, [run.id], codes);
    },
    TIMEOUT,
  );

  it(
    'PCAクラウド給与: SIGKILLed mid-export, then a lost login answer; 再実行 by a second worker finishes: each 社員番号 once, 0 over the limit, 0 licences left open',
    async () => {
      const { connection, areaId, preview, codes } = await exportOfNew(
        'pca-cloud',
        'PCAクラウド給与',
        PCA_PEOPLE,
      );
      expect(codes.length).toBeGreaterThan(20);
      const run = await t.hub.runs.start(t.admin.id, { previewId: preview.id, selection: { codes } });
      // PCA takes 10 employees a write and allows a burst of writes, so an unhurried worker can write
      // all of them before the SIGKILL lands. Each write held 4 s at the vendor keeps the last chunk's
      // in flight for seconds after the first 10 are seen: at 1 s, a loaded CI machine once killed
      // the worker only after the run had succeeded, and the second worker never had to log in.
      await control.inject('pca-cloud', [
        ...CHAOS,
        { kind: 'delay', scope: 'write', delayMs: 4_000, times: 1_000 },
      ]);

      const first = t.startWorker();
      await waitFor(
        () => runOf(run.id),
        (state) => state.counts.created >= 10,
        60_000,
      );
      await sigkill(first);
      // The next login's answer is lost: PCA took a licence the client never saw.
      const before = (await fakeRequests(t.fakes.url, 'pca-cloud')).length;
      await control.inject('pca-cloud', [{ kind: 'lost_auth_answer', scope: 'auth', times: 1 }]);
      const second = t.startWorker();
      const stopped = await finished(t.hub, run.id, 60_000);
      const logins = (await fakeRequests(t.fakes.url, 'pca-cloud'))
        .slice(before)
        .filter((entry) => entry.requestClass === 'auth');
      const statuses = logins.map((entry) => entry.status);
      if (statuses.length > 0) {
        // The second worker needed PCA: one lost login, and no blind login after it (a login refused
        // 503 before it was retried); the run does not claim success.
        expect(
          statuses.filter((status) => status === 0),
          JSON.stringify(logins),
        ).toHaveLength(1);
        expect(statuses.at(-1), JSON.stringify(logins)).toBe(0);
        expect(stopped.status).not.toBe('succeeded');
      } else {
        // The kill came after the first worker had written and recorded every employee (on a loaded
        // machine the poll that sends it can lag the writes by seconds; it happened in CI twice): the
        // run ended without PCA, nothing pending. The lost login is then never asked for here — the
        // deterministic case is pca-lost-login.pg.test.ts — and is taken back so 接続テスト below is not hit.
        expect(stopped.counts.pending, JSON.stringify(stopped.counts)).toBe(0);
        await control.clearFaults('pca-cloud');
        await control.inject('pca-cloud', CHAOS);
      }
      // Never more logins than the contract's licences: the killed worker's and the lost one at most.
      const during = await control.stats('pca-cloud');
      expect(during.openSessions).toBeLessThanOrEqual(PCA.concurrentSessions);
      // PCA's session timeout frees both; the admin's 接続テスト lifts the connection's hold.
      await control.advanceClock(PCA.sessionTimeoutMs);
      expect((await control.stats('pca-cloud')).openSessions).toBe(0);
      await expect(
        t.hub.connections.test(t.admin.id, {
          connectorId: 'pca-cloud',
          credentials: {},
          connectionId: connection.id,
        }),
      ).resolves.toEqual({ ok: true });

      // 再実行: the second worker writes what the first run left, still under the faults.
      // (The hub refuses it, `validation`, when what the first run left has since landed: a late
      // commit made every failed employee 差分なし.)
      const rerun = await t.hub.runs.retryFailed(t.admin.id, run.id).catch((error: unknown) => {
        if ((error as { kind?: string }).kind === 'validation') return undefined;
        throw error;
      });
      if (rerun) expect((await finished(t.hub, rerun.id, 90_000)).counts.pending).toBe(0);
      await control.clearFaults('pca-cloud');
      await settle(LATE_COMMIT_MS + 500);
      await sigkill(second);

      const held = await control.heldCounts('pca-cloud', areaId, codes);
      expect([...held].filter(([, count]) => count > 1)).toEqual([]);
      const after = await control.stats('pca-cloud');
      expect(after.overLimit).toBe(0);
      expect(after.openSessions).toBe(0);
      const open = await replanIsHonest(connection.id, areaId, rerun ? [run.id, rerun.id] : [run.id], codes);
      for (const [code, count] of held) if (count === 0) expect(open, code).toContain(code);
    },
    TIMEOUT,
  );
});
