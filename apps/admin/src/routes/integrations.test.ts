// APIトークン and Webhook pages: secrets shown once, admins only, the delivery log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../demo/seed.ts';
import { type AppFixture, createAppFixture } from '../testing/fixture.ts';

let fx: AppFixture;
beforeAll(async () => {
  fx = await createAppFixture();
});
afterAll(() => fx.close());

const adminId = async () =>
  (await fx.hub.users.list()).find((user) => user.email === DEMO_USERS.admin.email)?.id as string;

const secretOf = (page: string) => /data-testid="secret">([^<]+)</.exec(page)?.[1];

describe('APIトークン', () => {
  it('issues a token shown once, which works on /api/v1 until revoked', async () => {
    const refused = await fx.admin.post('/api-tokens', { name: '', userId: await adminId(), scope: 'read' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('名前を入力してください。');

    const issued = await fx.admin.post('/api-tokens', {
      name: '夜間バッチ',
      userId: await adminId(),
      scope: 'sync',
    });
    expect(issued.status).toBe(201);
    const page = await issued.text();
    const token = secretOf(page) as string;
    expect(token).toMatch(/^rk_/);
    expect(await (await fx.admin.get('/api-tokens')).text()).not.toContain(token);
    const api = () =>
      fx.app.request('/api/v1/connections', { headers: { authorization: `Bearer ${token}` } });
    expect((await api()).status).toBe(200);

    const id = (await fx.hub.apiTokens.list(await adminId())).find((t) => t.name === '夜間バッチ')?.id;
    const revoked = await fx.admin.post(`/api-tokens/${id}/revoke`);
    expect(revoked.status).toBe(302);
    expect((await api()).status).toBe(401);
    expect(await (await fx.admin.get('/api-tokens')).text()).toContain('失効（');
  });

  it('refuses a sync token for a member and shows the pages to admins only', async () => {
    const memberId = (await fx.hub.users.list()).find((u) => u.email === DEMO_USERS.member.email)
      ?.id as string;
    const refused = await fx.admin.post('/api-tokens', { name: 'm', userId: memberId, scope: 'sync' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('管理者にのみ発行できます');
    expect((await fx.member.get('/api-tokens')).status).toBe(403);
    expect((await fx.member.get('/outgoing-webhooks')).status).toBe(403);
    expect((await fx.member.post('/api-tokens', { name: 'x', userId: memberId, scope: 'read' })).status).toBe(
      403,
    );
  });
});

describe('Webhook', () => {
  it('refuses http://, shows a new endpoint’s secret once, logs deliveries, deletes', async () => {
    const http = await fx.admin.post('/outgoing-webhooks', {
      url: 'http://hooks.example.jp/x',
      connectionId: '',
    });
    expect(http.status).toBe(400);
    expect(await http.text()).toContain('https:// で始まるURLを指定してください。');

    const created = await fx.admin.post('/outgoing-webhooks', {
      url: 'https://hooks.example.jp/renkei',
      connectionId: '',
      description: '監視',
    });
    expect(created.status).toBe(201);
    const secret = secretOf(await created.text()) as string;
    expect(secret).toMatch(/^whsec_/);
    expect(await (await fx.admin.get('/outgoing-webhooks')).text()).not.toContain(secret);

    // A run ends: its delivery is logged (the demo's network answers nothing, so it waits to retry).
    const actor = await adminId();
    const preview = await fx.hub.previews.create(actor, {
      connectionId: await fx.connectionId('jobcan'),
      direction: 'import',
    });
    const run = await fx.hub.runs.start(actor, {
      previewId: preview.id,
      selection: { all: { status: ['new', 'changed'] } },
    });
    for await (const _ of fx.hub.runs.watch(run.id)) {
      // until it ends
    }
    let log = '';
    for (let i = 0; i < 100 && !log.includes('data-delivery-status'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const deliveries = await fx.hub.webhooks.deliveries(actor);
      if (deliveries.items[0]?.attempts.length) log = await (await fx.admin.get('/outgoing-webhooks')).text();
    }
    expect(log).toContain('data-delivery-status="pending"');
    expect(log).toContain(`/runs/${run.id}`);

    const endpoint = (await fx.hub.webhooks.list(actor))[0];
    expect((await fx.admin.post(`/outgoing-webhooks/${endpoint?.id}/delete`)).status).toBe(302);
    expect(await fx.hub.webhooks.list(actor)).toEqual([]);
  });
});
