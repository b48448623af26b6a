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

/** PGlite in memory, or a new database on the server at DATABASE_URL (dropped afterwards). */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testBackend === 'pglite') return { target: { inMemory: true }, drop: async () => {} };
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('the pg test project needs DATABASE_URL (run it through with-postgres.sh)');
  const name = `hub_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    target: { databaseUrl: url.toString() },
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
