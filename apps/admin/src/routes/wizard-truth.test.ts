import { type Employee, fiscalYearLabel } from '@renkei/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppFixture, createAppFixture } from '../testing/fixture.ts';

// The wizard and the history tell the whole truth: the current year, another person, honest counts,
// quiet successes, and no dead end.
let fx: AppFixture;
let adminId: string;
beforeAll(async () => {
  fx = await createAppFixture();
  adminId = (await fx.hub.users.list()).find((user) => user.role === 'admin')?.id ?? '';
});
afterAll(async () => {
  await fx?.close();
});

async function page(path: string, client = fx.admin): Promise<string> {
  const response = await client.get(path);
  expect(response.status, path).toBe(200);
  return response.text();
}

const radio = (html: string, value: string) =>
  new RegExp(`<input type="radio"[^>]*name="dataArea" value="${value}"[^>]*>`).exec(html)?.[0] ?? '';

async function runToEnd(runId: string): Promise<void> {
  for await (const _ of fx.hub.runs.watch(runId)) {
    // until the run ends
  }
}

describe('データ領域', () => {
  it('preselects the current 処理年度 although the connection names last year, labelled by year', async () => {
    const id = await fx.connectionId('pca-cloud');
    const [lastYear, thisYear] = fx.vendor('pca-cloud').fake.dataAreas() as [string, string];
    expect((await fx.hub.connections.get(id))?.defaultDataArea).toBe(lastYear);
    const html = await page(`/connections/${id}/sync/export`);
    expect(radio(html, thisYear)).toMatch(/\bchecked\b/);
    expect(radio(html, lastYear)).not.toMatch(/\bchecked\b/);
    expect(html).toContain(
      `株式会社れんけい商事 ${fiscalYearLabel({ start: '2026-01-01', end: '2026-12-31' })}`,
    );
    expect(html).not.toMatch(/<strong>[^<]*第\d+期/);
    // Last year is marked, once, and needs the extra tick.
    expect(html.match(/data-testid="older-area"/g)).toHaveLength(1);
    expect(html).toContain('name="confirmOlder"');
  });

  it('refuses last year without the extra tick, keeping the choice; accepts it with the tick', async () => {
    const id = await fx.connectionId('pca-cloud');
    const [lastYear] = fx.vendor('pca-cloud').fake.dataAreas() as [string];
    const refused = await fx.admin.post(`/connections/${id}/sync/export`, { dataArea: lastYear });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('前年度以前のデータ領域が選ばれています。');
    expect(radio(html, lastYear)).toMatch(/\bchecked\b/);

    const accepted = await fx.admin.post(`/connections/${id}/sync/export`, {
      dataArea: lastYear,
      confirmOlder: '1',
    });
    expect(accepted.status).toBe(302);
    const picker = await page(accepted.headers.get('location') ?? '');
    expect(picker).toContain('2025年度（2025/01〜12）');
    // The picker links back to step 1 with the same area still chosen.
    const back = /href="(\/connections\/[^"]+\/sync\/export\?area=[^"]+)">変更/.exec(picker)?.[1] ?? '';
    const again = await page(back.replaceAll('&amp;', '&'));
    expect(radio(again, lastYear)).toMatch(/\bchecked\b/);
    expect(again).toMatch(/name="confirmOlder" value="1"\s+checked/);
  });
});

describe('別人の可能性', () => {
  it('shows both people, is never taken by select-all, and needs a second confirmation to run', async () => {
    const id = await fx.connectionId('pca-hyper');
    const created = await fx.admin.post(`/connections/${id}/sync/export`, {
      dataArea: fx.vendor('pca-hyper').fake.dataAreas()[1] ?? '',
    });
    const pickerPath = created.headers.get('location') ?? '';
    const previewId = pickerPath.split('/').pop() ?? '';
    const list = await page(`${pickerPath}?status=identity_mismatch`);
    const code = /<tr data-employee-code="([^"]+)"/.exec(list)?.[1] ?? '';
    expect(code).not.toBe('');
    expect(list).toContain('data-testid="identity-compare"');
    expect(list).toContain('岩崎 彩');
    expect(list).toMatch(/name="code" value="[^"]+"\s+aria-label="[^"]+"\s+data-deliberate/);

    const all = await page(`${pickerPath}/confirm?all=1`);
    expect(all).not.toContain(`data-employee-code="${code}"`);

    const confirm = await page(`${pickerPath}/confirm?code=${code}`);
    expect(confirm).toContain('別人の可能性 1 名');
    expect(confirm).toMatch(new RegExp(`name="confirmMismatch" value="${code}" form="run-form" required`));
    const runsOf = async () =>
      (await fx.hub.runs.history(id, { pageSize: 100 })).items.filter((run) => run.previewId === previewId);

    // One tick only (a replayed or scripted form): refused by the hub, back to 確認.
    const once = await fx.admin.post(`${pickerPath}/runs`, { code });
    expect(once.headers.get('location')).toBe(`${pickerPath}/confirm?code=${code}`);
    expect(await page(once.headers.get('location') ?? '')).toContain('確認画面で個別に確認してください');
    expect(await runsOf()).toEqual([]);

    const twice = await fx.admin.post(`${pickerPath}/runs`, { code, confirmMismatch: code });
    expect(twice.headers.get('location')).toBe(`/connections/${id}`);
    const [run] = await runsOf();
    if (!run) throw new Error('run expected');
    await runToEnd(run.id);
    expect(await fx.hub.runs.get(run.id)).toMatchObject({ status: 'succeeded', counts: { updated: 1 } });
  });
});

describe('counts, notifications, dashboard, 404', () => {
  it('counts a create that found the employee already there 既に登録済み, on the run page, history and 通知', async () => {
    const id = await fx.connectionId('jobcan');
    const created = await fx.admin.post(`/connections/${id}/sync/export`);
    const previewId = (created.headers.get('location') ?? '').split('/').pop() ?? '';
    const [entry] = (await fx.hub.previews.entries(previewId, { status: 'new', pageSize: 1 })).items;
    if (!entry) throw new Error('a new entry expected');
    // Registered at ジョブカン meanwhile, with exactly HR's values.
    const hr = (await fx.hub.employees.get(entry.employeeCode))?.employee as Employee;
    fx.vendor('jobcan').fake.seed('default', [hr]);
    await fx.admin.post(`/previews/${previewId}/runs`, { code: entry.employeeCode });
    const run = (await fx.hub.runs.history(id)).items[0];
    if (!run) throw new Error('run expected');
    await runToEnd(run.id);

    const detail = await page(`/runs/${run.id}`);
    expect(detail).toContain('data-run-status="succeeded"');
    expect(detail).toMatch(/既に登録済み<\/span><strong data-count="already_present">1</);
    expect(detail).toMatch(/新規登録<\/span><strong data-count="created">0</);
    expect(detail).toContain('data-outcome="already_present"');
    const history = await page(`/connections/${id}`);
    expect(history).toMatch(new RegExp(`data-run-id="${run.id}"[\\s\\S]*?data-count="already_present">1<`));
    const notification = (await fx.hub.notifications.list(adminId)).items.find((n) => n.runId === run.id);
    expect(notification?.body).toContain('既に登録済み 1 名');
    expect(notification?.body).not.toContain('新規登録');
  });

  it('records successes as read by default; each user may have them unread instead', async () => {
    const inbox = await page('/notifications');
    expect(inbox).toMatch(/name="successNotice" value="quiet"\s+checked/);
    const saved = await fx.member.post('/notifications/settings', { successNotice: 'unread' });
    expect(saved.status).toBe(302);
    expect(await page('/notifications', fx.member)).toMatch(/name="successNotice" value="unread"\s+checked/);
    // The admin's own setting is untouched.
    expect(await page('/notifications')).toMatch(/name="successNotice" value="quiet"\s+checked/);
    const refused = await fx.member.post('/notifications/settings', { successNotice: 'loud' });
    expect(refused.status).toBe(302);
    expect(await page('/notifications', fx.member)).toContain('通知の設定が正しくありません。');
  });

  it('shows each connection once per card, with its last run status and time', async () => {
    const html = await page('/connections');
    const cards = html.match(/<a class="panel connector-card"[\s\S]*?<\/a>/g) ?? [];
    expect(cards).toHaveLength(fx.vendors.length);
    for (const card of cards) {
      const name = /<strong>([^<]+)<\/strong>/.exec(card)?.[1] ?? '';
      expect(card.split(name).length - 1, name).toBe(1);
      expect(card).toContain('data-testid="last-run"');
    }
    const jobcan = await fx.connectionId('jobcan');
    const last = (await fx.hub.runs.history(jobcan, { pageSize: 1 })).items[0];
    const card = cards.find((candidate) => candidate.includes(`data-connection-id="${jobcan}"`)) ?? '';
    expect(card).toContain(`data-run-status="${last?.status}"`);
    expect(card).toMatch(/<time datetime="[^"]+">\d{4}\/\d{2}\/\d{2}/);
  });

  it('answers an unknown page with the normal navigation', async () => {
    const response = await fx.admin.get('/no/such/page');
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain('ページが見つかりません');
    expect(html).toContain('<nav aria-label="メイン">');
    expect(html).toContain('href="/connections"');
  });
});
