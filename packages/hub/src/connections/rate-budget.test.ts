import type { Clock, ConnectorLimits, RateBudgetSettle } from '@renkei/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../db/adapter.ts';
import { connections, rateBudgetStarts } from '../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../testing/database.ts';
import { createRateBudget } from './rate-budget.ts';

/** Ten a second, as the reference vendor: the budget keeps each window 100 ms longer (host clocks). */
const limits: ConnectorLimits = {
  rateLimits: [{ limit: 10, intervalMs: 1_000 }],
  concurrency: 1,
  writeBatchSize: 10,
};

/** Virtual time: a sleep moves it on at once (and lets a test act while the budget waits). */
interface VirtualClock extends Clock {
  time: number;
  sleeps: number;
}

function virtualClock(onSleep: () => Promise<void> = async () => {}): VirtualClock {
  const clock: VirtualClock = {
    time: 0,
    sleeps: 0,
    now: () => clock.time,
    async sleep(ms: number) {
      clock.time += ms;
      clock.sleeps++;
      await onSleep();
    },
  };
  return clock;
}

let testDb: TestDatabase;
let database: Database;
let connectionId: string;
beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await openDatabase(testDb.target);
  const [row] = await database.db
    .insert(connections)
    .values({
      connectorId: 'reference',
      displayName: 'budget',
      credentialsSealed: 'x',
      credentialKeys: [],
      fieldModes: {},
      createdBy: '00000000-0000-4000-8000-000000000000',
    })
    .returning();
  connectionId = (row as { id: string }).id;
});
beforeEach(async () => {
  await database.db.delete(rateBudgetStarts);
});
afterAll(async () => {
  await database.close();
  await testDb.drop();
});

describe('the shared rate budget counts a request until the vendor can have seen it', () => {
  it('a request answered late holds its slot for a window after its answer, not after its start', async () => {
    const clock = virtualClock();
    const budget = createRateBudget(database.db, connectionId, limits, clock);
    const settles: RateBudgetSettle[] = [];
    for (let i = 0; i < 10; i++) settles.push(await budget.take('write'));
    // The answers came back 500 ms later: the vendor may have counted all ten at 500.
    clock.time = 500;
    for (const settle of settles) await settle();
    clock.time = 1_100;
    await budget.take('write');
    // Counted from their starts they would have left the window at 1,100; the vendor's window runs to 1,500.
    expect(clock.now()).toBeGreaterThanOrEqual(1_500);
  });

  it('a request still in flight counts in every window until its answer', async () => {
    let settles: RateBudgetSettle[] = [];
    const clock = virtualClock(async () => {
      // The answers arrive while the next request waits.
      for (const settle of settles) await settle();
      settles = [];
    });
    const budget = createRateBudget(database.db, connectionId, limits, clock);
    for (let i = 0; i < 10; i++) settles.push(await budget.take('read'));
    clock.time = 5_000;
    await budget.take('read');
    expect(clock.sleeps).toBeGreaterThan(0);
    // Answered at 5,000 + one poll: the vendor's window from then has to pass first.
    expect(clock.now()).toBeGreaterThanOrEqual(6_000);
  });

  it('requests answered at once go at the full rate', async () => {
    const clock = virtualClock();
    const budget = createRateBudget(database.db, connectionId, limits, clock);
    for (let i = 0; i < 30; i++) await (await budget.take('read'))();
    // Ten, then ten after 1.1 s, then ten after 2.2 s.
    expect(clock.now()).toBe(2_200);
  });
});
