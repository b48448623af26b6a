// The one-time set-up link: random, hashed, an hour long, single use, only while no user exists.
import { createVirtualClock } from '@renkei/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHub, type Hub } from '../hub.ts';
import { createTestDatabase, type TestDatabase } from '../testing/database.ts';

const clock = createVirtualClock(Date.UTC(2026, 3, 1));
let database: TestDatabase;
let hub: Hub;
beforeAll(async () => {
  database = await createTestDatabase();
  hub = await createHub({
    ...database.target,
    connectors: [],
    clock,
    worker: false,
    secretKey: Buffer.alloc(32, 1).toString('base64'),
  });
});
afterAll(async () => {
  await hub.close();
  await database.drop();
});

const first = { email: 'first@example.jp', name: '最初 の人', password: 'first admin phrase' };

describe('set-up link', () => {
  it('expires after an hour', async () => {
    const link = await hub.setup.issue();
    if (!link) throw new Error('no link issued');
    expect(link.expiresAt.getTime() - clock.now()).toBe(60 * 60 * 1000);
    expect(await hub.setup.isValid(link.token)).toBe(true);
    await clock.advance(60 * 60 * 1000 + 1);
    expect(await hub.setup.isValid(link.token)).toBe(false);
    await expect(hub.setup.complete(link.token, first)).rejects.toMatchObject({ kind: 'auth' });
    expect(await hub.users.needsBootstrap()).toBe(true);
  });

  it('refuses an unknown token and keeps a link usable after a refused password', async () => {
    const link = await hub.setup.issue();
    if (!link) throw new Error('no link issued');
    await expect(hub.setup.complete('not-a-token', first)).rejects.toMatchObject({ kind: 'auth' });
    await expect(hub.setup.complete(link.token, { ...first, password: 'short' })).rejects.toMatchObject({
      kind: 'validation',
    });
    expect(await hub.setup.isValid(link.token)).toBe(true);
  });

  it('creates the first admin once; the link and any other link are spent', async () => {
    const [a, b] = [await hub.setup.issue(), await hub.setup.issue()];
    if (!a || !b) throw new Error('no link issued');
    const results = await Promise.allSettled([
      hub.setup.complete(a.token, first),
      hub.setup.complete(b.token, { ...first, email: 'rival@example.jp' }),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect((await hub.users.list()).map((user) => user.role)).toEqual(['admin']);
    expect(await hub.setup.isValid(a.token)).toBe(false);
    expect(await hub.setup.isValid(b.token)).toBe(false);
    for (const link of [a, b]) {
      const refused = await hub.setup.complete(link.token, first).catch((error: unknown) => error);
      expect(refused).toMatchObject({ kind: expect.stringMatching(/^(auth|conflict)$/) });
    }
    expect(await hub.setup.issue()).toBeUndefined();
  });
});
