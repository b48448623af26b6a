// ユーザー管理 in the hub: roles, password resets, deactivation, the last-admin rule, the audit log.
import { createVirtualClock } from '@renkei/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestHub, type TestHub } from '../testing/hub.ts';

const clock = createVirtualClock(Date.UTC(2026, 3, 1));
let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({ clock });
});
afterAll(() => t.close());

const member = (email: string) =>
  t.hub.users.create(t.admin.id, { email, name: '一般 社員', password: 'member password 1', role: 'member' });

describe('user management', () => {
  it('refuses a password resembling the e-mail or name, on create and on reset', async () => {
    await expect(
      t.hub.users.create(t.admin.id, {
        email: 'kenji.tanaka@example.jp',
        name: '田中 健二',
        password: 'kenji.tanaka-2026',
        role: 'member',
      }),
    ).rejects.toMatchObject({ kind: 'validation', issues: [{ field: 'password' }] });
    const user = await member('reset-policy@example.jp');
    await expect(
      t.hub.users.update(t.admin.id, user.id, { password: 'reset-policy-1' }),
    ).rejects.toMatchObject({
      kind: 'validation',
      issues: [{ field: 'password' }],
    });
  });

  it('keeps one active admin: the last can be neither demoted nor deactivated', async () => {
    await expect(t.hub.users.update(t.admin.id, t.admin.id, { role: 'member' })).rejects.toMatchObject({
      kind: 'conflict',
    });
    await expect(t.hub.users.deactivate(t.admin.id, t.admin.id)).rejects.toMatchObject({ kind: 'conflict' });
    const second = await t.hub.users.create(t.admin.id, {
      email: 'second-admin@example.jp',
      name: '二人目',
      password: 'another long secret',
      role: 'admin',
    });
    // With a second admin, the first may step down; then the second is the last one.
    expect((await t.hub.users.update(t.admin.id, t.admin.id, { role: 'member' })).role).toBe('member');
    await expect(t.hub.users.deactivate(second.id, second.id)).rejects.toMatchObject({ kind: 'conflict' });
    await t.hub.users.update(second.id, t.admin.id, { role: 'admin' });
  });

  it('refuses two concurrent demotions that would leave no admin', async () => {
    const other = await t.hub.users.create(t.admin.id, {
      email: 'race-admin@example.jp',
      name: '競争',
      password: 'another long secret',
      role: 'admin',
    });
    const active = (await t.hub.users.list()).filter((u) => u.role === 'admin' && u.deactivatedAt === null);
    // Every active admin but `t.admin` and `other` steps down first, so exactly two remain.
    for (const user of active) {
      if (user.id !== t.admin.id && user.id !== other.id) await t.hub.users.deactivate(t.admin.id, user.id);
    }
    const results = await Promise.allSettled([
      t.hub.users.update(t.admin.id, other.id, { role: 'member' }),
      t.hub.users.update(other.id, t.admin.id, { role: 'member' }),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const admins = (await t.hub.users.list()).filter((u) => u.role === 'admin' && u.deactivatedAt === null);
    expect(admins).toHaveLength(1);
    // Restore: t.admin is the admin again for the tests below.
    const [survivor] = admins;
    if (survivor && survivor.id !== t.admin.id)
      await t.hub.users.update(survivor.id, t.admin.id, { role: 'admin' });
  });

  it('deactivating signs the user out and refuses their sign-in; reactivating restores it', async () => {
    const user = await member('leaver@example.jp');
    const session = await t.hub.auth.login('leaver@example.jp', 'member password 1');
    await t.hub.users.deactivate(t.admin.id, user.id);
    expect(await t.hub.auth.session(session.token)).toBeNull();
    await expect(t.hub.auth.login('leaver@example.jp', 'member password 1')).rejects.toMatchObject({
      kind: 'auth',
    });
    expect((await t.hub.users.get(user.id))?.deactivatedAt).toBeInstanceOf(Date);
    await t.hub.users.reactivate(t.admin.id, user.id);
    expect((await t.hub.auth.login('leaver@example.jp', 'member password 1')).user.id).toBe(user.id);
  });

  it('a password reset ends the sessions and the new password works', async () => {
    const user = await member('forgetful@example.jp');
    const session = await t.hub.auth.login('forgetful@example.jp', 'member password 1');
    await t.hub.users.update(t.admin.id, user.id, { password: 'a brand new phrase' });
    expect(await t.hub.auth.session(session.token)).toBeNull();
    expect((await t.hub.auth.login('forgetful@example.jp', 'a brand new phrase')).user.id).toBe(user.id);
  });

  it('only active admins manage users', async () => {
    const user = await member('plain@example.jp');
    await expect(t.hub.users.deactivate(user.id, t.admin.id)).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(t.hub.users.update(user.id, user.id, { role: 'admin' })).rejects.toMatchObject({
      kind: 'forbidden',
    });
  });

  it('records every change in the audit log, never a password', async () => {
    const user = await member('audited@example.jp');
    await t.hub.users.update(t.admin.id, user.id, { role: 'admin', name: '監査 対象' });
    await t.hub.users.update(t.admin.id, user.id, { password: 'yet another phrase' });
    await t.hub.users.deactivate(t.admin.id, user.id);
    const entries = (await t.hub.audit.list(1000)).filter((entry) => entry.target === `user:${user.id}`);
    expect(entries.map((entry) => entry.action).reverse()).toEqual([
      'user.create',
      'user.update',
      'user.password_reset',
      'user.deactivate',
    ]);
    expect(entries.every((entry) => entry.actor === `user:${t.admin.id}`)).toBe(true);
    expect(entries.find((entry) => entry.action === 'user.update')?.details).toEqual({
      name: { before: '一般 社員', after: '監査 対象' },
      role: { before: 'member', after: 'admin' },
    });
    expect(JSON.stringify(entries)).not.toContain('yet another phrase');
    const setup = (await t.hub.audit.list(1000))
      .filter((entry) => entry.target === `user:${t.admin.id}`)
      .at(-1);
    expect(setup).toMatchObject({ actor: 'setup', action: 'setup.first_admin' });
  });

  it('the operator creates users from the terminal, audited as cli', async () => {
    const user = await t.hub.users.createByOperator({
      email: 'ops@example.jp',
      name: '運用',
      password: 'terminal typed phrase',
      role: 'admin',
    });
    const [entry] = (await t.hub.audit.list(1000)).filter((e) => e.target === `user:${user.id}`);
    expect(entry).toMatchObject({ actor: 'cli', action: 'user.create' });
  });

  it('signs in still works for the original admin', async () => {
    expect((await t.hub.auth.login('admin@example.jp', ADMIN_PASSWORD)).user.role).toBe('admin');
  });
});
