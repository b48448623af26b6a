import { FIELD_KEYS, plan } from '@renkei/core';
import { RUN_STATUS_LABELS, STALE_REASON } from '@renkei/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedImport, postLogin } from '../testing/client.ts';
import { type AppFixture, createAppFixture } from '../testing/fixture.ts';

let fx: AppFixture;
beforeAll(async () => {
  fx = await createAppFixture();
});
afterAll(async () => {
  await fx?.close();
});

const text = (response: Response) => response.text();

async function page(path: string, client = fx.admin): Promise<string> {
  const response = await client.get(path);
  expect(response.status, path).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/html');
  return text(response);
}

describe('signed out', () => {
  it('shows the sign-in form and sends every page there', async () => {
    const login = await fx.app.request('/login');
    expect(login.status).toBe(200);
    const html = await login.text();
    expect(html).toContain('ログイン');
    expect(html).toMatch(/name="_csrf" value="[\w-]{20,}"/);
    const employees = await fx.app.request('/employees?search=1');
    expect(employees.status).toBe(302);
    expect(employees.headers.get('location')).toBe(
      `/login?${new URLSearchParams({ next: '/employees?search=1' })}`,
    );
  });

  it('sends security headers with a CSP that allows only self', async () => {
    const response = await fx.app.request('/login');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('sets the session cookie HttpOnly and SameSite=Lax, Secure only behind HTTPS', async () => {
    const signIn = async (url: string, headers: Record<string, string> = {}) => {
      const { response } = await postLogin(
        fx.app,
        { email: 'admin@example.jp', password: 'renkei-demo-admin' },
        { url, headers },
      );
      expect(response.status).toBe(302);
      return response.headers.getSetCookie().find((line) => line.startsWith('renkei_session=')) ?? '';
    };
    const plain = await signIn('http://localhost/login');
    expect(plain).toMatch(/HttpOnly/i);
    expect(plain).toMatch(/SameSite=Lax/i);
    expect(plain).not.toMatch(/Secure/i);
    const secure = await signIn('https://renkei.example.jp/login');
    expect(secure).toMatch(/Secure/i);
  });

  it('returns to the page asked for after sign-in, never to another site', async () => {
    const local = ['/employees?search=1', '/%09/evil.example'];
    const signIn = async (next: string) => {
      const { page, response } = await postLogin(
        fx.app,
        { email: 'member@example.jp', password: 'renkei-demo-member', next },
        { query: { next } },
      );
      const kept = (await page.text()).includes(`name="next" value="${next}"`);
      expect(kept).toBe(local.includes(next));
      return response.headers.get('location');
    };
    expect(await signIn('/employees?search=1')).toBe('/employees?search=1');
    expect(await signIn('//evil.example/')).toBe('/');
    expect(await signIn('https://evil.example/')).toBe('/');
    expect(await signIn('/\\evil.example')).toBe('/');
    // Browsers drop tabs and newlines from URLs: `/\t/evil.example` is `//evil.example` to them.
    expect(await signIn('/\t/evil.example')).toBe('/');
    expect(await signIn('/\n/evil.example')).toBe('/');
    expect(await signIn('/%09/evil.example')).toBe('/%09/evil.example');
  });

  it('refuses a wrong password with a Japanese message and no session', async () => {
    const { response } = await postLogin(fx.app, { email: 'admin@example.jp', password: 'wrong-password' });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('メールアドレスまたはパスワードが正しくありません。');
    expect(response.headers.getSetCookie().some((line) => line.startsWith('renkei_session='))).toBe(false);
  });

  it('shows field errors beside the field for an empty sign-in form', async () => {
    const { response } = await postLogin(fx.app, { email: 'not-an-email', password: '' });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toMatch(/data-error-for="email">メールアドレスの形式が正しくありません。/);
    expect(html).toMatch(/data-error-for="password">パスワードを入力してください。/);
  });
});

describe('static files', () => {
  it('serves the favicon every page links to, and 404 for any other name', async () => {
    expect(await page('/employees')).toContain('<link rel="icon" href="/static/favicon.svg"');
    const icon = await fx.app.request('/static/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toContain('image/svg+xml');
    for (const name of ['constructor', '__proto__', 'toString', 'nope.js']) {
      expect((await fx.app.request(`/static/${name}`)).status, name).toBe(404);
    }
  });
});

describe('header', () => {
  it('shows the user, the role and the unread count', async () => {
    const admin = await page('/employees');
    expect(admin).toContain('連携 花子');
    expect(admin).toMatch(/data-testid="viewer-role">管理者/);
    const member = await page('/employees', fx.member);
    expect(member).toContain('閲覧 太郎');
    expect(member).toMatch(/data-testid="viewer-role">メンバー/);
  });
});

describe('従業員リスト', () => {
  it('lists, searches and pages the HR master', async () => {
    const { total } = await fx.hub.employees.list({ pageSize: 1 });
    expect(total).toBeGreaterThan(100);
    const html = await page('/employees');
    expect(html).toContain('従業員リスト');
    expect(html).toContain(`${total} 件中 1–50 件`);
    const first = (await fx.hub.employees.list({ pageSize: 1 })).items[0]?.employee;
    if (!first?.lastName) throw new Error('seeded employee expected');
    const found = await page(`/employees?search=${encodeURIComponent(first.employeeCode)}`);
    expect(found).toContain(`data-employee-code="${first.employeeCode}"`);
    const second = await page('/employees?page=2');
    expect(second).toContain(`${total} 件中 51–100 件`);
  });

  it('escapes what it renders', async () => {
    const admin = (await fx.hub.users.list()).find((user) => user.role === 'admin');
    await fx.hub.employees.create(admin?.id ?? '', {
      employeeCode: '990001',
      lastName: '<script>alert(1)</script>',
      firstName: '"x"',
    });
    const html = await page('/employees?search=990001');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(await page('/employees?search=%22%3E%3Cb%3E')).toContain('value="&quot;&gt;&lt;b&gt;"');
  });

  it('shows an employee in detail, with 編集 for admins only', async () => {
    const { employee } = (await fx.hub.employees.list({ pageSize: 1 })).items[0] ?? {};
    if (!employee) throw new Error('seeded employee expected');
    const html = await page(`/employees/${employee.employeeCode}`);
    expect(html).toContain(`data-field="employeeCode">${employee.employeeCode}`);
    expect(html).toContain('/edit');
    const member = await page(`/employees/${employee.employeeCode}`, fx.member);
    expect(member).not.toContain('/edit');
    expect((await fx.admin.get('/employees/NOPE-404')).status).toBe(404);
  });

  it('edits an employee, and shows Japanese errors beside the fields', async () => {
    const { employee } = (await fx.hub.employees.list({ pageSize: 1, page: 3 })).items[0] ?? {};
    if (!employee) throw new Error('seeded employee expected');
    const path = `/employees/${employee.employeeCode}`;
    const edit = await page(`${path}/edit`);
    expect(edit).toContain('name="lastName"');
    const bad = await fx.admin.post(path, { lastName: '更新', email: 'bad', birthDate: '1990/13/40' });
    expect(bad.status).toBe(400);
    const errors = await bad.text();
    expect(errors).toMatch(/data-error-for="email">メールアドレスの形式が正しくありません。/);
    expect(errors).toMatch(/data-error-for="birthDate">日付は YYYY-MM-DD の形式で入力してください。/);
    expect((await fx.hub.employees.get(employee.employeeCode))?.employee.lastName).toBe(employee.lastName);
    const blank = await fx.admin.post(path, { lastName: ' ', firstName: '' });
    expect(blank.status).toBe(400);
    const blankErrors = await blank.text();
    expect(blankErrors).toMatch(/data-error-for="lastName">姓を入力してください。/);
    expect(blankErrors).toMatch(/data-error-for="firstName">名を入力してください。/);
    expect((await fx.hub.employees.get(employee.employeeCode))?.employee.lastName).toBe(employee.lastName);

    const form = Object.fromEntries(
      [...edit.matchAll(/name="(\w+)"\s+type="[^"]+"\s+value="([^"]*)"/g)].map((m) => [
        m[1] ?? '',
        m[2] ?? '',
      ]),
    );
    const saved = await fx.admin.post(path, { ...form, department: '広報部' });
    expect(saved.status).toBe(302);
    expect(saved.headers.get('location')).toBe(path);
    const after = (await fx.hub.employees.get(employee.employeeCode))?.employee;
    expect(after?.department?.name).toBe('広報部');
    expect(after?.lastName).toBe(employee.lastName);
    expect(await page(path)).toContain('広報部');
  });

  it('edits the ビジネスネーム beside the legal name, and clears it', async () => {
    const { employee } = (await fx.hub.employees.list({ pageSize: 1, page: 4 })).items[0] ?? {};
    if (!employee) throw new Error('seeded employee expected');
    const path = `/employees/${employee.employeeCode}`;
    const edit = await page(`${path}/edit`);
    expect(edit).toContain('name="businessLastName"');
    expect(edit).toContain('ビジネスネーム（姓・フリガナ）');
    const saved = await fx.admin.post(path, { businessLastName: '旧姓', businessLastNameKana: 'きゅうせい' });
    expect(saved.status).toBe(302);
    const after = (await fx.hub.employees.get(employee.employeeCode))?.employee;
    expect(after).toMatchObject({
      lastName: employee.lastName,
      businessLastName: '旧姓',
      businessLastNameKana: 'キュウセイ',
    });
    expect(await page(path)).toContain('data-field="businessLastName">旧姓');
    await fx.admin.post(path, { businessLastName: '', businessLastNameKana: '' });
    expect((await fx.hub.employees.get(employee.employeeCode))?.employee.businessLastName).toBeUndefined();
  });

  it('exports CSV in UTF-8 and Shift_JIS and imports it back, reporting bad rows', async () => {
    const utf8 = await fx.admin.get('/employees/export.csv?encoding=utf-8');
    expect(utf8.status).toBe(200);
    expect(utf8.headers.get('content-disposition')).toContain('attachment');
    const csv = await utf8.text();
    expect(csv).toContain('社員番号');
    const sjis = await fx.admin.get('/employees/export.csv?encoding=shift_jis');
    expect(sjis.headers.get('content-type')).toContain('Shift_JIS');

    // A name Shift_JIS cannot hold: the list page says which, instead of a file with `?` in it.
    const admin = (await fx.hub.users.list()).find((user) => user.role === 'admin');
    await fx.hub.employees.create(admin?.id ?? '', { employeeCode: '990099', lastName: '𠮷田' });
    const refused = await fx.admin.get('/employees/export.csv?encoding=shift_jis');
    expect(refused.status).toBe(302);
    expect(refused.headers.get('location')).toBe('/employees');
    expect(await page('/employees')).toMatch(
      /Shift_JISで表せない文字があるため出力できません。UTF-8で出力してください: 社員番号 990099 の「姓」（𠮷）/,
    );
    expect((await fx.admin.get('/employees/export.csv?encoding=utf-8')).status).toBe(200);

    expect(await page('/employees/import')).toContain('CSV取り込み');
    const empty = new FormData();
    empty.set('encoding', 'utf-8');
    const missing = await fx.admin.postMultipart('/employees/import', empty);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toMatch(/data-error-for="file">CSVファイルを選択してください。/);

    const [header] = csv.replace(/^\uFEFF/, '').split(/\r?\n/);
    const columns = (header ?? '').split(',');
    const row = columns.map((column) =>
      column.includes('社員番号') ? 'CSV-0001' : column.includes('生年月日') ? '1990-99-99' : '',
    );
    const upload = new FormData();
    upload.set('file', new File([`${header}\r\n${row.join(',')}\r\n`], 'bad.csv', { type: 'text/csv' }));
    upload.set('encoding', 'utf-8');
    const started = await fx.admin.postMultipart('/employees/import', upload);
    expect(started.status).toBe(303);
    const rejected = await finishedImport(fx.admin, started.headers.get('location') ?? '');
    expect(rejected.status).toBe(422);
    const report = await rejected.text();
    expect(report).toContain('取り込みませんでした');
    expect(report).toMatch(/<td class="num">2<\/td>/);
    expect(await fx.hub.employees.get('CSV-0001')).toBeNull();
  });
});

describe('連携アプリ and 連携設定', () => {
  it('lists every connector with its 連携可能な従業員情報', async () => {
    const html = await page('/connectors');
    for (const { connector } of fx.vendors) {
      expect(html).toContain(`data-connector="${connector.id}"`);
      expect(html).toContain(connector.displayName);
    }
    expect(html).toContain('連携可能な従業員情報');
    expect(html).toContain('照合キー');
  });

  it('renders the settings form from the credentials schema with secrets masked and never echoed', async () => {
    const vendor = fx.vendors[0];
    if (!vendor) throw new Error('vendor expected');
    const install = await page(`/connectors/${vendor.connector.id}/install`);
    const secrets = Object.values(vendor.credentials).filter(
      (value): value is string => typeof value === 'string',
    );
    expect(install).toMatch(/type="password"/);
    const id = await fx.connectionId(vendor.connector.id);
    const settings = await page(`/connections/${id}/settings`);
    expect(settings).toContain('設定済みです。変更する場合のみ入力してください。');
    // A stored choice is not replaced by the first option when the admin leaves it alone.
    const select = /<select id="f-(\w+)" name="\w+"[^>]*>\s*<option ([^>]*)>([^<]*)</.exec(settings);
    expect(select?.[2]).toBe('value="" selected');
    expect(select?.[3]).toBe('（変更しない）');
    for (const secret of secrets.filter((value) => value.length > 6)) expect(settings).not.toContain(secret);

    // 接続テスト with a wrong password fails; the submitted secret is not rendered back.
    const wrong = await fx.admin.post(`/connections/${id}/settings`, {
      intent: 'test',
      displayName: vendor.connector.displayName,
      password: 'definitely-wrong-password',
    });
    expect(wrong.status).toBe(422);
    const failed = await wrong.text();
    // PCA's own message names the product: shown as it is, not behind a second 「…に接続できませんでした」.
    expect(failed).toMatch(
      new RegExp(`data-testid="test-result">${vendor.connector.displayName}にログインできませんでした。`),
    );
    expect(failed).not.toContain('definitely-wrong-password');

    // 接続テスト with the stored credentials succeeds.
    const ok = await fx.admin.post(`/connections/${id}/settings`, {
      intent: 'test',
      displayName: vendor.connector.displayName,
    });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('接続テストに成功しました。');
  });

  it('validates the install form with the connector schema, errors beside the fields', async () => {
    const vendor = fx.vendors[0];
    if (!vendor) throw new Error('vendor expected');
    const response = await fx.admin.post(`/connectors/${vendor.connector.id}/install`, {
      intent: 'save',
      displayName: '',
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toMatch(/data-error-for="displayName">表示名を入力してください。/);
    expect(html).toMatch(/data-error-for="\w+">[^<]*を入力してください。/);
    expect((await fx.hub.connections.list()).length).toBe(fx.vendors.length);
  });

  it('saves a new connection only after the vendor accepts the credentials', async () => {
    const vendor = fx.vendors[0];
    if (!vendor) throw new Error('vendor expected');
    const form = Object.fromEntries(
      Object.entries(vendor.credentials).map(([key, value]) => [key, String(value)]),
    );
    const saved = await fx.admin.post(`/connectors/${vendor.connector.id}/install`, {
      ...form,
      intent: 'save',
      displayName: '第二の連携',
    });
    expect(saved.status).toBe(302);
    const created = (await fx.hub.connections.list()).find(
      (connection) => connection.displayName === '第二の連携',
    );
    expect(created).toBeDefined();
    expect(saved.headers.get('location')).toBe(`/connections/${created?.id}`);
    await fx.hub.connections.remove(
      (await fx.hub.users.list()).find((u) => u.role === 'admin')?.id ?? '',
      created?.id ?? '',
    );
  });
});

describe('連携ダッシュボード, wizard, run detail, 通知', () => {
  it('lists the connections and shows both directions on a dashboard', async () => {
    const html = await page('/connections');
    for (const { connector } of fx.vendors) expect(html).toContain(connector.displayName);
    const vendor = fx.vendors[0];
    if (!vendor) throw new Error('vendor expected');
    const id = await fx.connectionId(vendor.connector.id);
    const dashboard = await page(`/connections/${id}`);
    expect(dashboard).toContain(`${vendor.connector.displayName} → 従業員リスト`);
    expect(dashboard).toContain(`従業員リスト → ${vendor.connector.displayName}`);
    expect(dashboard).toContain(`/connections/${id}/sync/import`);
    expect(dashboard).toContain('連携履歴');
    const member = await page(`/connections/${id}`, fx.member);
    expect(member).not.toContain(`/connections/${id}/sync/import`);
  });

  it('walks area → picker → confirm → run → detail, with SSE progress and the notification', async () => {
    const vendor = fx.vendors.find((candidate) => candidate.connector.hasDataAreas);
    if (!vendor) throw new Error('a vendor with data areas expected');
    const id = await fx.connectionId(vendor.connector.id);
    const areaStep = await page(`/connections/${id}/sync/import`);
    const area = fx.vendor(vendor.connector.id).fake.dataAreas()[0] ?? '';
    expect(areaStep).toContain(`value="${area}"`);
    expect(areaStep.split(area).length - 1, 'the area id: its value and one mention').toBe(2);

    const missingArea = await fx.admin.post(`/connections/${id}/sync/import`, { dataArea: 'no-such-area' });
    expect(missingArea.status).toBe(400);
    expect(await missingArea.text()).toMatch(/data-error-for="dataArea">/);

    // The first area is last year's (前年度以前): it takes the explicit second tick.
    const created = await fx.admin.post(`/connections/${id}/sync/import`, {
      dataArea: area,
      confirmOlder: '1',
    });
    expect(created.status).toBe(302);
    const pickerPath = created.headers.get('location') ?? '';
    expect(pickerPath).toMatch(/^\/previews\/[\w-]+$/);

    const picker = await page(pickerPath);
    for (const label of ['差分なし', '差分あり', '新規登録']) expect(picker).toContain(label);
    const changedPage = await page(`${pickerPath}?status=changed`);
    const changedCode = /data-employee-code="([^"]+)"/.exec(changedPage)?.[1];
    const newPage = await page(`${pickerPath}?status=new`);
    const newCode = /data-employee-code="([^"]+)"/.exec(newPage)?.[1];
    if (!changedCode || !newCode) throw new Error('changed and new entries expected');

    const empty = await fx.admin.get(`${pickerPath}/confirm`);
    expect(empty.status).toBe(302);
    expect(await page(empty.headers.get('location') ?? '')).toContain('同期する従業員を選択してください。');

    const confirm = await page(`${pickerPath}/confirm?code=${changedCode}&code=${newCode}`);
    expect(confirm).toContain('同期内容の確認');
    expect(confirm).toContain('class="before"');
    expect(confirm).toContain('class="after"');
    expect(confirm).toMatch(/data-testid="confirm-total">2 名/);

    // Select-all of a filter: every selectable 差分あり entry, across pages.
    const previewId = pickerPath.split('/').pop() ?? '';
    const changedTotal = (await fx.hub.previews.entries(previewId, { status: 'changed', pageSize: 1 })).total;
    expect(changedTotal).toBeGreaterThan(0);
    const all = await page(`${pickerPath}/confirm?all=1&status=changed`);
    expect(all).toContain(`data-testid="confirm-total">${changedTotal} 名`);
    expect(all).toContain('<input type="hidden" name="all" value="1" />');
    expect(all).toContain('<input type="hidden" name="status" value="changed" />');

    // 差分なし entries write nothing: selecting all of them leaves nothing to confirm or run.
    expect(await page(`${pickerPath}/confirm?all=1&status=unchanged`)).toContain(
      'data-testid="confirm-total">0 名',
    );
    const nothing = await fx.admin.post(`${pickerPath}/runs`, { all: '1', status: 'unchanged' });
    expect(nothing.headers.get('location')).toBe(`${pickerPath}?error=empty`);

    const started = await fx.admin.post(`${pickerPath}/runs`, { code: [changedCode, newCode] });
    expect(started.status).toBe(302);
    expect(started.headers.get('location')).toBe(`/connections/${id}`);
    const dashboard = await page(`/connections/${id}`);
    expect(dashboard).toContain('同期を開始しました（2 名）');
    const runId = /data-run-id="([^"]+)"/.exec(dashboard)?.[1];
    if (!runId) throw new Error('the run should be in 連携履歴');

    const events = await fx.admin.get(`/runs/${runId}/events`);
    expect(events.headers.get('content-type')).toContain('text/event-stream');
    const stream = await events.text();
    expect(stream).toContain('event: progress');
    expect(stream).toMatch(/event: end\ndata: \{"status":"succeeded"/);

    const detail = await page(`/runs/${runId}`);
    expect(detail).toContain(`data-employee-code="${changedCode}"`);
    expect(detail).toContain(`data-employee-code="${newCode}"`);
    expect(detail).toContain('data-outcome="created"');
    expect(detail).toContain('data-outcome="updated"');
    expect(await fx.hub.employees.get(newCode)).not.toBeNull();

    // A success is recorded in 通知, already read: it does not pile up as unread.
    const inbox = await page('/notifications');
    expect(inbox).toContain(`/runs/${runId}`);
    expect(inbox).not.toContain('data-testid="unread-count"');
  });

  it('explains an employee changed after the preview (stale) and does not write it', async () => {
    const vendor = fx.vendor('pca-cloud');
    const id = await fx.connectionId('pca-cloud');
    const area = vendor.fake.dataAreas()[2] ?? '';
    const created = await fx.admin.post(`/connections/${id}/sync/import`, { dataArea: area });
    const previewId = (created.headers.get('location') ?? '').split('/').pop() ?? '';
    const entry = (await fx.hub.previews.entries(previewId, { status: 'changed', pageSize: 1 })).items[0];
    if (!entry) throw new Error('a changed entry expected');
    const admin = (await fx.hub.users.list()).find((user) => user.role === 'admin');
    await fx.hub.employees.update(admin?.id ?? '', entry.employeeCode, { lastName: 'プレビュー後' });

    const started = await fx.admin.post(`/previews/${previewId}/runs`, { code: entry.employeeCode });
    expect(started.status).toBe(302);
    const run = (await fx.hub.runs.history(id)).items[0];
    if (!run) throw new Error('run expected');
    for await (const _ of fx.hub.runs.watch(run.id)) {
      // until the run ends
    }
    const detail = await page(`/runs/${run.id}`);
    expect(detail).toContain('data-outcome="stale"');
    expect(detail).toContain(STALE_REASON);
    expect(detail).toContain(`href="/connections/${id}/sync/import">差分を確認し直す`);
    expect((await fx.hub.employees.get(entry.employeeCode))?.employee.lastName).toBe('プレビュー後');

    // An ended run offers no 中止, and a stray POST gets the hub's reason.
    expect(detail).not.toContain('data-testid="cancel-run"');
    const cancel = await fx.admin.post(`/runs/${run.id}/cancel`, {});
    expect(cancel.status).toBe(302);
    const ended = await fx.hub.runs.get(run.id);
    expect(await page(`/runs/${run.id}`)).toContain(
      `この同期はすでに終了しているため中止できません（結果: ${RUN_STATUS_LABELS[ended?.status ?? 'queued']}）。`,
    );
    expect(ended?.cancelRequestedAt).toBeNull();
  });

  it('shows a vendor without data areas a single start button, and its implicit area by name', async () => {
    const id = await fx.connectionId('jobcan');
    const html = await page(`/connections/${id}/sync/export`);
    expect(html).not.toContain('name="dataArea"');
    expect(html).toContain('差分を確認する');
    const created = await fx.admin.post(`/connections/${id}/sync/export`);
    expect(created.status).toBe(302);
    const pickerPath = created.headers.get('location') ?? '';
    const picker = await page(pickerPath);
    expect(picker).not.toContain('data-testid="data-area"');
    expect(picker).not.toContain('データ領域');
    expect(await page(`${pickerPath}/confirm?all=1`)).not.toContain('データ領域');
    expect(await page(`/connections/${id}`)).not.toContain('<th>データ領域</th>');

    // Select-all of a filter names what it takes: the entries that write (差分あり + 新規登録).
    const previewId = pickerPath.split('/').pop() ?? '';
    const { summary } = (await fx.hub.previews.get(previewId)) ?? { summary: undefined };
    if (!summary) throw new Error('preview expected');
    expect(picker).toMatch(
      new RegExp(
        `data-testid="select-all-filter"[^>]*>\\s*絞り込み条件に一致する同期対象（差分あり・新規登録）${summary.new + summary.changed} 名をすべて選択`,
      ),
    );
    expect(await page(`${pickerPath}?status=unchanged`)).not.toContain('data-testid="select-all-filter"');
  });

  it('shows an employee Jobcan would refuse as an error in the picker, with Jobcan’s reason', async () => {
    const id = await fx.connectionId('jobcan');
    const adminId = (await fx.hub.users.list()).find((user) => user.role === 'admin')?.id ?? '';
    const { employee } = (await fx.hub.employees.list({ pageSize: 1, page: 7 })).items[0] ?? {};
    if (!employee) throw new Error('seeded employee expected');
    const before = employee.employmentType;
    await fx.hub.employees.update(adminId, employee.employeeCode, { employmentType: { name: '正社員' } });
    try {
      const created = await fx.admin.post(`/connections/${id}/sync/export`);
      const previewId = (created.headers.get('location') ?? '').split('/').pop() ?? '';
      const picker = await page(`/previews/${previewId}?search=${encodeURIComponent(employee.employeeCode)}`);
      expect(picker).toContain('ジョブカン勤怠管理に書き込めません');
      expect(picker).toContain('正社員');
      const refused = await fx.admin.post(`/previews/${previewId}/runs`, { code: employee.employeeCode });
      expect(refused.status).toBe(302);
      expect((await fx.hub.runs.history(id)).items.filter((run) => run.previewId === previewId)).toEqual([]);
    } finally {
      await fx.hub.employees.update(adminId, employee.employeeCode, { employmentType: before ?? null });
    }
  });

  // The write fails for good only after Jobcan's client waits out its real retry backoff (~13 s).
  it("names each failed 社員番号 once in 通知, with the run summary in the app's words", async () => {
    const id = await fx.connectionId('jobcan');
    const adminId = (await fx.hub.users.list()).find((user) => user.role === 'admin')?.id ?? '';
    const { employee } = (await fx.hub.employees.list({ pageSize: 1, page: 8 })).items[0] ?? {};
    if (!employee) throw new Error('seeded employee expected');
    await fx.hub.employees.update(adminId, employee.employeeCode, { lastName: '通知' });
    const created = await fx.admin.post(`/connections/${id}/sync/export`);
    const previewId = (created.headers.get('location') ?? '').split('/').pop() ?? '';
    // Jobcan fails this employee's write for good (no check up front can know).
    const { faults } = fx.vendor('jobcan').fake;
    faults.inject({
      kind: 'server_error',
      scope: 'write',
      times: Number.POSITIVE_INFINITY,
      employeeCodes: [employee.employeeCode],
    });
    try {
      await fx.admin.post(`/previews/${previewId}/runs`, { code: employee.employeeCode });
      const run = (await fx.hub.runs.history(id)).items[0];
      if (!run) throw new Error('run expected');
      for await (const _ of fx.hub.runs.watch(run.id)) {
        // until the run ends
      }
      const [item] = (await fx.hub.runs.items(run.id, { outcome: 'failed' })).items;
      expect(item).toMatchObject({ employeeCode: employee.employeeCode });
      const inbox = await page('/notifications');
      const article =
        new RegExp(`<article[^>]*>((?:(?!</article>)[\\s\\S])*?/runs/${run.id}[\\s\\S]*?)</article>`).exec(
          inbox,
        )?.[1] ?? '';
      expect(article).toContain('同期に失敗しました（ジョブカン勤怠管理）');
      expect(article).toContain('従業員リスト → ジョブカン勤怠管理');
      const rows = article.match(/<tr><td class="mono">([^<]*)<\/td>/g) ?? [];
      expect(rows).toEqual([`<tr><td class="mono">${employee.employeeCode}</td>`]);
      expect(article).toContain(item?.message ?? '(no message)');
      expect(article).not.toContain('データ領域');
      expect(article).not.toContain('連携に失敗');
      // The run page names outcomes with the notification's words.
      const detail = await page(`/runs/${run.id}`);
      expect(detail).toContain('data-outcome="failed"');
      expect(article).toContain('<td>失敗</td>');
      expect(detail).toContain('>失敗<');
    } finally {
      faults.clear();
    }
  }, 60_000);

  it('runs exactly what the dialog lists, once per preview; under select-all rows cannot be unticked', async () => {
    const id = await fx.connectionId('jobcan');
    const created = await fx.admin.post(`/connections/${id}/sync/export`);
    const pickerPath = created.headers.get('location') ?? '';
    const previewId = pickerPath.split('/').pop() ?? '';
    const first = async (status: 'changed' | 'unchanged') =>
      (await fx.hub.previews.entries(previewId, { status, pageSize: 1 })).items[0]?.employeeCode ?? '';
    const [changed, unchanged] = [await first('changed'), await first('unchanged')];
    const runsOfPreview = async () =>
      (await fx.hub.runs.history(id, { pageSize: 100 })).items.filter((run) => run.previewId === previewId);

    // Ticking a 差分なし row writes nothing for it: the dialog says so, and the run agrees.
    const confirm = await page(`${pickerPath}/confirm?code=${changed}&code=${unchanged}`);
    expect(confirm).toMatch(/data-testid="confirm-total">1 名/);
    expect(confirm).not.toContain(`data-employee-code="${unchanged}"`);
    expect(confirm).toContain('選択した差分なしの 1 名は、書き込む内容がないため同期しません。');
    const onlyUnchanged = await fx.admin.post(`${pickerPath}/runs`, { code: unchanged });
    expect(onlyUnchanged.headers.get('location')).toBe(`${pickerPath}?code=${unchanged}`);
    expect(await page(onlyUnchanged.headers.get('location') ?? '')).toContain(
      '書き込む従業員が選択されていません（差分なしの従業員は同期しません）。',
    );
    expect(await runsOfPreview()).toEqual([]);

    const started = await fx.admin.post(`${pickerPath}/runs`, { code: [changed, unchanged] });
    expect(started.headers.get('location')).toBe(`/connections/${id}`);
    expect(await page(`/connections/${id}`)).toContain('同期を開始しました（1 名）');
    const [run] = await runsOfPreview();
    if (!run) throw new Error('run expected');
    for await (const _ of fx.hub.runs.watch(run.id)) {
      // until the run ends
    }
    expect((await fx.hub.runs.items(run.id)).items.map((item) => item.employeeCode)).toEqual([changed]);

    // 戻る and 同期 again (or an old confirmation tab): refused, back at the wizard's start.
    const again = await fx.admin.post(`${pickerPath}/runs`, { code: changed });
    expect(again.headers.get('location')).toBe(`/connections/${id}/sync/export`);
    expect(await page(`/connections/${id}/sync/export`)).toContain(
      'この差分からはすでに同期を開始しています。もう一度差分を取得してください。',
    );
    expect(await runsOfPreview()).toHaveLength(1);

    // Select-all of a filter: the rows show what it takes and cannot be unticked.
    const row = (html: string, code: string) =>
      new RegExp(`<tr data-employee-code="${code}">[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';
    expect(row(await page(`${pickerPath}?search=${changed}`), changed)).not.toMatch(/\bdisabled\b/);
    const all = await page(`${pickerPath}?all=1&search=${changed}`);
    expect(all).toContain('名をすべて選択中のため、個別には選べません。');
    expect(all).toContain(`<a href="${pickerPath}?search=${changed}">選択を解除</a>`);
    expect(all).toContain('<input type="hidden" name="all" value="1" />');
    expect(all).not.toContain('data-testid="select-all-filter"');
    expect(row(all, changed)).toMatch(/\bdisabled\b[\s\S]*\bchecked\b/);
    // A 差分なし row is not what select-all takes: shown unticked.
    const unchangedRow = row(await page(`${pickerPath}?all=1&search=${unchanged}`), unchanged);
    expect(unchangedRow).toMatch(/\bdisabled\b/);
    expect(unchangedRow).not.toMatch(/\bchecked\b/);
  });

  it('answers 404 for unknown or malformed ids and unknown pages', async () => {
    const ids = ['00000000-0000-0000-0000-000000000000', 'not-an-id'];
    const paths = ['/connections', '/runs', '/previews', '/employees'].flatMap((base) =>
      ids.map((id) => `${base}/${id}`),
    );
    for (const path of [
      ...paths,
      '/connections/not-an-id/settings',
      '/connections/not-an-id/sync/import',
      '/no/such/page',
    ]) {
      const response = await fx.admin.get(path);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).toContain('ページが見つかりません');
    }
    const read = await fx.admin.post('/notifications/not-an-id/read');
    expect(read.status).toBe(404);
  });
});

describe('the demo seed', () => {
  it('gives every connector, data area and direction 差分なし, 差分あり and 新規登録', async () => {
    // Planned here from the stores themselves: going through the vendor APIs would spend PCA's
    // OAuth budget (10 logins a minute) that the other tests need.
    const hrFields = Object.fromEntries(FIELD_KEYS.map((key) => [key, 'readWrite' as const]));
    const hr = (await fx.hub.employees.list({ pageSize: 500 })).items.map(({ employee }) => ({
      ok: true as const,
      employee,
    }));
    for (const { connector, fake } of fx.vendors) {
      for (const area of fake.dataAreas()) {
        const vendor = fake.records(area).map((employee) => ({ ok: true as const, employee }));
        const sides = {
          import: [
            { fields: connector.fields, records: vendor },
            { fields: hrFields, records: hr },
          ],
          export: [
            { fields: hrFields, records: hr },
            { fields: connector.fields, records: vendor },
          ],
        } as const;
        for (const [direction, [source, target]] of Object.entries(sides)) {
          const { summary } = plan(source, target);
          const where = `${connector.id} ${area} ${direction}`;
          expect(summary.unchanged, where).toBeGreaterThan(0);
          expect(summary.changed, where).toBeGreaterThan(0);
          expect(summary.new, where).toBeGreaterThan(0);
          expect(summary.invalid + summary.conflict, where).toBe(0);
        }
      }
    }
  });
});

describe('a finished run seen by a member (閲覧のみ)', () => {
  it('shows a 給与振込口座 change masked and no 住所 change; the admin sees both in full', async () => {
    const id = await fx.connectionId('pca-cloud');
    const admin = (await fx.hub.users.list()).find((user) => user.role === 'admin');
    if (!admin) throw new Error('admin expected');
    // An employee the vendor holds as the HR master does, then moved and paid to a new account.
    const first = await fx.hub.previews.create(admin.id, { connectionId: id, direction: 'export' });
    const [entry] = (await fx.hub.previews.entries(first.id, { status: 'unchanged', pageSize: 1 })).items;
    const record = entry && (await fx.hub.employees.get(entry.employeeCode));
    const account = record?.employee.bankAccounts?.[0];
    if (!record || !account || !record.employee.address) throw new Error('an employee with both expected');
    const address = { ...record.employee.address, city: '調布市', street: '国領町9-8-7' };
    const moved = { ...account, accountNumber: '7654321' };
    await fx.hub.employees.update(admin.id, record.employee.employeeCode, { address, bankAccounts: [moved] });

    const preview = await fx.hub.previews.create(admin.id, { connectionId: id, direction: 'export' });
    const run = await fx.hub.runs.start(admin.id, {
      previewId: preview.id,
      selection: { codes: [record.employee.employeeCode] },
    });
    for await (const _ of fx.hub.runs.watch(run.id)) {
      // until the run ends
    }
    const asAdmin = await page(`/runs/${run.id}`);
    expect(asAdmin).toContain('data-outcome="updated"');
    expect(asAdmin).toContain('7654321');
    expect(asAdmin).toContain(account.accountNumber);
    expect(asAdmin).toContain('国領町9-8-7');

    const asMember = await page(`/runs/${run.id}`, fx.member);
    expect(asMember).toContain('data-outcome="updated"');
    expect(asMember).toContain('****4321');
    expect(asMember).toContain(`****${account.accountNumber.slice(-4)}`);
    expect(asMember).not.toContain('7654321');
    expect(asMember).not.toContain(account.accountNumber);
    expect(asMember).not.toContain('data-field="address"');
    expect(asMember).not.toContain('国領町9-8-7');
    expect(asMember).not.toContain(record.employee.address.street);
    // Two previews of a whole data area and a run: room for a loaded machine.
  }, 120_000);
});
