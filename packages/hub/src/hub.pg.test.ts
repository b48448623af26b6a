// createHub failing part way (here: the queue refuses its options after the database, the migrations
// and pg-boss are up) closes what it opened: no connection to the database is left behind.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHub } from './hub.ts';
import { createTestDatabase, type TestDatabase } from './testing/database.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

async function connectionsTo(url: string): Promise<number> {
  const name = new URL(url).pathname.slice(1);
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query(
      'select count(*)::int as n from pg_stat_activity where datname = $1',
      [name],
    );
    return rows[0].n;
  } finally {
    await client.end();
  }
}

describe('createHub', () => {
  it('closes the database and the queue when starting fails part way', async () => {
    const url = (database.target as { databaseUrl: string }).databaseUrl;
    const options = { databaseUrl: url, connectors: [], secretKey: Buffer.alloc(32, 1).toString('base64') };
    await expect(createHub({ ...options, heartbeatSeconds: 1 })).rejects.toThrow(/heartbeatSeconds/);
    await expect.poll(() => connectionsTo(url), { timeout: 5_000 }).toBe(0);

    const hub = await createHub(options);
    expect(await connectionsTo(url)).toBeGreaterThan(0);
    expect(await hub.users.needsBootstrap()).toBe(true);
    await hub.close();
    await expect.poll(() => connectionsTo(url), { timeout: 5_000 }).toBe(0);
  });
});
