import { createVirtualClock } from '@renkei/core';
import { createReferenceFake } from '@renkei/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReferenceHub, startReferenceHub } from '../testing/reference-hub.ts';

const clock = createVirtualClock(Date.UTC(2026, 3, 1));
const fake = createReferenceFake({ clock });
const AREA = 'head-office';

let t: ReferenceHub;
beforeAll(async () => {
  t = await startReferenceHub(fake, {
    clock,
    connection: { displayName: '参照の連携先', defaultDataArea: AREA },
  });
  fake.seed(AREA, []);
  const add = (employeeCode: string, extra: Record<string, string> = {}) =>
    t.hub.employees.create(t.admin.id, { employeeCode, lastName: '佐藤', firstName: '花子', ...extra });
  await add('E-001');
  await add('E-002', { retireDate: '2026-03-31', status: 'retired' });
  await add('E-003', { status: 'retired' });
  await add('E-004', { hireDate: '2026-05-01' });
});
afterAll(() => t.close());

describe('在籍者のみ with a 情報取得基準日 (exports)', () => {
  it('compares only who was employed that day and records how many were left out', async () => {
    const preview = await t.hub.previews.create(t.admin.id, {
      connectionId: t.connection.id,
      direction: 'export',
      employedOn: '2026-04-01',
    });
    expect(preview.employmentFilter).toEqual({ basisDate: '2026-04-01', excluded: 3 });
    const codes = (await t.hub.previews.entries(preview.id)).items.map((entry) => entry.employeeCode);
    expect(codes).toEqual(['E-001']);

    // A later basis date takes the employee hired in May.
    const may = await t.hub.previews.create(t.admin.id, {
      connectionId: t.connection.id,
      direction: 'export',
      employedOn: '2026/5/1',
    });
    expect(may.employmentFilter).toEqual({ basisDate: '2026-05-01', excluded: 2 });
  });

  it('lists retirees when turned off, so they can be chosen deliberately', async () => {
    const preview = await t.hub.previews.create(t.admin.id, {
      connectionId: t.connection.id,
      direction: 'export',
    });
    expect(preview.employmentFilter).toBeNull();
    expect((await t.hub.previews.entries(preview.id)).items.map((entry) => entry.employeeCode)).toEqual([
      'E-001',
      'E-002',
      'E-003',
      'E-004',
    ]);
  });

  it('refuses a basis date that is not a date, as a validation error', async () => {
    await expect(
      t.hub.previews.create(t.admin.id, {
        connectionId: t.connection.id,
        direction: 'export',
        employedOn: '2026-02-30',
      }),
    ).rejects.toMatchObject({ kind: 'validation', message: expect.stringContaining('情報取得基準日') });
  });
});
