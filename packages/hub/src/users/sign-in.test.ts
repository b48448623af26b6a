import { createVirtualClock, type Logger } from '@renkei/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestHub, type TestHub } from '../testing/hub.ts';
import { SignInThrottled } from './users.ts';

const clock = createVirtualClock(Date.UTC(2026, 3, 1), { autoAdvance: false });
const audit: { message: string; data: Record<string, unknown> | undefined }[] = [];
const logger: Logger = {
  debug() {},
  info: (message, data) => audit.push({ message, data }),
  warn: (message, data) => audit.push({ message, data }),
  error() {},
};
let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({ clock, logger, session: { idleMs: 30 * 60_000, absoluteMs: 8 * 3_600_000 } });
}, 300_000);
afterAll(() => t.close());

const MINUTE = 60_000;

/** What an attempt answers: `ok`, `auth` (wrong) or `throttled` with its end and whether locked. */
async function attempt(email: string, password: string, client: string) {
  try {
    await t.hub.auth.login(email, password, { client });
    return { kind: 'ok' as const };
  } catch (error) {
    if (error instanceof SignInThrottled) {
      return {
        kind: 'throttled' as const,
        waitMs: error.until.getTime() - clock.now(),
        locked: error.locked,
      };
    }
    return { kind: (error as { kind: string }).kind };
  }
}

describe('sign-in throttling', () => {
  it('slows an account with growing waits, then locks it until a time it names, and audits it', async () => {
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await attempt('admin@example.jp', 'wrong!!', '10.0.0.1'));
    expect(answers.map((a) => a.kind)).toEqual(['auth', 'auth', 'auth']);
    // The fourth attempt waits 1 s; even the right password is refused before it.
    expect(await attempt('admin@example.jp', ADMIN_PASSWORD, '10.0.0.2')).toEqual({
      kind: 'throttled',
      waitMs: 1_000,
      locked: false,
    });
    const waits: number[] = [];
    for (let failures = 4; failures <= 10; failures++) {
      const refused = await attempt('admin@example.jp', 'wrong!!', '10.0.0.3');
      expect(refused.kind).toBe('throttled');
      waits.push((refused as { waitMs: number }).waitMs);
      await clock.advance((refused as { waitMs: number }).waitMs);
      expect((await attempt('admin@example.jp', 'wrong!!', '10.0.0.3')).kind).toBe('auth');
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000]);
    const locked = await attempt('admin@example.jp', ADMIN_PASSWORD, '10.0.0.4');
    expect(locked).toEqual({ kind: 'throttled', waitMs: 15 * MINUTE, locked: true });
    expect(audit.some((entry) => entry.message === 'sign-in locked')).toBe(true);
    expect(audit.filter((entry) => entry.message === 'sign-in failed').length).toBeGreaterThanOrEqual(10);
    await clock.advance(15 * MINUTE);
    expect((await attempt('admin@example.jp', ADMIN_PASSWORD, '10.0.0.4')).kind).toBe('ok');
  });

  it('answers the same for an address that has no account', async () => {
    const ghost = [];
    for (let i = 0; i < 4; i++) ghost.push(await attempt('nobody@example.jp', 'wrong!!', '10.1.0.1'));
    const real = [];
    for (let i = 0; i < 4; i++) real.push(await attempt('admin@example.jp', 'wrong!!', '10.1.0.2'));
    expect(ghost).toEqual(real);
    await clock.advance(20 * MINUTE);
  });

  it('throttles one client address trying many accounts', async () => {
    const kinds = [];
    for (let i = 0; i < 11; i++) kinds.push((await attempt(`guess${i}@example.jp`, 'x', '10.2.0.1')).kind);
    expect(kinds.slice(0, 10)).toEqual(Array(10).fill('auth'));
    expect(kinds[10]).toBe('throttled');
    // Another address is not held back.
    expect((await attempt('admin@example.jp', ADMIN_PASSWORD, '10.2.0.2')).kind).toBe('ok');
    await clock.advance(20 * MINUTE);
  });

  it('counts a burst of parallel attempts one by one: no more guesses than one at a time gets', async () => {
    const burst = await Promise.all(
      Array.from({ length: 20 }, () => attempt('admin@example.jp', 'wrong!!', '10.3.0.1')),
    );
    const kinds = burst.map((answer) => answer.kind);
    expect(kinds.filter((kind) => kind === 'auth')).toHaveLength(3);
    expect(kinds.filter((kind) => kind === 'throttled')).toHaveLength(17);
    await clock.advance(20 * MINUTE);
    expect((await attempt('admin@example.jp', ADMIN_PASSWORD, '10.3.0.2')).kind).toBe('ok');
  });
});

describe('sessions', () => {
  it('end after the idle time unused, and move on while used', async () => {
    const { token } = await t.hub.auth.login('admin@example.jp', ADMIN_PASSWORD);
    await clock.advance(29 * MINUTE);
    expect(await t.hub.auth.session(token)).not.toBeNull();
    await clock.advance(29 * MINUTE);
    expect(await t.hub.auth.session(token)).not.toBeNull();
    await clock.advance(31 * MINUTE);
    expect(await t.hub.auth.session(token)).toBeNull();
  });

  it('end at the absolute limit however busy', async () => {
    const { token, expiresAt } = await t.hub.auth.login('admin@example.jp', ADMIN_PASSWORD);
    expect(expiresAt.getTime()).toBe(clock.now() + 8 * 3_600_000);
    for (let i = 0; i < 16; i++) {
      expect(await t.hub.auth.session(token), `after ${i * 25} minutes`).not.toBeNull();
      await clock.advance(25 * MINUTE);
    }
    await clock.advance(80 * MINUTE);
    expect(await t.hub.auth.session(token)).toBeNull();
  });

  it('signing in again ends the session it replaces', async () => {
    const first = await t.hub.auth.login('admin@example.jp', ADMIN_PASSWORD);
    const second = await t.hub.auth.login('admin@example.jp', ADMIN_PASSWORD, { replacing: first.token });
    expect(await t.hub.auth.session(first.token)).toBeNull();
    expect(await t.hub.auth.session(second.token)).not.toBeNull();
  });
});

describe('sessions with a short idle time', () => {
  let short: TestHub;
  beforeAll(async () => {
    short = await startTestHub({ clock, logger, session: { idleMs: MINUTE, absoluteMs: 8 * 3_600_000 } });
  }, 300_000);
  afterAll(() => short?.close());

  it('live on while used within it (not ended by when they began)', async () => {
    const { token } = await short.hub.auth.login('admin@example.jp', ADMIN_PASSWORD);
    await clock.advance(30_000);
    expect(await short.hub.auth.session(token)).not.toBeNull();
    // 80 s after sign-in, 50 s after its last use: still within the minute.
    await clock.advance(50_000);
    expect(await short.hub.auth.session(token)).not.toBeNull();
    await clock.advance(61_000);
    expect(await short.hub.auth.session(token)).toBeNull();
  });
});
