import type { Employee, OrgRef, PlanEntry } from '@renkei/core';
import type { Run } from '@renkei/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppFixture } from '../testing/fixture.ts';

// The HR master codes 人事部 its own way (D1); PCAクラウド給与's 部門 master has it as 120 (and 110
// is 総務部 there). 部署・雇用形態・役職の照合 decides whether an export converges. Each setting gets
// its own app and fakes: PCA allows 60 reads a minute, and every preview or run is a session of ~8.

/** The demo app with three export 差分なし employees not yet in 人事部 (moving them there is a change). */
async function withEmployeesToMove() {
  const fx = await createAppFixture();
  const adminId = (await fx.hub.users.list()).find((user) => user.role === 'admin')?.id ?? '';
  const connectionId = await fx.connectionId('pca-cloud');
  const area = (await fx.hub.connections.get(connectionId))?.defaultDataArea ?? '';
  const department = (code: string) =>
    fx
      .vendor('pca-cloud')
      .fake.records(area)
      .find((employee) => employee.employeeCode === code)?.department;
  const exportPreview = () =>
    fx.hub.previews.create(adminId, { connectionId, direction: 'export', dataArea: area });
  const entriesOf = async (previewId: string): Promise<Map<string, PlanEntry>> => {
    const { items } = await fx.hub.previews.entries(previewId, { pageSize: 1000 });
    return new Map(items.map((entry) => [entry.employeeCode, entry]));
  };
  const unchanged = [...(await entriesOf((await exportPreview()).id)).values()].filter(
    (entry) => entry.status === 'unchanged',
  );
  const codes = unchanged
    .map((entry) => entry.employeeCode)
    .filter((code) => department(code) && department(code)?.name !== '人事部')
    .slice(0, 3);
  expect(codes).toHaveLength(3);
  return {
    fx,
    connectionId,
    area,
    codes,
    department,
    exportPreview,
    entriesOf,
    moveInHr: (code: string, ref: OrgRef) => fx.hub.employees.update(adminId, code, { department: ref }),
    async run(previewId: string, selected: string[]): Promise<Run | undefined> {
      const run = await fx.hub.runs.start(adminId, { previewId, selection: { codes: selected } });
      let last: Run | undefined;
      for await (const state of fx.hub.runs.watch(run.id)) last = state;
      return last;
    },
  };
}

describe('コードで照合 (the default)', () => {
  let t: Awaited<ReturnType<typeof withEmployeesToMove>>;
  beforeAll(async () => {
    t = await withEmployeesToMove();
  });
  afterAll(async () => {
    await t?.fx.close();
  });

  it('is what 連携設定 shows at first', async () => {
    const settings = await (await t.fx.admin.get(`/connections/${t.connectionId}/settings`)).text();
    expect(settings).toContain('部署・雇用形態・役職の照合');
    expect(settings).toMatch(/value="code"\s+checked/);
  });

  it('after a successful sync the export still shows 差分あり: D1 against the 120 PCA resolved', async () => {
    const [code = ''] = t.codes;
    await t.moveInHr(code, { code: 'D1', name: '人事部' });
    const preview = await t.exportPreview();
    expect(await t.run(preview.id, [code])).toMatchObject({ status: 'succeeded', counts: { updated: 1 } });
    // D1 is not in PCA's 部門 master: PCA resolved the name.
    expect(t.department(code)).toEqual({ code: '120', name: '人事部' });
    expect((await t.entriesOf((await t.exportPreview()).id)).get(code)).toMatchObject({
      status: 'changed',
      changes: [
        {
          field: 'department',
          before: { code: '120', name: '人事部' },
          after: { code: 'D1', name: '人事部' },
        },
      ],
    });
  });
});

describe('名称で照合', () => {
  let t: Awaited<ReturnType<typeof withEmployeesToMove>>;
  let pickerPath: string;
  beforeAll(async () => {
    t = await withEmployeesToMove();
  });
  afterAll(async () => {
    await t?.fx.close();
  });

  it('is saved from 連携設定 (an unknown choice refused, nothing changed)', async () => {
    const path = `/connections/${t.connectionId}/settings`;
    const form = { intent: 'save', displayName: 'PCAクラウド給与' };
    const refused = await t.fx.admin.post(path, { ...form, orgRefMatch: 'kana' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(
      /data-error-for="orgRefMatch">部署・雇用形態・役職の照合を選んでください。/,
    );
    expect((await t.fx.hub.connections.get(t.connectionId))?.orgRefMatch).toBe('code');

    const saved = await t.fx.admin.post(path, { ...form, orgRefMatch: 'name' });
    expect(saved.status).toBe(302);
    expect((await t.fx.hub.connections.get(t.connectionId))?.orgRefMatch).toBe('name');
    const settings = await (await t.fx.admin.get(path)).text();
    expect(settings).toMatch(/value="name"\s+checked/);
    expect(settings).toContain('名称で照合（コード体系が異なるとき）');
  });

  it('shows 差分なし in the picker for an employee whose 部署 differs by code only', async () => {
    const [same = '', moved = '', collided = ''] = t.codes;
    // `same` is in 人事部 on both sides, under each side's own code.
    const pca = t.fx.vendor('pca-cloud').fake;
    const stored = pca.records(t.area).find((employee) => employee.employeeCode === same);
    pca.seed(t.area, [{ ...(stored as Employee), department: { code: '120', name: '人事部' } }]);
    await t.moveInHr(same, { code: 'D1', name: '人事部' });
    // `moved` and `collided` move to 人事部 in HR. HR's 110 is 人事部 but PCA's 110 is 総務部:
    // matched by code, `collided` would land in the wrong 部署.
    await t.moveInHr(moved, { code: 'D1', name: '人事部' });
    await t.moveInHr(collided, { code: '110', name: '人事部' });
    // The demo's configured area is last year's (前年度以前): chosen deliberately, with the extra tick.
    const created = await t.fx.admin.post(`/connections/${t.connectionId}/sync/export`, {
      dataArea: t.area,
      confirmOlder: '1',
    });
    expect(created.status).toBe(302);
    pickerPath = created.headers.get('location') ?? '';
    const picker = await (await t.fx.admin.get(`${pickerPath}?search=${same}`)).text();
    const row = new RegExp(`data-employee-code="${same}">[\\s\\S]*?</tr>`).exec(picker)?.[0] ?? '';
    expect(row).toContain('data-status="unchanged"');
    expect(row).toContain('差分なし');
  });

  it('writes the name, PCA resolves it to its own 120 (never the colliding 110), and re-plans 差分なし', async () => {
    const [same = '', moved = '', collided = ''] = t.codes;
    const previewId = pickerPath.split('/').pop() ?? '';
    const planned = await t.entriesOf(previewId);
    expect(planned.get(same)).toMatchObject({ status: 'unchanged', changes: [] });
    for (const code of [moved, collided]) {
      // Compared by name on both sides: PCA's own code is no difference and is not shown.
      expect(planned.get(code)?.changes).toEqual([
        { field: 'department', before: { name: t.department(code)?.name }, after: { name: '人事部' } },
      ]);
    }
    expect(await t.run(previewId, [moved, collided])).toMatchObject({
      status: 'succeeded',
      counts: { updated: 2, stale: 0, failed: 0 },
    });
    for (const code of t.codes) expect(t.department(code)).toEqual({ code: '120', name: '人事部' });
    const again = await t.entriesOf((await t.exportPreview()).id);
    for (const code of t.codes) expect(again.get(code)).toMatchObject({ status: 'unchanged', changes: [] });
  });
});
