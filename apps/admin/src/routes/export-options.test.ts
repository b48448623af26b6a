import { defaultDataArea, isEmployedOn, tokyoDate } from '@renkei/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../http/session.ts';
import { clientFor, ORIGIN } from '../testing/client.ts';
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
    expect(exportStep).toMatch(
      new RegExp(`name="basisDate"\\s+type="date"\\s+value="${tokyoDate(Date.now())}"`),
    );
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
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('情報取得基準日を正しい日付');
  });
});

describe('情報取得基準日 that is not a date', () => {
  const BASIS_DATE_ERROR =
    /data-error-for="basisDate"[^>]*>情報取得基準日を正しい日付（例: 2026-04-01）で入力してください。/;

  it('is a field error on the same step (400), never today, whatever is garbled', async () => {
    const id = await fx.connectionId('jobcan');
    for (const basisDate of [
      '2026-13-45',
      'abc',
      '2026-02-30',
      ' ',
      'x'.repeat(10 * 1024),
      '9'.repeat(10 * 1024),
    ]) {
      const response = await fx.admin.post(`/connections/${id}/sync/export`, { activeOnly: '1', basisDate });
      const label = `basisDate ${JSON.stringify(basisDate.slice(0, 12))}`;
      if (basisDate.trim() === '') {
        // Empty is today in Japan, as the page says.
        expect(response.status, label).toBe(302);
        continue;
      }
      expect(response.status, label).toBe(400);
      const page = await response.text();
      expect(page, label).toMatch(BASIS_DATE_ERROR);
      expect(page, label).toMatch(/<input[^>]*name="basisDate"[^>]*aria-invalid="true"/);
      expect(page, label).toContain('href="#f-basisDate"');
    }
  });

  it('is a field error when its bytes are not UTF-8 (read as empty, it would have been today)', async () => {
    const id = await fx.connectionId('jobcan');
    const { token } = await fx.hub.auth.login('admin@example.jp', 'renkei-demo-admin');
    const response = await fx.app.request(`/connections/${id}/sync/export`, {
      method: 'POST',
      headers: {
        origin: ORIGIN,
        cookie: `${SESSION_COOKIE}=${token}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `_csrf=${encodeURIComponent(clientFor(fx.app, token).csrfToken)}&activeOnly=1&basisDate=2026-04-0%E0%A4%A`,
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/data-error-for="basisDate"[^>]*>文字化けしている文字があります/);
  });

  it('is not read, nor refused, when 在籍者のみ is unticked', async () => {
    const id = await fx.connectionId('jobcan');
    const response = await fx.admin.post(`/connections/${id}/sync/export`, { basisDate: '2026-13-45' });
    expect(response.status).toBe(302);
  });

  it('says on the page that an empty date is today', async () => {
    const id = await fx.connectionId('jobcan');
    expect(await (await fx.admin.get(`/connections/${id}/sync/export`)).text()).toContain(
      '空欄の場合は今日（日本時間）の日付で比較します。',
    );
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

/** An export preview of a PCA connection through the wizard, in the area it preselects. */
async function pcaExport(id: string) {
  const areas = await fx.hub.connections.dataAreas(id);
  const preferred = (await fx.hub.connections.get(id))?.defaultDataArea;
  const dataArea = defaultDataArea(areas, { today: fx.hub.today(), preferred }) ?? '';
  const created = await fx.admin.post(`/connections/${id}/sync/export`, { dataArea });
  expect(created.status).toBe(302);
  const location = created.headers.get('location') ?? '';
  return { location, previewId: location.split('/').pop() ?? '' };
}

describe('新規登録時の部門 for PCA (連携設定 → preview)', () => {
  it("offers PCA's own 部門 master in 連携設定 (optional) and names the chosen one in the preview", async () => {
    const id = await fx.connectionId('pca-cloud');
    const settings = await (await fx.admin.get(`/connections/${id}/settings`)).text();
    expect(settings).toMatch(/<select id="f-newDepartment" name="newDepartment"/);
    expect(settings).toMatch(/<option value="120"\s*>120 人事部<\/option>/);
    expect(settings).not.toContain('name="newEmployeeCategory"');

    const adminId = (await fx.hub.users.list()).find((user) => user.role === 'admin')?.id ?? '';
    await fx.hub.employees.create(adminId, { employeeCode: 'D9001', lastName: '新人', firstName: '一郎' });
    await fx.hub.connections.update(adminId, id, { credentials: { newDepartment: '120' } });
    const { location, previewId } = await pcaExport(id);
    expect((await fx.hub.previews.get(previewId))?.newEmployeeDefaults).toEqual([
      { label: '部門', value: '人事部' },
    ]);
    const picker = await (await fx.admin.get(location)).text();
    expect(picker).toContain('新規登録する従業員には連携設定の既定値を設定します: 部門「人事部」');
  });
});

describe('ビジネスネーム優先 (連携設定 → preview → 確認)', () => {
  const entryOf = async (previewId: string, code: string) =>
    (await fx.hub.previews.entries(previewId, { search: code })).items.find(
      (entry) => entry.employeeCode === code,
    );
  const lastNameWritten = (entry: Awaited<ReturnType<typeof entryOf>>) =>
    entry?.changes.find((change) => change.field === 'lastName')?.after;
  beforeAll(async () => {
    const adminId = (await fx.hub.users.list()).find((user) => user.role === 'admin')?.id ?? '';
    await fx.hub.employees.create(adminId, {
      employeeCode: 'B9001',
      lastName: '山田',
      firstName: '花子',
      businessLastName: '鈴木',
      businessLastNameKana: 'スズキ',
    });
    // Fine as a legal name, 11 characters as a ビジネスネーム: PCA's 姓 holds 全角10.
    await fx.hub.employees.create(adminId, {
      employeeCode: 'B9002',
      lastName: '林',
      firstName: '一',
      businessLastName: '寿限無寿限無五劫の擦り切',
    });
  });

  it('is off by default: the legal name is compared and written', async () => {
    const id = await fx.connectionId('pca-hyper');
    expect((await fx.hub.connections.get(id))?.namePreference).toBe('legal');

    const { previewId } = await pcaExport(id);
    expect((await fx.hub.previews.get(previewId))?.businessName).toBe(false);
    expect(lastNameWritten(await entryOf(previewId, 'B9001'))).toBe('山田');
  });

  it('saved in 連携設定, writes the ビジネスネーム, checks PCA’s 姓 length on it, and says so in 確認', async () => {
    const id = await fx.connectionId('pca-hyper');
    const path = `/connections/${id}/settings`;
    const refused = await fx.admin.post(path, {
      intent: 'save',
      displayName: 'PCA hyper',
      namePreference: 'nick',
    });
    expect(refused.status).toBe(400);
    const form = await refused.text();
    expect(form).toMatch(/data-error-for="namePreference">書き込む氏名を選んでください。/);
    // The stored choice stays ticked (PCA's logins are few a minute: no extra settings page here).
    expect(form).toMatch(/name="namePreference" value="legal"\s+checked/);
    const saved = await fx.admin.post(path, {
      intent: 'save',
      displayName: 'PCA hyper',
      namePreference: 'business',
    });
    expect(saved.status).toBe(302);
    expect((await fx.hub.connections.get(id))?.namePreference).toBe('business');

    const { previewId } = await pcaExport(id);
    expect((await fx.hub.previews.get(previewId))?.businessName).toBe(true);
    const written = await entryOf(previewId, 'B9001');
    expect(lastNameWritten(written)).toBe('鈴木');
    expect(written?.changes.find((change) => change.field === 'lastNameKana')?.after).toBe('スズキ');
    const long = await entryOf(previewId, 'B9002');
    expect(long?.status).toBe('invalid');
    expect(long?.issues.map((issue) => issue.message).join(' ')).toContain('寿限無寿限無五劫の擦り切');

    const confirm = await (await fx.admin.get(`/previews/${previewId}/confirm?code=B9001`)).text();
    expect(confirm).toContain('data-testid="confirm-business-name"');
    expect(confirm).toContain('鈴木');
  });
});
