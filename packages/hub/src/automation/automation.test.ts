import { defineConnector, systemClock } from '@renkei/core';
import { createReferenceFake, referenceConnector } from '@renkei/testkit';
import { TestClock } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReferenceHub, startReferenceHub } from '../testing/reference-hub.ts';

// Schedules through the real queue (pg-boss, on this project's backend) on pg-boss's own test clock:
// the cron pass, the schedule worker and the chunk workers all move only when the test ticks.
const AREA = 'head-office';
const fake = createReferenceFake({ clock: systemClock });
/** 2026-12-07 05:58:00 in Tokyo. */
const START = Date.parse('2026-12-06T20:58:00Z');
const queueClock = new TestClock(START);

// Writes wait while the gate is shut: a run that holds its connection for as long as a test needs.
let gate: Promise<void> = Promise.resolve();
const gated = defineConnector({
  ...referenceConnector,
  async connect(credentials, context) {
    const session = await referenceConnector.connect(credentials, context);
    return {
      ...session,
      writeEmployees: async (area, writes) => {
        await gate;
        return session.writeEmployees(area, writes);
      },
    };
  },
});

const hr = (code: string, extra: Record<string, unknown> = {}) => ({
  employeeCode: code,
  lastName: '山田',
  firstName: code,
  email: `${code.toLowerCase()}@hr.example.jp`,
  department: { code: 'D1', name: '人事部' },
  ...extra,
});

let t: ReferenceHub;
beforeAll(async () => {
  t = await startReferenceHub(fake, {
    connector: gated,
    queueClock,
    chunkSize: 10,
    watchPollMs: 50,
    connection: { displayName: '勤怠', defaultDataArea: AREA },
  });
  for (let i = 1; i <= 20; i++) await t.hub.employees.create(t.admin.id, hr(`E${i}`));
  // The vendor holds all 20; E1's mail is empty there and its 部署 differs.
  fake.seed(AREA, [
    { ...hr('E1'), email: undefined, department: { code: 'D9', name: '総務部' } },
    ...Array.from({ length: 19 }, (_, i) => hr(`E${i + 2}`)),
  ] as never);
});
afterAll(() => t?.close());

/** Ticks the queue's clock in small steps until `done` holds (the handlers run between ticks). */
async function tickUntil<T>(done: () => Promise<T | undefined | null | false>, stepMs = 2_000, steps = 60) {
  for (let i = 0; i < steps; i++) {
    const value = await done();
    if (value) return value;
    await queueClock.tick(stepMs);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('not reached while ticking');
}

const history = async () => (await t.hub.automation.history(t.connection.id)).items;
const vendor = (code: string) => fake.records(AREA).find((employee) => employee.employeeCode === code);

describe('同期ルール and schedules', () => {
  it('reads a schedule in Asia/Tokyo and refuses a malformed cron in Japanese', async () => {
    expect(t.hub.automation.schedules.nextRuns('0 6 * * *', 1)[0]?.toISOString()).toMatch(/T21:00:00/);
    await expect(
      t.hub.automation.schedules.save(t.admin.id, t.connection.id, {
        direction: 'export',
        preset: 'custom',
        cron: '0 6 * *',
      }),
    ).rejects.toMatchObject({ kind: 'validation', message: expect.stringContaining('cron式の書式') });
    await expect(
      t.hub.automation.schedules.save(t.admin.id, t.connection.id, {
        direction: 'export',
        preset: 'custom',
        cron: '99 6 * * *',
      }),
    ).rejects.toMatchObject({ kind: 'validation' });
  });

  it('fires 毎日 6:00 at 6:00 in Tokyo, not before, and writes only what the policy allows (自動)', async () => {
    // E21 is new in HR; E1's mail is filled (empty at the vendor), its 部署 never synced.
    await t.hub.employees.create(t.admin.id, hr('E21'));
    await t.hub.connections.setPolicy(t.admin.id, t.connection.id, {
      export: { modes: { email: 'fill-if-empty', department: 'skip' }, records: 'all' },
    });
    const schedule = await t.hub.automation.schedules.save(t.admin.id, t.connection.id, {
      direction: 'export',
      preset: 'daily',
      hour: 6,
      minute: 0,
    });
    expect(schedule).toMatchObject({ cron: '0 6 * * *', maxChangePercent: 10, enabled: true });
    // 05:59:50 in Tokyo: nothing yet.
    await tickUntil(async () => queueClock.now() >= START + 110_000, 10_000);
    expect(await history()).toEqual([]);
    const fired = await tickUntil(async () => (await history())[0]);
    expect(fired).toMatchObject({ trigger: 'schedule', outcome: 'started', scheduleId: schedule.id });
    expect(new Date(fired.createdAt).getTime()).toBeGreaterThan(0);
    expect(queueClock.now()).toBeGreaterThanOrEqual(Date.parse('2026-12-06T21:00:00Z'));
    const run = await tickUntil(async () => {
      const current = await t.hub.runs.get(fired.runId as string);
      return current && ['succeeded', 'partially_failed', 'failed'].includes(current.status) ? current : null;
    });
    expect(run).toMatchObject({ status: 'succeeded', trigger: 'schedule', total: 2 });
    expect(run.policy).toMatchObject({ modes: { email: 'fill-if-empty', department: 'skip' } });
    expect(vendor('E1')).toMatchObject({ email: 'e1@hr.example.jp', department: { code: 'D9' } });
    // A new employee gets no 部署 either: 同期しない is never written.
    expect(vendor('E21')?.department).toBeUndefined();
    expect(vendor('E21')?.email).toBe('e21@hr.example.jp');
  });

  it('a manual run follows the same policy: 空欄のときだけ書く leaves a filled value alone', async () => {
    await t.hub.employees.update(t.admin.id, 'E2', { email: 'changed@hr.example.jp' });
    const preview = await t.hub.previews.create(t.admin.id, {
      connectionId: t.connection.id,
      direction: 'export',
    });
    expect(preview.policy).toMatchObject({ modes: { email: 'fill-if-empty' } });
    expect(preview.summary).toMatchObject({ new: 0, changed: 0 });
    await expect(
      t.hub.runs.start(t.admin.id, { previewId: preview.id, selection: { codes: ['E2'] } }),
    ).rejects.toMatchObject({ kind: 'validation' });
    expect(vendor('E2')?.email).toBe('e2@hr.example.jp');
  });

  it('新規登録のみ: existing employees are held back, new ones written', async () => {
    await t.hub.connections.setPolicy(t.admin.id, t.connection.id, {
      export: { modes: {}, records: 'new_only' },
    });
    await t.hub.employees.create(t.admin.id, hr('E22'));
    const preview = await t.hub.previews.create(t.admin.id, {
      connectionId: t.connection.id,
      direction: 'export',
    });
    const entries = (await t.hub.previews.entries(preview.id)).items;
    const e2 = entries.find((entry) => entry.employeeCode === 'E2');
    expect(e2).toMatchObject({ status: 'changed', selectable: false });
    expect(e2?.issues.at(-1)?.message).toContain('新規登録のみ');
    const run = await t.hub.runs.start(t.admin.id, { previewId: preview.id, selection: { all: {} } });
    expect(run).toMatchObject({ total: 1, trigger: 'manual', policy: { records: 'new_only' } });
    await tickUntil(async () => ((await t.hub.runs.get(run.id))?.status === 'succeeded' ? true : null));
    expect(vendor('E22')).toBeDefined();
    expect(vendor('E2')?.email).toBe('e2@hr.example.jp');
  });

  it('skips a firing while the connection is busy: one sync never overlaps another', async () => {
    await t.hub.connections.setPolicy(t.admin.id, t.connection.id, { export: { modes: {}, records: 'all' } });
    const [schedule] = await t.hub.automation.schedules.list(t.connection.id);
    let open = () => {};
    gate = new Promise((resolve) => {
      open = resolve;
    });
    const preview = await t.hub.previews.create(t.admin.id, {
      connectionId: t.connection.id,
      direction: 'export',
    });
    const manual = await t.hub.runs.start(t.admin.id, {
      previewId: preview.id,
      selection: { codes: ['E2'] },
    });
    // The manual run's chunk is taken and waits at the gate, holding the connection.
    await tickUntil(async () => (await t.hub.runs.get(manual.id))?.status === 'running');
    const before = (await history()).length;
    await t.hub.automation.schedules.fireNow(t.admin.id, schedule?.id as string);
    await t.hub.automation.schedules.fireNow(t.admin.id, schedule?.id as string);
    const skipped = await tickUntil(async () => {
      const rows = await history();
      return rows.length >= before + 2 ? rows.slice(0, 2) : null;
    });
    expect(skipped.map((row) => row.outcome)).toEqual(['skipped', 'skipped']);
    expect(skipped[0]?.reason).toContain('前回の同期がまだ実行中');
    open();
    gate = Promise.resolve();
    await tickUntil(async () => ((await t.hub.runs.get(manual.id))?.status === 'succeeded' ? true : null));
  });

  it('stops before writing when too many would change, tells the admins, and an admin can run it by hand', async () => {
    for (let i = 1; i <= 5; i++) {
      await t.hub.employees.update(t.admin.id, `E${i + 10}`, { email: `moved${i}@hr.example.jp` });
    }
    const [schedule] = await t.hub.automation.schedules.list(t.connection.id);
    const before = (await history()).length;
    const unreadBefore = await t.hub.notifications.unreadCount(t.admin.id);
    await t.hub.automation.schedules.fireNow(t.admin.id, schedule?.id as string);
    const stopped = await tickUntil(async () => {
      const rows = await history();
      return rows.length > before ? rows[0] : null;
    });
    expect(stopped).toMatchObject({ outcome: 'stopped', runId: null });
    expect(stopped?.reason).toContain('上限の 10%');
    expect(vendor('E11')?.email).toBe('e11@hr.example.jp');
    expect(await t.hub.notifications.unreadCount(t.admin.id)).toBe(unreadBefore + 1);
    const [notice] = (await t.hub.notifications.list(t.admin.id)).items;
    expect(notice?.title).toContain('自動同期を停止しました');
    expect(notice?.body).toContain(`/previews/${stopped?.previewId}`);
    // The admin looks at the stopped plan and runs it through the wizard's normal start.
    const run = await t.hub.runs.start(t.admin.id, {
      previewId: stopped?.previewId as string,
      selection: { all: {} },
    });
    expect(run.trigger).toBe('manual');
    await tickUntil(async () => ((await t.hub.runs.get(run.id))?.status === 'succeeded' ? true : null));
    expect(vendor('E11')?.email).toBe('moved1@hr.example.jp');
  });

  it('stops on a 重複 or エラー entry whatever the share', async () => {
    fake.seedInvalid?.(AREA, 'E3');
    const [schedule] = await t.hub.automation.schedules.list(t.connection.id);
    await t.hub.automation.schedules.save(t.admin.id, t.connection.id, {
      direction: 'export',
      preset: 'daily',
      maxChangePercent: 100,
    });
    const before = (await history()).length;
    await t.hub.automation.schedules.fireNow(t.admin.id, schedule?.id as string);
    const stopped = await tickUntil(async () => {
      const rows = await history();
      return rows.length > before ? rows[0] : null;
    });
    expect(stopped).toMatchObject({ outcome: 'stopped' });
    expect(stopped?.reason).toMatch(/(重複している|エラーの)従業員が 1 名/);
  });
});

describe('incoming trigger tokens', () => {
  it('are shown once, stored hashed, start the automatic sync, and stop working once revoked', async () => {
    const { token, info } = await t.hub.automation.tokens.create(t.admin.id, t.connection.id, {
      direction: 'export',
      name: 'HRシステム',
    });
    expect(token).toMatch(/^rk_trg_[\w-]{43}$/);
    expect(JSON.stringify(await t.hub.automation.tokens.list(t.connection.id))).not.toContain(token);
    expect(await t.hub.automation.trigger('rk_trg_wrong')).toBeNull();
    expect(await t.hub.automation.trigger(undefined)).toBeNull();
    const sync = await t.hub.automation.trigger(token);
    expect(sync).toMatchObject({ trigger: 'webhook', connectionId: t.connection.id, direction: 'export' });
    await t.hub.automation.tokens.revoke(t.admin.id, info.id);
    expect(await t.hub.automation.trigger(token)).toBeNull();
    const actions = (await t.hub.audit.list()).map((entry) => entry.action);
    expect(actions).toEqual(
      expect.arrayContaining(['trigger_token.create', 'trigger_token.revoke', 'schedule.save']),
    );
  });
});
