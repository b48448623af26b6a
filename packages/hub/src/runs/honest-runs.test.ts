import { createVirtualClock, type Employee } from '@renkei/core';
import { createReferenceFake, generateEmployees } from '@renkei/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReferenceHub, runEnded, startReferenceHub } from '../testing/reference-hub.ts';

// The wizard's promises kept by the hub: 別人の可能性 needs a second confirmation, counts match the
// vendor, and a success does not pile up as unread.
const clock = createVirtualClock(Date.now());
const fake = createReferenceFake({ clock });
const [AREA] = fake.dataAreas() as [string];
const [base, other, spare] = generateEmployees({ count: 3, seed: 11, codePrefix: 'W', codeWidth: 4 }) as [
  Employee,
  Employee,
  Employee,
];
const hirano: Employee = {
  ...base,
  lastName: '平野',
  firstName: '浩',
  lastNameKana: 'ヒラノ',
  firstNameKana: 'ヒロシ',
  birthDate: '1980-01-02',
};
const iwasaki: Employee = {
  ...base,
  lastName: '岩崎',
  firstName: '彩',
  lastNameKana: 'イワサキ',
  firstNameKana: 'アヤ',
  birthDate: '1992-07-15',
};

let t: ReferenceHub;
beforeAll(async () => {
  t = await startReferenceHub(fake, { clock, connection: { defaultDataArea: AREA } });
  for (const employee of [hirano, other, spare]) await t.hub.employees.create(t.admin.id, employee);
  fake.seed(AREA, [iwasaki]);
});
afterAll(() => t.close());

const exportPreview = () =>
  t.hub.previews.create(t.admin.id, { connectionId: t.connection.id, direction: 'export' });

describe('別人の可能性 in previews and runs', () => {
  it('is never taken by select-all, and is refused unless confirmed a second time', async () => {
    const preview = await exportPreview();
    expect(preview.summary).toMatchObject({ identity_mismatch: 1, new: 2 });
    const [entry] = (await t.hub.previews.entries(preview.id, { status: 'identity_mismatch' })).items;
    expect(entry?.identity).toEqual({
      source: { name: '平野 浩', kana: 'ヒラノ ヒロシ', birthDate: '1980-01-02' },
      target: { name: '岩崎 彩', kana: 'イワサキ アヤ', birthDate: '1992-07-15' },
    });
    const all = await t.hub.previews.select(preview.id, { all: {} });
    expect(all.map((selected) => selected.employeeCode)).not.toContain(hirano.employeeCode);

    await expect(
      t.hub.runs.start(t.admin.id, { previewId: preview.id, selection: { codes: [hirano.employeeCode] } }),
    ).rejects.toMatchObject({ kind: 'validation', message: expect.stringContaining('別人の可能性') });
    await expect(
      t.hub.runs.start(t.admin.id, {
        previewId: preview.id,
        selection: { codes: [hirano.employeeCode] },
        confirmedMismatches: ['someone-else'],
      }),
    ).rejects.toMatchObject({ kind: 'validation' });
    expect(fake.records(AREA).find((e) => e.employeeCode === hirano.employeeCode)?.lastName).toBe('岩崎');

    const run = await t.hub.runs.start(t.admin.id, {
      previewId: preview.id,
      selection: { codes: [hirano.employeeCode] },
      confirmedMismatches: [hirano.employeeCode],
    });
    expect(await runEnded(t.hub, run.id)).toMatchObject({ status: 'succeeded', counts: { updated: 1 } });
    expect(fake.records(AREA).find((e) => e.employeeCode === hirano.employeeCode)?.lastName).toBe('平野');
  });
});

describe('counts and notifications', () => {
  it('counts a create that found the employee already there 既に登録済み, not 新規登録', async () => {
    const preview = await exportPreview();
    // Someone registers the employee at the vendor, with exactly HR's values, after the preview.
    const held = (await t.hub.employees.get(other.employeeCode))?.employee as Employee;
    fake.seed(AREA, [held]);
    const run = await t.hub.runs.start(t.admin.id, {
      previewId: preview.id,
      selection: { codes: [other.employeeCode, spare.employeeCode] },
    });
    const last = await runEnded(t.hub, run.id);
    expect(last).toMatchObject({ status: 'succeeded', counts: { created: 1, already_present: 1 } });
    const [item] = (await t.hub.runs.items(run.id, { outcome: 'already_present' })).items;
    expect(item).toMatchObject({ employeeCode: other.employeeCode, changes: [] });
    expect(item?.message).toContain('すでに同じ内容で登録されていた');
    const notification = (await t.hub.notifications.list(t.admin.id)).items.find((n) => n.runId === run.id);
    expect(notification?.body).toContain('新規登録 1 名、既に登録済み 1 名');
  });

  it('records a success as read by default, and unread once the admin asks for it', async () => {
    const quietBefore = await t.hub.notifications.unreadCount(t.admin.id);
    await t.hub.employees.update(t.admin.id, spare.employeeCode, { jobTitle: { name: '係長' } });
    let preview = await exportPreview();
    let run = await t.hub.runs.start(t.admin.id, {
      previewId: preview.id,
      selection: { codes: [spare.employeeCode] },
    });
    expect(await runEnded(t.hub, run.id)).toMatchObject({ status: 'succeeded' });
    const quiet = (await t.hub.notifications.list(t.admin.id)).items.find((n) => n.runId === run.id);
    expect(quiet?.readAt).toBeInstanceOf(Date);
    expect(quiet?.mail).toBe('none');
    expect(await t.hub.notifications.unreadCount(t.admin.id)).toBe(quietBefore);

    expect((await t.hub.users.setSuccessNotice(t.admin.id, 'unread')).successNotice).toBe('unread');
    await expect(t.hub.users.setSuccessNotice(t.admin.id, 'loud')).rejects.toMatchObject({
      kind: 'validation',
    });
    await t.hub.employees.update(t.admin.id, spare.employeeCode, { jobTitle: { name: '主任' } });
    preview = await exportPreview();
    run = await t.hub.runs.start(t.admin.id, {
      previewId: preview.id,
      selection: { codes: [spare.employeeCode] },
    });
    await runEnded(t.hub, run.id);
    expect(await t.hub.notifications.unreadCount(t.admin.id)).toBe(quietBefore + 1);
    await t.hub.users.setSuccessNotice(t.admin.id, 'quiet');
  });

  it('leaves a failure unread, naming each employee not written with the run page’s word', async () => {
    const before = await t.hub.notifications.unreadCount(t.admin.id);
    await t.hub.employees.update(t.admin.id, spare.employeeCode, { jobTitle: { name: '課長' } });
    fake.faults.inject({
      kind: 'server_error',
      scope: 'write',
      employeeCodes: [spare.employeeCode],
      times: Number.POSITIVE_INFINITY,
    });
    try {
      const preview = await exportPreview();
      const run = await t.hub.runs.start(t.admin.id, {
        previewId: preview.id,
        selection: { codes: [spare.employeeCode] },
      });
      expect(await runEnded(t.hub, run.id)).toMatchObject({ status: 'failed', counts: { failed: 1 } });
      expect(await t.hub.notifications.unreadCount(t.admin.id)).toBe(before + 1);
      const [notification] = (await t.hub.notifications.list(t.admin.id, { unreadOnly: true })).items;
      expect(notification?.failures).toEqual([
        { employeeCode: spare.employeeCode, outcome: 'failed', message: expect.any(String) },
      ]);
      expect(notification?.body).toContain(`- ${spare.employeeCode}（失敗）: `);
    } finally {
      fake.faults.clear();
    }
  });
});
