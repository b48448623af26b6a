// PCAクラウド給与 over real HTTP: the vendor fakes as their own process (`pnpm fakes`), two
// `renkei worker` processes (the hub's own bin) sharing one connection. A login whose answer is lost
// stops every chunk on both workers without another login; asserted AT THE FAKE (its request log,
// what it holds, which logins still hold a licence).
import type { ChildProcess } from 'node:child_process';
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

const TIMEOUT = 300_000;

/** The HR master's people, whom the seeded vendor does not hold: all 新規登録. */
const PEOPLE = generateEmployees({ count: 10, seed: 1414, codePrefix: '8', codeWidth: 5 });
const LOST_LOGIN_CODES = PEOPLE.map((person) => person.employeeCode);

let t: HubOverFakes;
let control: ReturnType<typeof fakeControl>;

beforeAll(async () => {
  t = await startHubOverFakes({ people: PEOPLE, chunkSize: 20 });
  control = fakeControl(t.fakes.url);
}, TIMEOUT);

afterAll(async () => {
  await t?.close();
}, TIMEOUT);

describe('PCA over real HTTP with two workers on one connection', () => {
  it(
    'PCAクラウド給与: a lost login answer stops every chunk on both workers, no second blind login, and the run says what to do',
    async () => {
      const { hub, admin } = t;
      const connection = await connectToFake(t, 'pca-cloud', 'PCAクラウド給与');
      const [area] = await hub.connections.dataAreas(connection.id);
      const preview = await hub.previews.create(admin.id, {
        connectionId: connection.id,
        direction: 'export',
        dataArea: area?.id ?? '',
      });
      const codes = await newIn(hub, preview.id, LOST_LOGIN_CODES);
      expect(codes.length).toBeGreaterThan(0);
      const run = await hub.runs.start(admin.id, { previewId: preview.id, selection: { codes } });
      const before = (await fakeRequests(t.fakes.url, 'pca-cloud')).length;
      await control.inject('pca-cloud', [{ kind: 'lost_auth_answer', scope: 'auth', times: 1 }]);
      const supervising = { RENKEI_SUPERVISE_SECONDS: '1' };
      const workers: ChildProcess[] = [t.startWorker(supervising), t.startWorker(supervising)];
      const done = await finished(hub, run.id, 120_000);
      // Stopped before the fault is cleared: a worker left running could log in again afterwards.
      await Promise.all(workers.map(sigkill));
      await control.clearFaults('pca-cloud');

      expect(done.status).toBe('failed');
      const logins = (await fakeRequests(t.fakes.url, 'pca-cloud'))
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
      expect([...(await control.heldCounts('pca-cloud', area?.id ?? '', codes)).values()]).toEqual(
        codes.map(() => 0),
      );
      // The orphaned login holds one licence, within the contract's; PCA's timeout frees it.
      expect((await control.stats('pca-cloud')).openSessions).toBe(1);
      await control.advanceClock(PCA.sessionTimeoutMs);
      expect((await control.stats('pca-cloud')).openSessions).toBe(0);
      // The admin's 接続テスト lifts the connection's hold; it logs out again after.
      const tested = await hub.connections.test(admin.id, {
        connectorId: 'pca-cloud',
        credentials: {},
        connectionId: connection.id,
      });
      expect(tested).toEqual({ ok: true });
      expect((await control.stats('pca-cloud')).openSessions).toBe(0);
      expect((await control.stats('pca-cloud')).overLimit).toBe(0);
    },
    TIMEOUT,
  );
});
