import { createVirtualClock } from '@renkei/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../testing/hub.ts';
import type { User } from '../users/users.ts';

const clock = createVirtualClock(Date.parse('2026-04-01T00:00:00Z'), { autoAdvance: false });
let t: TestHub;
let member: User;
beforeAll(async () => {
  t = await startTestHub({ clock, worker: false });
  member = await t.hub.users.create(t.admin.id, {
    email: 'member@example.jp',
    name: 'メンバー',
    password: 'a long enough passphrase 1',
    role: 'member',
  });
});
afterAll(() => t.close());

describe('personal access tokens', () => {
  it('shows the token once, stores only its hash, and authenticates it as its user and scope', async () => {
    const issued = await t.hub.apiTokens.create(t.admin.id, {
      userId: t.admin.id,
      name: 'nightly',
      scope: 'sync',
    });
    expect(issued.token).toMatch(/^rk_[A-Za-z0-9_-]{43}$/);
    expect(issued.info).toMatchObject({ name: 'nightly', scope: 'sync', prefix: issued.token.slice(0, 9) });
    expect(JSON.stringify(await t.hub.apiTokens.list(t.admin.id))).not.toContain(issued.token.slice(9));
    const auth = await t.hub.apiTokens.authenticate(issued.token);
    expect(auth).toMatchObject({ user: { id: t.admin.id }, token: { id: issued.info.id, scope: 'sync' } });
    expect(await t.hub.apiTokens.authenticate(`${issued.token}x`)).toBeNull();
    expect(await t.hub.apiTokens.authenticate('not-a-token')).toBeNull();
  });

  it('refuses a sync token for a member, and a member issuing tokens', async () => {
    await expect(
      t.hub.apiTokens.create(t.admin.id, { userId: member.id, name: 'm', scope: 'sync' }),
    ).rejects.toMatchObject({ kind: 'validation' });
    await expect(
      t.hub.apiTokens.create(member.id, { userId: member.id, name: 'm', scope: 'read' }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
    const read = await t.hub.apiTokens.create(t.admin.id, { userId: member.id, name: 'm', scope: 'read' });
    expect((await t.hub.apiTokens.authenticate(read.token))?.user.role).toBe('member');
  });

  it('stops authenticating once revoked or expired, and audits issue and revoke', async () => {
    const revoked = await t.hub.apiTokens.create(t.admin.id, {
      userId: t.admin.id,
      name: 'r',
      scope: 'read',
    });
    await t.hub.apiTokens.revoke(t.admin.id, revoked.info.id);
    expect(await t.hub.apiTokens.authenticate(revoked.token)).toBeNull();
    const expiring = await t.hub.apiTokens.create(t.admin.id, {
      userId: t.admin.id,
      name: 'e',
      scope: 'read',
      expiresAt: new Date(clock.now() + 60_000),
    });
    expect(await t.hub.apiTokens.authenticate(expiring.token)).not.toBeNull();
    await clock.advance(60_000);
    expect(await t.hub.apiTokens.authenticate(expiring.token)).toBeNull();
    await expect(
      t.hub.apiTokens.create(t.admin.id, {
        userId: t.admin.id,
        name: 'past',
        scope: 'read',
        expiresAt: new Date(0),
      }),
    ).rejects.toMatchObject({ kind: 'validation' });
    const audit = await t.hub.audit.list();
    expect(
      audit.filter((entry) => entry.target === `api_token:${revoked.info.id}`).map((e) => e.action),
    ).toEqual(['api_token.revoke', 'api_token.create']);
  });

  it('stops authenticating a deactivated user’s token', async () => {
    const colleague = await t.hub.users.create(t.admin.id, {
      email: 'c@example.jp',
      name: '同僚',
      password: 'a long enough passphrase 2',
      role: 'member',
    });
    const issued = await t.hub.apiTokens.create(t.admin.id, {
      userId: colleague.id,
      name: 'c',
      scope: 'read',
    });
    await t.hub.users.deactivate(t.admin.id, colleague.id);
    expect(await t.hub.apiTokens.authenticate(issued.token)).toBeNull();
  });
});
