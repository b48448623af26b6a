import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCsrfToken } from '../http/csrf.ts';
import { clientFor, ORIGIN } from '../testing/client.ts';
import { type AppFixture, createAppFixture } from '../testing/fixture.ts';

let fx: AppFixture;
let connectionId: string;
let previewId: string;
let runId: string;
let code: string;

beforeAll(async () => {
  fx = await createAppFixture();
  const vendor = fx.vendors[0];
  if (!vendor) throw new Error('vendor expected');
  connectionId = await fx.connectionId(vendor.connector.id);
  const admin = (await fx.hub.users.list()).find((user) => user.role === 'admin');
  if (!admin) throw new Error('admin expected');
  const preview = await fx.hub.previews.create(admin.id, {
    connectionId,
    direction: 'import',
    dataArea: vendor.fake.dataAreas()[0] ?? '',
  });
  previewId = preview.id;
  const entry = (await fx.hub.previews.entries(previewId, { status: 'changed', pageSize: 1 })).items[0];
  if (!entry) throw new Error('a changed entry expected');
  code = entry.employeeCode;
  const run = await fx.hub.runs.start(admin.id, { previewId, selection: { codes: [code] } });
  runId = run.id;
  for await (const _ of fx.hub.runs.watch(runId)) {
    // wait for the run to end
  }
});
afterAll(async () => {
  await fx?.close();
});

const FORBIDDEN = '権限がありません';

describe('members', () => {
  const wizardPages = () => [
    `/connections/${connectionId}/sync/import`,
    `/connections/${connectionId}/sync/export`,
    `/previews/${previewId}`,
    `/previews/${previewId}/confirm?code=${code}`,
    `/connections/${connectionId}/settings`,
    `/connectors/${fx.vendors[0]?.connector.id}/install`,
    `/employees/${code}/edit`,
    '/employees/import',
  ];

  it('get 403 on the wizard and every configuration page', async () => {
    for (const path of wizardPages()) {
      const response = await fx.member.get(path);
      expect(response.status, path).toBe(403);
      expect(await response.text(), path).toContain(FORBIDDEN);
      expect((await fx.admin.get(path)).status, `${path} (admin)`).toBe(200);
    }
  });

  it('get 403 on every mutating route, and nothing changes', async () => {
    const runsBefore = (await fx.hub.runs.history(connectionId)).total;
    const connectionsBefore = await fx.hub.connections.list();
    const employeeBefore = await fx.hub.employees.get(code);
    const upload = new FormData();
    upload.set('file', new File(['社員番号\r\nX-1\r\n'], 'x.csv'));
    upload.set('encoding', 'utf-8');
    const posts: [string, Record<string, string | string[]>][] = [
      [`/connections/${connectionId}/sync/import`, { dataArea: fx.vendors[0]?.fake.dataAreas()[0] ?? '' }],
      [`/previews/${previewId}/runs`, { code: [code] }],
      [`/runs/${runId}/retry`, {}],
      [`/runs/${runId}/cancel`, {}],
      [`/connections/${connectionId}/settings`, { intent: 'save', displayName: '乗っ取り' }],
      [`/connectors/${fx.vendors[0]?.connector.id}/install`, { intent: 'test', displayName: 'x' }],
      [`/employees/${code}`, { lastName: '改ざん' }],
    ];
    for (const [path, form] of posts) {
      const response = await fx.member.post(path, form);
      expect(response.status, path).toBe(403);
      expect(await response.text(), path).toContain(FORBIDDEN);
    }
    const imported = await fx.member.postMultipart('/employees/import', upload);
    expect(imported.status).toBe(403);
    expect((await fx.hub.runs.history(connectionId)).total).toBe(runsBefore);
    expect(await fx.hub.connections.list()).toEqual(connectionsBefore);
    expect(await fx.hub.employees.get(code)).toEqual(employeeBefore);
    expect(await fx.hub.employees.get('X-1')).toBeNull();
  });

  it('may still read: lists, dashboards, run detail and their own inbox', async () => {
    for (const path of [
      '/employees',
      `/employees/${code}`,
      '/connectors',
      '/connections',
      `/connections/${connectionId}`,
      `/runs/${runId}`,
      '/notifications',
    ]) {
      expect((await fx.member.get(path)).status, path).toBe(200);
    }
    expect(await (await fx.member.get(`/runs/${runId}`)).text()).not.toContain('失敗した従業員を再同期');
  });
});

describe('CSRF', () => {
  it('refuses a form without the session token', async () => {
    const response = await fx.admin.post(`/employees/${code}`, { _csrf: '', lastName: 'x' });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('送信を受け付けられませんでした');
  });

  it("refuses another session's token", async () => {
    const response = await fx.admin.post(`/employees/${code}`, { _csrf: fx.member.csrfToken, lastName: 'x' });
    expect(response.status).toBe(403);
  });

  it('refuses a form posted from another origin, even with the token', async () => {
    const response = await fx.admin.post(
      `/employees/${code}`,
      { lastName: 'x' },
      { origin: 'https://evil.example' },
    );
    expect(response.status).toBe(403);
    const noOrigin = await fx.admin.post(`/employees/${code}`, { lastName: 'x' }, { origin: '' });
    expect(noOrigin.status).toBe(403);
    expect((await fx.hub.employees.get(code))?.employee.lastName).not.toBe('x');
  });

  it('accepts the token in a header for scripted requests, and nothing else', async () => {
    const { token } = await fx.hub.auth.login('admin@example.jp', 'renkei-demo-admin');
    const post = (headers: Record<string, string>) =>
      fx.app.request('/notifications/read-all', {
        method: 'POST',
        headers: { cookie: `renkei_session=${token}`, origin: ORIGIN, ...headers },
      });
    expect((await post({ 'x-csrf-token': sessionCsrfToken(token) })).status).toBe(302);
    expect((await post({ 'x-csrf-token': fx.admin.csrfToken })).status).toBe(403);
    expect((await post({})).status).toBe(403);
  });

  it('refuses sign-in without the double-submit token', async () => {
    const response = await fx.app.request('/login', {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'admin@example.jp', password: 'renkei-demo-admin' }).toString(),
    });
    expect(response.status).toBe(403);
  });
});

describe('sign-out', () => {
  it('ends the session on the server, not only in the browser', async () => {
    const { token } = await fx.hub.auth.login('member@example.jp', 'renkei-demo-member');
    const client = clientFor(fx.app, token);
    expect((await client.get('/employees')).status).toBe(200);
    const out = await client.post('/logout');
    expect(out.status).toBe(302);
    expect(out.headers.get('location')).toBe('/login');
    expect((await clientFor(fx.app, token).get('/employees')).status).toBe(302);
  });
});
