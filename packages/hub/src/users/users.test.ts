import { createVirtualClock } from '@renkei/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestHub, type TestHub } from '../testing/hub.ts';

const clock = createVirtualClock(Date.UTC(2026, 3, 1));
let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({ clock });
});
afterAll(() => t.close());

describe('users and sessions', () => {
  it('bootstraps the first admin once', async () => {
    expect(t.admin.role).toBe('admin');
    expect(await t.hub.users.needsBootstrap()).toBe(false);
    await expect(
      t.hub.users.bootstrap({
        email: 'second@example.jp',
        name: '二人目',
        password: 'another long password',
      }),
    ).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('signs in with the password and refuses a wrong one', async () => {
    const session = await t.hub.auth.login('ADMIN@example.jp ', ADMIN_PASSWORD);
    expect(session.user).toMatchObject({ id: t.admin.id, role: 'admin' });
    expect(session.user).not.toHaveProperty('passwordHash');
    expect((await t.hub.auth.session(session.token))?.user.id).toBe(t.admin.id);
    await expect(t.hub.auth.login('admin@example.jp', 'wrong password!!')).rejects.toMatchObject({
      kind: 'auth',
    });
    await expect(t.hub.auth.login('nobody@example.jp', ADMIN_PASSWORD)).rejects.toMatchObject({
      kind: 'auth',
    });
  });

  it('expires sessions and ends them on logout', async () => {
    const first = await t.hub.auth.login('admin@example.jp', ADMIN_PASSWORD);
    await clock.advance(13 * 60 * 60 * 1000);
    expect(await t.hub.auth.session(first.token)).toBeNull();
    const second = await t.hub.auth.login('admin@example.jp', ADMIN_PASSWORD);
    await t.hub.auth.logout(second.token);
    expect(await t.hub.auth.session(second.token)).toBeNull();
  });

  it('lets only admins manage users; members can sign in', async () => {
    const member = await t.hub.users.create(t.admin.id, {
      email: 'member@example.jp',
      name: '一般',
      password: 'member password 1',
      role: 'member',
    });
    await expect(
      t.hub.users.create(member.id, {
        email: 'x@example.jp',
        name: 'x',
        password: 'xxxxxxxxxxxx',
        role: 'admin',
      }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
    expect((await t.hub.auth.login('member@example.jp', 'member password 1')).user.role).toBe('member');
    await expect(
      t.hub.users.create(t.admin.id, {
        email: 'member@example.jp',
        name: '重複',
        password: 'member password 2',
        role: 'member',
      }),
    ).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('refuses short passwords with a field issue', async () => {
    await expect(
      t.hub.users.create(t.admin.id, {
        email: 'short@example.jp',
        name: '短い',
        password: 'short',
        role: 'member',
      }),
    ).rejects.toMatchObject({ kind: 'validation', issues: [{ field: 'password' }] });
  });
});
