import { afterAll, beforeAll } from 'vitest';
import { type Database, openDatabase } from '../db/adapter.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

/**
 * A database of the test file's own (the suite's backend), opened before its tests and closed and
 * dropped after them. Call at the top of the file; the returned function gives the open database.
 */
export function databasePerFile(): () => Database {
  let test: TestDatabase | undefined;
  let database: Database | undefined;
  beforeAll(async () => {
    test = await createTestDatabase();
    database = await openDatabase(test.target);
  });
  afterAll(async () => {
    await database?.close();
    await test?.drop();
  });
  return () => {
    if (!database) throw new Error('the database opens before the tests run');
    return database;
  };
}
