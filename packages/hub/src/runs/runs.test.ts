import { createVirtualClock } from '@renkei/core';
import { createReferenceFake, generateEmployees, REFERENCE_CLIENT } from '@renkei/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReferenceHub, runEnded, startReferenceHub } from '../testing/reference-hub.ts';
import type { Run } from './runs.ts';

// Virtual time: the connector's and apply's backoffs pass at once.
const clock = createVirtualClock(Date.now());
const fake = createReferenceFake({ clock });
const [AREA, OTHER_AREA] = fake.dataAreas() as [string, string];
const employees = generateEmployees({ count: 40, seed: 7, codePrefix: 'E', codeWidth: 4 });

let t: ReferenceHub;
beforeAll(async () => {
  t = await startReferenceHub(fake, {
    clock,
    chunkSize: 10,
    watchPollMs: 100,
    connection: { defaultDataArea: AREA },
  });
  fake.seed(AREA, employees);
});
afterAll(() => t.close());

describe('previews and runs', () => {
  it('previews the external system against the HR master, paged for the picker', async () => {
    const preview = await t.hub.previews.create(t.admin.id, {
      connectionId: t.connection.id,
      direction: 'import',
    });
    expect(preview).toMatchObject({
      direction: 'import',
      dataArea: AREA,
      summary: { new: 40, changed: 0, unchanged: 0 },
    });
    const page = await t.hub.previews.entries(preview.id, { page: 2, pageSize: 15 });
    expect(page.total).toBe(40);
    expect(page.items.map((entry) => entry.employeeCode)).toEqual(
      employees.slice(15, 30).map((employee) => employee.employeeCode),
    );
    const one = employees[3];
    const byName = await t.hub.previews.entries(preview.id, { search: `${one?.lastName}${one?.firstName}` });
    expect(byName.items.map((entry) => entry.employeeCode)).toContain(one?.employeeCode);
    // フリガナ too, in katakana, hiragana or spaced, as 従業員リスト's search does.
    const kana = `${one?.lastNameKana}${one?.firstNameKana}`;
    const hiragana = kana.replace(/[\u30a1-\u30f6]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x60));
    const sameKana = employees.filter((e) => `${e.lastNameKana}${e.firstNameKana}` === kana);
    for (const search of [kana, hiragana, `${one?.lastNameKana} ${one?.firstNameKana}`]) {
      const byKana = await t.hub.previews.entries(preview.id, { search });
      expect(byKana.items.map((entry) => entry.employeeCode).sort()).toEqual(
        sameKana.map((e) => e.employeeCode).sort(),
      );
    }
    expect((await t.hub.previews.entries(preview.id, { status: 'changed' })).total).toBe(0);
  });

  it('runs an import on the queue, persists outcomes and the applied changes, and notifies the admin', async () => {
    const preview = await t.hub.previews.create(t.admin.id, {
      connectionId: t.connection.id,
      direction: 'import',
    });
    const run = await t.hub.runs.start(t.admin.id, {
      previewId: preview.id,
      selection: { all: { status: 'new' } },
    });
    expect(run).toMatchObject({ status: 'queued', total: 40, startedBy: t.admin.id });
    const last = await runEnded(t.hub, run.id);
    expect(last).toMatchObject({ status: 'succeeded', counts: { created: 40, pending: 0, failed: 0 } });
    expect(last?.finishedAt).toBeInstanceOf(Date);

    expect((await t.hub.employees.list()).total).toBe(40);
    const first = employees[0];
    const record = await t.hub.employees.get(first?.employeeCode ?? '');
    expect(record?.employee.lastName).toBe(first?.lastName);
    expect(record?.createdBy).toBe(`run:${run.id}`);

    const items = await t.hub.runs.items(run.id, { pageSize: 5 });
    expect(items.total).toBe(40);
    expect(items.items[0]).toMatchObject({ employeeCode: first?.employeeCode, outcome: 'created' });
    expect(items.items[0]?.changes).toContainEqual({
      field: 'lastName',
      before: null,
      after: first?.lastName,
    });

    // A success is recorded, as read (the admin's default): it does not pile up as unread.
    expect(await t.hub.notifications.unreadCount(t.admin.id)).toBe(0);
    const [notification] = (await t.hub.notifications.list(t.admin.id)).items;
    expect(notification?.readAt).toBeInstanceOf(Date);
    expect(notification).toMatchObject({
      runId: run.id,
      counts: { created: 40 },
      failures: [],
      mail: 'none',
    });
    expect(notification?.title).toBe('同期が完了しました（リファレンス）');
    expect(notification?.body).toBe('リファレンス → 従業員リスト（データ領域: 本社）\n新規登録 40 名');

    // Planning again shows 差分なし for every written employee.
    const again = await t.hub.previews.create(t.admin.id, {
      connectionId: t.connection.id,
      direction: 'import',
    });
    expect(again.summary).toMatchObject({ new: 0, changed: 0, unchanged: 40 });
  });

  it('exports with one employee failing: the others are written, the notification names the failure, retry fixes it', async () => {
    const [a, b] = employees;
    await t.hub.employees.update(t.admin.id, a?.employeeCode ?? '', {
      department: { code: 'D900', name: '監査室' },
    });
    await t.hub.employees.update(t.admin.id, b?.employeeCode ?? '', {
      department: { code: 'D901', name: '広報室' },
    });
    fake.faults.inject({
      kind: 'server_error',
      scope: 'write',
      employeeCodes: [b?.employeeCode ?? ''],
      times: Number.POSITIVE_INFINITY,
    });

    const preview = await t.hub.previews.create(t.admin.id, {
      connectionId: t.connection.id,
      direction: 'export',
    });
    expect(preview.summary).toMatchObject({ changed: 2, unchanged: 38 });
    const run = await t.hub.runs.start(t.admin.id, {
      previewId: preview.id,
      selection: { all: { status: 'changed' } },
    });
    const last = await runEnded(t.hub, run.id);
    expect(last).toMatchObject({ status: 'partially_failed', counts: { updated: 1, failed: 1 } });
    expect(fake.records(AREA).find((e) => e.employeeCode === a?.employeeCode)?.department?.name).toBe(
      '監査室',
    );
    expect(fake.records(AREA).find((e) => e.employeeCode === b?.employeeCode)?.department?.name).not.toBe(
      '広報室',
    );

    const failed = await t.hub.runs.items(run.id, { outcome: 'failed' });
    expect(failed.items).toMatchObject([{ employeeCode: b?.employeeCode, error: { kind: 'transient' } }]);
    const [notification] = (await t.hub.notifications.list(t.admin.id, { unreadOnly: true })).items;
    expect(notification?.failures).toEqual([
      { employeeCode: b?.employeeCode, outcome: 'failed', message: expect.any(String) },
    ]);
    expect(notification?.body).toContain(`${b?.employeeCode}（失敗）: `);

    fake.faults.clear();
    const retry = await t.hub.runs.retryFailed(t.admin.id, run.id);
    expect(retry).toMatchObject({ retryOf: run.id, total: 1 });
    expect(await runEnded(t.hub, retry.id)).toMatchObject({ status: 'succeeded', counts: { updated: 1 } });
    expect(fake.records(AREA).find((e) => e.employeeCode === b?.employeeCode)?.department?.name).toBe(
      '広報室',
    );

    const history = await t.hub.runs.history(t.connection.id, { pageSize: 2 });
    expect(history.total).toBe(3);
    expect(history.items.map((item) => item.id)).toEqual([retry.id, run.id]);
  });

  it('fails every employee with the reason when the vendor refuses the credentials', async () => {
    await t.hub.employees.update(t.admin.id, employees[9]?.employeeCode ?? '', {
      jobTitle: { name: '係長' },
    });
    const preview = await t.hub.previews.create(t.admin.id, {
      connectionId: t.connection.id,
      direction: 'export',
    });
    fake.faults.inject({ kind: 'server_error', scope: 'auth', status: 401, times: Number.POSITIVE_INFINITY });
    try {
      const run = await t.hub.runs.start(t.admin.id, {
        previewId: preview.id,
        selection: { all: { status: 'changed' } },
      });
      expect(await runEnded(t.hub, run.id)).toMatchObject({
        status: 'failed',
        counts: { failed: 1, pending: 0 },
      });
      const [item] = (await t.hub.runs.items(run.id)).items;
      expect(item).toMatchObject({
        employeeCode: employees[9]?.employeeCode,
        outcome: 'failed',
        error: { kind: 'auth' },
      });
      expect(item?.message).not.toContain(REFERENCE_CLIENT.clientSecret);
    } finally {
      fake.faults.clear();
    }
  });

  it('writes only the 差分あり and 新規登録 employees of a selection, and refuses one of 差分なし only', async () => {
    const [changed, unchanged] = [employees[20], employees[21]].map(
      (employee) => employee?.employeeCode ?? '',
    );
    await t.hub.employees.update(t.admin.id, changed as string, { jobTitle: { name: '連携テスト係' } });
    const preview = await t.hub.previews.create(t.admin.id, {
      connectionId: t.connection.id,
      direction: 'export',
    });
    const statuses = Object.fromEntries(
      (await t.hub.previews.select(preview.id, { codes: [changed as string, unchanged as string] })).map(
        (entry) => [entry.employeeCode, entry.status],
      ),
    );
    expect(statuses).toEqual({ [changed as string]: 'changed', [unchanged as string]: 'unchanged' });

    await expect(
      t.hub.runs.start(t.admin.id, { previewId: preview.id, selection: { codes: [unchanged as string] } }),
    ).rejects.toMatchObject({
      kind: 'validation',
      message: '書き込む従業員が選択されていません（差分なしの従業員は同期しません）。',
    });
    // Refused before anything was stored: the connection and area stay free.
    expect(
      (await t.hub.runs.history(t.connection.id)).items.some((run) => run.previewId === preview.id),
    ).toBe(false);

    const run = await t.hub.runs.start(t.admin.id, {
      previewId: preview.id,
      selection: { codes: [changed as string, unchanged as string] },
    });
    expect(run.total).toBe(1);
    expect(await runEnded(t.hub, run.id)).toMatchObject({
      status: 'succeeded',
      counts: { updated: 1, skipped: 0 },
    });
    expect((await t.hub.runs.items(run.id)).items.map((item) => item.employeeCode)).toEqual([changed]);
  });

  it('starts one run per preview, even when two starts race', async () => {
    await t.hub.employees.update(t.admin.id, employees[22]?.employeeCode ?? '', {
      jobTitle: { name: '連携テスト係' },
    });
    const preview = await t.hub.previews.create(t.admin.id, {
      connectionId: t.connection.id,
      direction: 'export',
    });
    const selection = { codes: [employees[22]?.employeeCode ?? ''] };
    const raced = await Promise.allSettled([
      t.hub.runs.start(t.admin.id, { previewId: preview.id, selection }),
      t.hub.runs.start(t.admin.id, { previewId: preview.id, selection }),
    ]);
    const started = raced.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    expect(started).toHaveLength(1);
    expect(raced.find((result) => result.status === 'rejected')?.reason).toMatchObject({
      kind: 'conflict',
      message: 'この差分からはすでに同期を開始しています。もう一度差分を取得してください。',
    });
    const run = started[0] as Run;
    expect(await runEnded(t.hub, run.id)).toMatchObject({ status: 'succeeded', counts: { updated: 1 } });

    // After the run too (an old confirmation tab, or 戻る and 同期 again).
    await expect(t.hub.runs.start(t.admin.id, { previewId: preview.id, selection })).rejects.toMatchObject({
      kind: 'conflict',
      message: expect.stringContaining('もう一度差分を取得してください'),
    });
    expect(
      (await t.hub.runs.history(t.connection.id)).items.filter((r) => r.previewId === preview.id),
    ).toHaveLength(1);
  });

  it('refuses a preview taken before the connection settings last changed', async () => {
    await t.hub.employees.update(t.admin.id, employees[23]?.employeeCode ?? '', {
      jobTitle: { name: '連携テスト係' },
    });
    const preview = await t.hub.previews.create(t.admin.id, {
      connectionId: t.connection.id,
      direction: 'export',
    });
    // Saving the 連携設定 form (here without changing a value) is a settings change.
    await t.hub.connections.update(t.admin.id, t.connection.id, { orgRefMatch: 'code' });
    await expect(
      t.hub.runs.start(t.admin.id, { previewId: preview.id, selection: { all: {} } }),
    ).rejects.toMatchObject({
      kind: 'conflict',
      message: '差分の取得後に連携設定が変更されました。もう一度差分を取得してください。',
    });
    const fresh = await t.hub.previews.create(t.admin.id, {
      connectionId: t.connection.id,
      direction: 'export',
    });
    const run = await t.hub.runs.start(t.admin.id, {
      previewId: fresh.id,
      selection: { codes: [employees[23]?.employeeCode ?? ''] },
    });
    expect(await runEnded(t.hub, run.id)).toMatchObject({ status: 'succeeded', counts: { updated: 1 } });
  });

  it('refuses selections that are not selectable, and members', async () => {
    const preview = await t.hub.previews.create(t.admin.id, {
      connectionId: t.connection.id,
      direction: 'import',
    });
    await expect(
      t.hub.runs.start(t.admin.id, { previewId: preview.id, selection: { codes: ['NOPE'] } }),
    ).rejects.toMatchObject({ kind: 'validation', message: expect.stringContaining('NOPE') });

    // A record the connector cannot read is previewed as エラー, listed but never written. Another
    // area keeps it out of the other tests' previews.
    fake.seedInvalid(OTHER_AREA, 'X0001');
    const withInvalid = await t.hub.previews.create(t.admin.id, {
      connectionId: t.connection.id,
      direction: 'import',
      dataArea: OTHER_AREA,
    });
    const { items } = await t.hub.previews.entries(withInvalid.id, { status: 'invalid' });
    expect(items).toMatchObject([{ employeeCode: 'X0001', selectable: false }]);
    await expect(
      t.hub.runs.start(t.admin.id, { previewId: withInvalid.id, selection: { codes: ['X0001'] } }),
    ).rejects.toMatchObject({
      kind: 'validation',
      message: expect.stringMatching(/エラーまたは重複.*X0001/),
    });
    const member = await t.hub.users.create(t.admin.id, {
      email: 'viewer@example.jp',
      name: '閲覧者',
      password: 'viewer password',
      role: 'member',
    });
    await expect(
      t.hub.runs.start(member.id, { previewId: preview.id, selection: { all: {} } }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(
      t.hub.previews.create(member.id, { connectionId: t.connection.id, direction: 'import' }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
  });

  // Last: it moves the virtual clock a day on.
  it('refuses a preview older than 24 hours', async () => {
    await t.hub.employees.update(t.admin.id, employees[24]?.employeeCode ?? '', {
      jobTitle: { name: '連携テスト係' },
    });
    const preview = await t.hub.previews.create(t.admin.id, {
      connectionId: t.connection.id,
      direction: 'export',
    });
    await clock.advance(24 * 60 * 60 * 1000 + 60_000);
    await expect(
      t.hub.runs.start(t.admin.id, { previewId: preview.id, selection: { all: {} } }),
    ).rejects.toMatchObject({
      kind: 'conflict',
      message: '差分の取得から24時間以上たっています。もう一度差分を取得してください。',
    });
  });
});
