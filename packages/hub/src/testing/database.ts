// Test support: a fresh database per test file, on the backend the vitest project names.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseTarget } from '../db/adapter.ts';

export const testBackend = process.env.RENKEI_TEST_BACKEND === 'postgres' ? 'postgres' : 'pglite';

export interface TestDatabase {
  target: DatabaseTarget;
  /** Drops the server database (PGlite in memory needs nothing). */
  drop(): Promise<void>;
}

/** A server database, as a URL, and how to drop it afterwards. */
export interface ServerDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new database named `<prefix>_<random>` on the server at DATABASE_URL (with-postgres.sh sets it). */
export async function createServerDatabase(prefix: string): Promise<ServerDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('the pg test project needs DATABASE_URL (run it through with-postgres.sh)');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** PGlite in memory, or a new database on the server at DATABASE_URL (dropped afterwards). */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testBackend === 'pglite') return { target: { inMemory: true }, drop: async () => {} };
  const database = await createServerDatabase('hub_test');
  return { target: { databaseUrl: database.url }, drop: database.drop };
}
