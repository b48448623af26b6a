import { createVirtualClock, defineConnector } from '@renkei/core';
import { createReferenceFake, generateEmployees, referenceConnector } from '@renkei/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReferenceHub, runEnded, startReferenceHub } from '../testing/reference-hub.ts';

// The reference vendor in an area that zero-pads 社員番号 (as PCA's can): 000001 there is 1 here.
const clock = createVirtualClock(Date.now());
const fake = createReferenceFake({ clock });
const AREA = 'head-office';
const unpad = (code: string) => (/^\d+$/.test(code) ? code.replace(/^0+(?=\d)/, '') : code);
const padding = defineConnector({
  ...referenceConnector,
  async connect(credentials, context) {
    const session = await referenceConnector.connect(credentials, context);
    return { ...session, employeeCodeKey: () => unpad };
  },
});
const external = generateEmployees({ count: 5, seed: 11, codeWidth: 6 });

let t: ReferenceHub;
beforeAll(async () => {
  t = await startReferenceHub(fake, {
    connector: padding,
    clock,
    chunkSize: 10,
    watchPollMs: 100,
    connection: { displayName: 'ゼロ埋めの連携先', defaultDataArea: AREA },
  });
  fake.seed(AREA, external);
  // The HR master holds the same employees under unpadded codes; two have since been renamed there.
  for (const [i, employee] of external.entries()) {
    await t.hub.employees.create(t.admin.id, {
      ...employee,
      employeeCode: unpad(employee.employeeCode),
      ...(i < 2 ? { lastName: '旧姓' } : {}),
    });
  }
});
afterAll(() => t.close());

describe('import from an area with zero-padded 社員番号 into an HR master without padding', () => {
  it('previews 差分あり (not 新規登録) and applies updates under the HR master’s own codes', async () => {
    const [a, b] = external.map((employee) => employee.employeeCode);
    expect(a).toMatch(/^0+\d$/);
    const preview = await t.hub.previews.create(t.admin.id, {
      connectionId: t.connection.id,
      direction: 'import',
    });
    expect(preview.summary).toMatchObject({ new: 0, changed: 2, unchanged: 3, targetOnly: 0 });
    const changed = await t.hub.previews.entries(preview.id, { status: 'changed' });
    expect(changed.items.map((entry) => [entry.employeeCode, entry.targetEmployeeCode])).toEqual([
      [a, unpad(a ?? '')],
      [b, unpad(b ?? '')],
    ]);

    const run = await t.hub.runs.start(t.admin.id, {
      previewId: preview.id,
      selection: { all: { status: 'changed' } },
    });
    expect(await runEnded(t.hub, run.id)).toMatchObject({
      status: 'succeeded',
      counts: { updated: 2, created: 0, stale: 0, failed: 0 },
    });
    const items = await t.hub.runs.items(run.id);
    expect(items.items.map((item) => [item.employeeCode, item.outcome])).toEqual([
      [a, 'updated'],
      [b, 'updated'],
    ]);

    // Updated in place: no second record under the padded code.
    expect((await t.hub.employees.list()).total).toBe(5);
    expect(await t.hub.employees.get(a ?? '')).toBeNull();
    expect((await t.hub.employees.get(unpad(a ?? '')))?.employee.lastName).toBe(external[0]?.lastName);
    const again = await t.hub.previews.create(t.admin.id, {
      connectionId: t.connection.id,
      direction: 'import',
    });
    expect(again.summary).toMatchObject({ new: 0, changed: 0, unchanged: 5 });
  });
});
