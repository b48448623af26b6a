// The shared rate budget under contention on a real PostgreSQL server: three "processes" (each its
// own pool), each sending one request at a time, take from one connection's budget; now and then a
// request reaches the "vendor" 150–400 ms after the budget let it go (a stalled event loop, a slow
// network), and the vendor counts arrivals, as the fakes and the real vendors do.
import { setTimeout as sleep } from 'node:timers/promises';
import { type ConnectorLimits, systemClock } from '@renkei/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../db/adapter.ts';
import { connections } from '../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../testing/database.ts';
import { createRateBudget } from './rate-budget.ts';

const limits: ConnectorLimits = {
  rateLimits: [{ limit: 10, intervalMs: 1_000 }],
  concurrency: 2,
  writeBatchSize: 10,
};

let testDb: TestDatabase;
const databases: Database[] = [];
let connectionId: string;
beforeAll(async () => {
  testDb = await createTestDatabase();
  for (let i = 0; i < 3; i++) databases.push(await openDatabase(testDb.target));
  const [row] = await (databases[0] as Database).db
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
afterAll(async () => {
  for (const database of databases) await database.close();
  await testDb.drop();
});

/** A seeded generator, so a failing run can be replayed. */
function seeded(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('the shared rate budget under contention', () => {
  it('three takers on three pools, one request in four arriving up to 400 ms late: never more than the limit in a vendor window', async () => {
    const random = seeded(14);
    const arrivals: number[] = [];
    const perTaker = 25;
    const takers = databases.map(async (database) => {
      const budget = createRateBudget(database.db, connectionId, limits, systemClock);
      for (let i = 0; i < perTaker; i++) {
        const settle = await budget.take('write');
        await sleep(random() < 0.25 ? 150 + Math.floor(random() * 250) : Math.floor(random() * 10));
        arrivals.push(Date.now());
        await sleep(Math.floor(random() * 20));
        await settle();
      }
    });
    await Promise.all(takers);
    arrivals.sort((a, b) => a - b);
    expect(arrivals).toHaveLength(3 * perTaker);
    // The vendor's window holds the arrivals of the last 1,000 ms: the 11th after any arrival
    // must come a full second later.
    const crowded = arrivals.flatMap((at, i) => {
      const eleventh = arrivals[i + 10];
      return eleventh !== undefined && eleventh - at < 1_000 ? [[at, eleventh]] : [];
    });
    expect(crowded).toEqual([]);
  }, 120_000);
});
