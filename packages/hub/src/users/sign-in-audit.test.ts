import { createVirtualClock, type Logger } from '@renkei/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAudit } from '../audit/audit.ts';
import { type Database, openDatabase } from '../db/adapter.ts';
import { createTestDatabase, type TestDatabase } from '../testing/database.ts';
import { ACCOUNT_POLICY, ADDRESS_POLICY } from './throttle.ts';
import { createAuth, createUsers, SignInThrottled, type User } from './users.ts';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const MINUTE = 60_000;
const PASSWORD = 'correct horse battery staple';
const clock = createVirtualClock(Date.UTC(2026, 3, 1), { autoAdvance: false });

let test: TestDatabase;
let database: Database;
let auth: ReturnType<typeof createAuth>;
let audit: ReturnType<typeof createAudit>;
let admin: User;
beforeAll(async () => {
  test = await createTestDatabase();
  database = await openDatabase(test.target);
  admin = await createUsers(database.db).bootstrap({
    email: 'admin@example.jp',
    name: '管理者',
    password: PASSWORD,
  });
  auth = createAuth(database.db, clock, quiet);
  audit = createAudit(database.db);
}, 300_000);
afterAll(async () => {
  await database?.close();
  await test?.drop();
});

const attempt = (email: string, password: string, client: string) =>
  auth.login(email, password, { client }).catch((error: unknown) => error);

/** The sign-in entries of the audit log, oldest first. */
const signInEntries = async () =>
  (await audit.list(1000))
    .filter((entry) => entry.actor === 'sign-in')
    .reverse()
    .map(({ action, target, details }) => ({ action, target, details }));

const inFifteenMinutes = () => new Date(clock.now() + 15 * MINUTE).toISOString();

describe('sign-in locks in the audit log', () => {
  it('records an account lock and the first attempt refused during it, with the account, address and end', async () => {
    // Ten wrong passwords, each once its wait is over; a wait (not a lock) is not audited.
    let failures = 0;
    while (failures < 10) {
      const error = await attempt('Admin@example.jp', 'wrong', `10.9.0.${failures}`);
      if (error instanceof SignInThrottled) {
        expect(error.locked).toBe(false);
        await clock.advance(error.until.getTime() - clock.now());
      } else failures += 1;
    }
    expect(await signInEntries()).toEqual([
      {
        action: 'sign_in.locked',
        target: `user:${admin.id}`,
        details: {
          scope: 'account',
          email: 'admin@example.jp',
          client: '10.9.0.9',
          until: inFifteenMinutes(),
        },
      },
    ]);
    const until = inFifteenMinutes();
    await clock.advance(MINUTE);
    expect(await attempt('admin@example.jp', PASSWORD, '10.8.0.1')).toMatchObject({ locked: true });
    // Further attempts during the same lock are refused and logged, but not audited again: anyone
    // could otherwise write to the audit table as fast as they can ask.
    expect(await attempt('admin@example.jp', PASSWORD, '10.8.0.2')).toMatchObject({ locked: true });
    expect((await signInEntries()).slice(1)).toEqual([
      {
        action: 'sign_in.refused',
        target: `user:${admin.id}`,
        details: { scopes: ['account'], email: 'admin@example.jp', client: '10.8.0.1', until },
      },
    ]);
    await clock.advance(15 * MINUTE);
    expect(await attempt('admin@example.jp', PASSWORD, '10.8.0.1')).not.toBeInstanceOf(Error);
  });

  it('records a client address lock and the first attempt refused during it, naming an account only when it exists', async () => {
    const before = (await signInEntries()).length;
    // A policy that locks sooner than ADDRESS_POLICY's 30 failures shows what a lock records: two
    // failures free, a 1 s wait, the third locks.
    const strict = createAuth(database.db, clock, quiet, undefined, {
      account: ACCOUNT_POLICY,
      address: { ...ADDRESS_POLICY, freeFailures: 2, lockAfter: 3 },
    });
    const attempt = (email: string, password: string, client: string) =>
      strict.login(email, password, { client }).catch((error: unknown) => error);
    for (const guess of ['guess1', 'guess2']) {
      expect(await attempt(`${guess}@example.jp`, 'wrong', '10.7.0.1')).toMatchObject({ kind: 'auth' });
    }
    expect(await attempt('nobody@example.jp', 'wrong', '10.7.0.1')).toMatchObject({ locked: false });
    await clock.advance(1_000);
    expect((await signInEntries()).length).toBe(before);
    expect(await attempt('nobody@example.jp', 'wrong', '10.7.0.1')).toMatchObject({ kind: 'auth' });
    const until = inFifteenMinutes();
    expect(await attempt('admin@example.jp', PASSWORD, '10.7.0.1')).toMatchObject({ locked: true });
    expect(await attempt('nobody@example.jp', 'wrong', '10.7.0.1')).toMatchObject({ locked: true });
    expect((await signInEntries()).slice(before)).toEqual([
      { action: 'sign_in.locked', target: null, details: { scope: 'address', client: '10.7.0.1', until } },
      {
        action: 'sign_in.refused',
        target: `user:${admin.id}`,
        details: { scopes: ['address'], email: 'admin@example.jp', client: '10.7.0.1', until },
      },
    ]);
  });
});
