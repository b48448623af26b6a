import { isEmployedOn, tokyoDate } from '@renkei/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppFixture, createAppFixture } from '../testing/fixture.ts';

let fx: AppFixture;
beforeAll(async () => {
  fx = await createAppFixture();
});
afterAll(async () => {
  await fx?.close();
});

async function hrEmployees() {
  const all = [];
  for (let page = 1; ; page++) {
    const { items, total } = await fx.hub.employees.list({ page, pageSize: 200 });
    all.push(...items.map((item) => item.employee));
    if (all.length >= total || items.length === 0) return all;
  }
}

describe('在籍者のみ and 情報取得基準日 in the export wizard', () => {
  it('offers 在籍者のみ ticked with today in Japan, and only on exports', async () => {
    const id = await fx.connectionId('jobcan');
    const exportStep = await (await fx.admin.get(`/connections/${id}/sync/export`)).text();
    expect(exportStep).toMatch(/name="activeOnly" value="1"\s+checked/);
    expect(exportStep).toContain(`name="basisDate" value="${tokyoDate(Date.now())}"`);
    const importStep = await (await fx.admin.get(`/connections/${id}/sync/import`)).text();
    expect(importStep).not.toContain('name="activeOnly"');
  });

  it('leaves out who was not employed on the basis date and says how many; unticked, lists everyone', async () => {
    const id = await fx.connectionId('jobcan');
    const basisDate = '2026-04-01';
    const hr = await hrEmployees();
    const excluded = hr.filter((employee) => !isEmployedOn(employee, basisDate)).length;
    expect(excluded).toBeGreaterThan(0);

    const narrowed = await fx.admin.post(`/connections/${id}/sync/export`, { activeOnly: '1', basisDate });
    expect(narrowed.status).toBe(302);
    const picker = await (await fx.admin.get(narrowed.headers.get('location') ?? '')).text();
    expect(picker).toContain(
      `在籍者のみ（情報取得基準日 ${basisDate}）: 基準日に在籍していない ${excluded} 名は対象外です。`,
    );
    const narrowedId = (narrowed.headers.get('location') ?? '').split('/').pop() ?? '';
    const narrowedTotal = (await fx.hub.previews.entries(narrowedId, { pageSize: 1 })).total;

    const everyone = await fx.admin.post(`/connections/${id}/sync/export`, { basisDate });
    const everyoneId = (everyone.headers.get('location') ?? '').split('/').pop() ?? '';
    expect(await (await fx.admin.get(`/previews/${everyoneId}`)).text()).not.toContain(
      'data-testid="employment-excluded"',
    );
    expect((await fx.hub.previews.entries(everyoneId, { pageSize: 1 })).total).toBe(narrowedTotal + excluded);
  });

  it('refuses a basis date that is not a date with the reason, on the same step', async () => {
    const id = await fx.connectionId('jobcan');
    const response = await fx.admin.post(`/connections/${id}/sync/export`, {
      activeOnly: '1',
      basisDate: '2026-13-01',
    });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('情報取得基準日を正しい日付');
  });
});

describe('新規登録時の既定値 (連携設定 → preview)', () => {
  it("offers Jobcan's own groups in 連携設定 and names the chosen defaults in the preview", async () => {
    const id = await fx.connectionId('jobcan');
    const settings = await (await fx.admin.get(`/connections/${id}/settings`)).text();
    expect(settings).toMatch(/<select id="f-newMainGroup" name="newMainGroup"/);
    expect(settings).toMatch(/<option value="2"\s*>営業部<\/option>/);

    const adminId = (await fx.hub.users.list()).find((user) => user.role === 'admin')?.id ?? '';
    await fx.hub.connections.update(adminId, id, { credentials: { newMainGroup: '2', newWorkKind: '4' } });
    expect(await (await fx.admin.get(`/connections/${id}/settings`)).text()).toContain(
      '（変更しない: 営業部）',
    );

    const created = await fx.admin.post(`/connections/${id}/sync/export`, {});
    const picker = await (await fx.admin.get(created.headers.get('location') ?? '')).text();
    const previewId = (created.headers.get('location') ?? '').split('/').pop() ?? '';
    const preview = await fx.hub.previews.get(previewId);
    expect(preview?.newEmployeeDefaults).toEqual([
      { label: 'メイングループ', value: '営業部' },
      { label: 'スタッフ種別', value: '社員' },
    ]);
    expect(preview?.summary.new).toBeGreaterThan(0);
    expect(picker).toContain(
      '新規登録する従業員には連携設定の既定値を設定します: メイングループ「営業部」、スタッフ種別「社員」',
    );
  });
});
