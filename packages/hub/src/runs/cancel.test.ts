import { createVirtualClock } from '@renkei/core';
import { createReferenceFake, generateEmployees } from '@renkei/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatEmployeesCsv } from '../employees/csv.ts';
import { type ReferenceHub, runEnded, startReferenceHub } from '../testing/reference-hub.ts';
import type { Run } from './runs.ts';

// The fake answers on its own clock, which only the test moves: a write delayed on it stays in
// flight until the test says so, so "mid-run" is a fixed point, not a race.
const fakeClock = createVirtualClock(Date.now(), { autoAdvance: false });
const fake = createReferenceFake({ clock: fakeClock, rateLimit: 100_000 });
const employees = generateEmployees({ count: 60, seed: 21, codePrefix: 'C', codeWidth: 4 });
const WRITE_DELAY_MS = 60_000;

let t: ReferenceHub;
beforeAll(async () => {
  // 60 employees in chunks of 50: chunk 0 is two batches of 25 (the reference vendor's batch
  // limit), chunk 1 one of 10. One in-process worker, one chunk at a time.
  t = await startReferenceHub(fake, { chunkSize: 50, watchPollMs: 50 });
  await t.hub.employees.importCsv(t.admin.id, formatEmployeesCsv(employees));
});
afterAll(() => t.close());

async function startExport(dataArea: string): Promise<Run> {
  const preview = await t.hub.previews.create(t.admin.id, {
    connectionId: t.connection.id,
    direction: 'export',
    dataArea,
  });
  return t.hub.runs.start(t.admin.id, { previewId: preview.id, selection: { all: { status: 'new' } } });
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const notificationOf = async (runId: string) =>
  (await t.hub.notifications.list(t.admin.id, { pageSize: 100 })).items.find((n) => n.runId === runId);

describe('runs.cancel', () => {
  let cancelled: Run;

  it('cancels a queued run before it starts and a running one between batches; the truth is recorded, the lock released', async () => {
    fake.faults.inject({ kind: 'delay', scope: 'write', delayMs: WRITE_DELAY_MS });
    const running = await startExport('head-office');
    await until(() => fakeClock.pending === 1); // the first batch's write is at the vendor

    // The one worker is busy: a run on another area waits in the queue. Cancelled, it never starts.
    const queued = await startExport('factory');
    expect(await t.hub.runs.get(queued.id)).toMatchObject({ status: 'queued' });
    const queuedCancelled = await t.hub.runs.cancel(t.admin.id, queued.id);
    expect(queuedCancelled).toMatchObject({
      status: 'cancelled',
      startedAt: null,
      cancelledBy: t.admin.id,
      counts: { not_attempted: 60, pending: 0, created: 0 },
    });
    expect(queuedCancelled.finishedAt).toBeInstanceOf(Date);
    // Idempotent: the same run, unchanged, and no second notification.
    expect(await t.hub.runs.cancel(t.admin.id, queued.id)).toEqual(queuedCancelled);
    // The connection and area are free again.
    const next = await startExport('factory');
    expect(await t.hub.runs.cancel(t.admin.id, next.id)).toMatchObject({ status: 'cancelled' });

    // Running: the chunk no worker took is not attempted now; the batch in flight may finish.
    const stopping = await t.hub.runs.cancel(t.admin.id, running.id);
    expect(stopping).toMatchObject({
      status: 'running',
      cancelledBy: t.admin.id,
      counts: { pending: 50, not_attempted: 10 },
    });
    expect(stopping.cancelRequestedAt).toBeInstanceOf(Date);
    expect(await t.hub.runs.cancel(t.admin.id, running.id)).toMatchObject({
      status: 'running',
      cancelRequestedAt: stopping.cancelRequestedAt,
    });

    await fakeClock.advance(WRITE_DELAY_MS);
    cancelled = await runEnded(t.hub, running.id);
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      total: 60,
      counts: { created: 25, not_attempted: 35, pending: 0, failed: 0, stale: 0 },
    });
    expect(cancelled.finishedAt).toBeInstanceOf(Date);
    // What the vendor holds is exactly what the history says was written.
    const written = await t.hub.runs.items(running.id, { outcome: 'created', pageSize: 100 });
    expect(
      fake
        .records('head-office')
        .map((e) => e.employeeCode)
        .sort(),
    ).toEqual(written.items.map((item) => item.employeeCode).sort());
    expect(written.items.map((item) => item.employeeCode)).toEqual(
      employees.slice(0, 25).map((e) => e.employeeCode),
    );
    expect(written.items[0]?.changes).toContainEqual({
      field: 'lastName',
      before: null,
      after: employees[0]?.lastName,
    });
    const spared = await t.hub.runs.items(running.id, { outcome: 'not_attempted', pageSize: 100 });
    expect(spared.items.map((item) => item.employeeCode)).toEqual(
      employees.slice(25).map((e) => e.employeeCode),
    );
    expect(spared.items[0]).toMatchObject({
      message: '連携が中止されたため書き込みませんでした。',
      changes: [],
    });
    expect(fake.records('factory')).toEqual([]);

    const [latest] = (await t.hub.runs.history(t.connection.id, { pageSize: 1 })).items;
    expect(latest).toMatchObject({ id: next.id, status: 'cancelled' });
    const historyRow = (await t.hub.runs.history(t.connection.id)).items.find((run) => run.id === running.id);
    expect(historyRow).toMatchObject({ status: 'cancelled', counts: { created: 25, not_attempted: 35 } });

    const notification = await notificationOf(running.id);
    expect(notification).toMatchObject({
      title: '同期を中止しました（リファレンス）',
      counts: { created: 25, not_attempted: 35 },
      failures: [],
    });
    expect(notification?.body).toContain('新規登録 25 名、未実行 35 名');
    expect(notification?.body).toContain('管理者 さんが中止しました');
    expect(await notificationOf(queued.id)).toMatchObject({ counts: { not_attempted: 60 } });
    const all = await t.hub.notifications.list(t.admin.id, { pageSize: 100 });
    expect(all.items.filter((n) => n.runId === queued.id)).toHaveLength(1);
  });

  it('retries the not attempted employees of a cancelled run, re-planned', async () => {
    const retry = await t.hub.runs.retryFailed(t.admin.id, cancelled.id);
    expect(retry).toMatchObject({ retryOf: cancelled.id, total: 35, dataArea: 'head-office' });
    expect(await runEnded(t.hub, retry.id)).toMatchObject({ status: 'succeeded', counts: { created: 35 } });
    expect(fake.records('head-office')).toHaveLength(60);
    // The cancelled runs' queued jobs wrote nothing when the worker reached them.
    expect(fake.records('factory')).toEqual([]);
  });

  it('refuses a member, a run that already ended, and an unknown run', async () => {
    const member = await t.hub.users.create(t.admin.id, {
      email: 'member@example.jp',
      name: '一般',
      password: 'member password',
      role: 'member',
    });
    await expect(t.hub.runs.cancel(member.id, cancelled.id)).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'この操作は管理者のみ実行できます。',
    });
    const [succeeded] = (await t.hub.runs.history(t.connection.id, { pageSize: 1 })).items;
    expect(succeeded?.status).toBe('succeeded');
    await expect(t.hub.runs.cancel(t.admin.id, succeeded?.id ?? '')).rejects.toMatchObject({
      kind: 'conflict',
      message: 'この同期はすでに終了しているため中止できません（結果: 成功）。',
    });
    expect(await t.hub.runs.get(succeeded?.id ?? '')).toMatchObject({
      status: 'succeeded',
      cancelRequestedAt: null,
      cancelledBy: null,
    });
    await expect(t.hub.runs.cancel(t.admin.id, crypto.randomUUID())).rejects.toMatchObject({
      kind: 'not_found',
    });
  });
});
