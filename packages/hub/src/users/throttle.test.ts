import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVirtualClock, type Logger } from '@renkei/core';
import { afterAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../db/adapter.ts';
import { createTestDatabase } from '../testing/database.ts';
import { ACCOUNT_POLICY, ADDRESS_POLICY, afterFailure, type ThrottleEntry, verdictOf } from './throttle.ts';
import { createAuth, SignInThrottled } from './users.ts';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const MINUTE = 60_000;

/** Ten wrong passwords for one (unknown) account, each once its wait is over. */
async function failTenTimes(
  login: (email: string, password: string, options: { client: string }) => Promise<unknown>,
  clock: ReturnType<typeof createVirtualClock>,
): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const error = await login('someone@example.jp', 'wrong', { client: `10.9.0.${i}` }).catch((e) => e);
    if (error instanceof SignInThrottled) {
      await clock.advance(error.until.getTime() - clock.now());
      i -= 1;
    }
  }
}

describe('sign-in throttle counters', () => {
  const opened: Database[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    for (const database of opened) await database.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('are shared by every process on the database: a lock made by one refuses in another', async () => {
    const clock = createVirtualClock(Date.UTC(2026, 3, 1), { autoAdvance: false });
    const test = await createTestDatabase();
    const database = await openDatabase(test.target);
    opened.push(database);
    const first = createAuth(database.db, clock, quiet);
    const second = createAuth(database.db, clock, quiet);
    await failTenTimes(first.login, clock);
    const refused = await second.login('someone@example.jp', 'wrong', { client: '10.8.0.1' }).catch((e) => e);
    expect(refused).toBeInstanceOf(SignInThrottled);
    expect(refused).toMatchObject({ locked: true });
    expect((refused as SignInThrottled).until.getTime()).toBe(clock.now() + 15 * MINUTE);
  });

  it('outlive a restart of the embedded database', async () => {
    const clock = createVirtualClock(Date.UTC(2026, 3, 1), { autoAdvance: false });
    const dir = mkdtempSync(join(tmpdir(), 'renkei-throttle-'));
    dirs.push(dir);
    const before = await openDatabase({ dataDir: dir });
    await failTenTimes(createAuth(before.db, clock, quiet).login, clock);
    await before.close();
    const after = await openDatabase({ dataDir: dir });
    opened.push(after);
    const refused = await createAuth(after.db, clock, quiet)
      .login('someone@example.jp', 'wrong', { client: '10.8.0.2' })
      .catch((e) => e);
    expect(refused).toMatchObject({ locked: true });
  }, 120_000);
});

describe('throttle policy', () => {
  it('forgets failures older than the window, but not a lock still running', () => {
    const now = Date.UTC(2026, 3, 1);
    let entry = afterFailure(undefined, ACCOUNT_POLICY, now);
    for (let i = 0; i < 4; i++) entry = afterFailure(entry, ACCOUNT_POLICY, now);
    expect(verdictOf(entry, ACCOUNT_POLICY, now)).toMatchObject({ allowed: false, locked: false });
    expect(verdictOf(entry, ACCOUNT_POLICY, now + 16 * MINUTE)).toEqual({ allowed: true });
    expect(afterFailure(entry, ACCOUNT_POLICY, now + 16 * MINUTE).failures).toBe(1);
    const locked = { failures: 0, lastFailureAt: now, lockedUntil: now + 20 * MINUTE };
    expect(verdictOf(locked, ACCOUNT_POLICY, now + 19 * MINUTE)).toMatchObject({
      allowed: false,
      locked: true,
    });
  });

  it('locks a client that waits out every delay: waits stop growing well inside the window', () => {
    let now = Date.UTC(2026, 3, 1);
    let entry: ThrottleEntry | undefined;
    let attempts = 0;
    for (;;) {
      const verdict = verdictOf(entry, ADDRESS_POLICY, now);
      if (!verdict.allowed && verdict.locked) break;
      if (!verdict.allowed) {
        expect(verdict.until.getTime() - now).toBeLessThanOrEqual(ADDRESS_POLICY.maxDelayMs);
        now = verdict.until.getTime();
        continue;
      }
      entry = afterFailure(entry, ADDRESS_POLICY, now);
      attempts += 1;
      expect(attempts).toBeLessThanOrEqual(ADDRESS_POLICY.lockAfter);
    }
    expect(attempts).toBe(ADDRESS_POLICY.lockAfter);
  });
});
