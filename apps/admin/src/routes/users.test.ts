// ユーザー管理 and the set-up page through the app (the hub's rules are tested in the hub).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../testing/client.ts';
import { type AppFixture, createAppFixture } from '../testing/fixture.ts';

let fx: AppFixture;
beforeAll(async () => {
  fx = await createAppFixture({ worker: false });
});
afterAll(() => fx.close());

const flashOf = (response: Response) =>
  decodeURIComponent(
    response.headers
      .getSetCookie()
      .find((line) => line.startsWith('renkei_flash='))
      ?.split(';')[0]
      ?.slice('renkei_flash='.length) ?? '',
  );

describe('ユーザー管理', () => {
  it('is for admins: a member gets 403 and no menu entry', async () => {
    expect((await fx.member.get('/users')).status).toBe(403);
    expect((await fx.member.post('/users', { name: 'x', email: 'x@example.jp', password: 'x' })).status).toBe(
      403,
    );
    expect(await (await fx.member.get('/connections')).text()).not.toContain('ユーザー管理');
    const page = await (await fx.admin.get('/users')).text();
    expect(page).toContain('<title>ユーザー管理 | Renkei</title>');
    expect(page).toContain('admin@example.jp');
    expect(page).toContain('member@example.jp');
  });

  it('adds a member who can then sign in', async () => {
    const response = await fx.admin.post('/users', {
      name: '新人 三郎',
      email: 'saburo@example.jp',
      role: 'member',
      password: 'welcome to the team',
    });
    expect(response.status).toBe(302);
    expect(flashOf(response)).toContain('新人 三郎（saburo@example.jp）を追加しました。');
    await signIn(fx.app, 'saburo@example.jp', 'welcome to the team');
    expect((await fx.hub.users.list()).find((user) => user.email === 'saburo@example.jp')?.role).toBe(
      'member',
    );
  });

  it('shows a refused password beside its field, accessibly, without echoing it', async () => {
    const response = await fx.admin.post('/users', {
      name: '短い 四郎',
      email: 'shiro@example.jp',
      role: 'member',
      password: 'shiro-2026',
    });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toMatch(/id="f-password"[^>]*aria-invalid="true" aria-describedby="f-password-error"/);
    expect(page).toContain('id="f-password-error"');
    expect(page).toContain('パスワードは12文字以上にしてください。');
    expect(page).not.toContain('shiro-2026');
    expect(page).toContain('value="shiro@example.jp"');
  });

  it('refuses to demote the last admin, with the reason', async () => {
    const admin = (await fx.hub.users.list()).find((user) => user.email === 'admin@example.jp');
    const response = await fx.admin.post(`/users/${admin?.id}/role`, { role: 'member' });
    expect(response.status).toBe(302);
    expect(flashOf(response)).toContain('有効な管理者が1人だけのため');
    expect((await fx.hub.users.get(admin?.id ?? ''))?.role).toBe('admin');
  });

  it('resets a password and deactivates a user, who is signed out', async () => {
    const user = await fx.hub.users.create((await fx.hub.users.list())[0]?.id ?? '', {
      email: 'goro@example.jp',
      name: '退職 五郎',
      password: 'goro has a long one',
      role: 'member',
    });
    const goro = await signIn(fx.app, 'goro@example.jp', 'goro has a long one');
    expect((await fx.admin.get(`/users/${user.id}/password`)).status).toBe(200);
    const reset = await fx.admin.post(`/users/${user.id}/password`, { password: 'a fresh start for him' });
    expect(flashOf(reset)).toContain('パスワードを再設定しました');
    expect((await goro.get('/connections')).status).toBe(302);
    const goroAgain = await signIn(fx.app, 'goro@example.jp', 'a fresh start for him');
    const deactivated = await fx.admin.post(`/users/${user.id}/deactivate`);
    expect(flashOf(deactivated)).toContain('無効にしました');
    expect((await goroAgain.get('/connections')).status).toBe(302);
    expect((await fx.admin.get('/users')).status).toBe(200);
    expect((await fx.admin.get('/users/00000000-0000-4000-8000-000000000000/password')).status).toBe(404);
    expect((await fx.admin.get('/users/not-a-uuid/password')).status).toBe(404);
  });
});

describe('set-up page and readiness', () => {
  it('refuses any token once users exist', async () => {
    const response = await fx.app.request('/setup?token=anything');
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('初期設定リンクが無効です');
  });

  it('/readyz says 503 when this process should work the queue but does not', async () => {
    const response = await fx.app.request('/readyz');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      ready: false,
      database: true,
      migrations: true,
      worker: 'off',
    });
  });
});
