import { createVirtualClock } from '@renkei/core';
import { createReferenceFake, referenceConnector } from '@renkei/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReferenceHub, startReferenceHub } from '../testing/reference-hub.ts';

// The reference vendor takes 社員番号 of 半角英数字 and hyphens only, and says so before any write.
const clock = createVirtualClock(Date.now());
const fake = createReferenceFake({ clock });
const AREA = 'head-office';

let t: ReferenceHub;
beforeAll(async () => {
  t = await startReferenceHub(fake, {
    clock,
    connection: { displayName: '参照の連携先', defaultDataArea: AREA },
  });
  fake.seed(AREA, []);
  await t.hub.employees.create(t.admin.id, { employeeCode: 'E-001', lastName: '佐藤', firstName: '花子' });
  await t.hub.employees.create(t.admin.id, { employeeCode: 'E_002', lastName: '鈴木', firstName: '一郎' });
});
afterAll(() => t.close());

describe('a preview checks what the target would refuse', () => {
  it('shows a refused employee as an error with the target’s reason, and keeps it out of a run', async () => {
    const requestsBefore = fake.requests.length;
    const preview = await t.hub.previews.create(t.admin.id, {
      connectionId: t.connection.id,
      direction: 'export',
    });
    expect(preview.summary).toMatchObject({ new: 1, invalid: 1 });
    // The check read, it did not write.
    expect(fake.requests.slice(requestsBefore).filter((request) => request.requestClass === 'write')).toEqual(
      [],
    );

    const [refused] = (await t.hub.previews.entries(preview.id, { status: 'invalid' })).items;
    expect(refused).toMatchObject({ employeeCode: 'E_002', selectable: false });
    expect(refused?.issues.map((issue) => issue.message)).toEqual([
      expect.stringMatching(
        new RegExp(`^${referenceConnector.displayName}に書き込めません: .*半角英数字とハイフン20文字以内`),
      ),
    ]);
    await expect(
      t.hub.runs.start(t.admin.id, { previewId: preview.id, selection: { codes: ['E_002'] } }),
    ).rejects.toMatchObject({ kind: 'validation' });
  });
});
