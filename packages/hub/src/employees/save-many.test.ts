// The CSV import's bulk write: a 社員番号 created by someone else after the import read (and locked)
// its batch must not be overwritten by the import.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../db/adapter.ts';
import { employeeChanges } from '../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../testing/database.ts';
import { createEmployeeStore, validateEmployee } from './store.ts';

let testDb: TestDatabase;
let database: Database;
beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await openDatabase(testDb.target);
});
afterAll(async () => {
  await database.close();
  await testDb.drop();
});

describe('saveMany', () => {
  it('leaves an employee created since the batch was read alone and reports it as a conflict', async () => {
    const store = createEmployeeStore(database.db);
    const stored = await store.lockMany(['S1', 'S2'], database.db); // neither exists yet
    expect(stored.size).toBe(0);
    // Someone creates S1 meanwhile.
    await store.save('user:other', 'create', validateEmployee({ employeeCode: 'S1', lastName: '先行' }));

    const written = await store.saveMany(
      'import:1',
      [
        validateEmployee({ employeeCode: 'S1', lastName: '取込' }),
        validateEmployee({ employeeCode: 'S2', lastName: '取込' }),
      ],
      stored,
      database.db,
    );

    expect(written).toEqual({ created: 1, updated: 0, conflicts: ['S1'] });
    expect((await store.get('S1'))?.employee.lastName).toBe('先行');
    expect((await store.get('S2'))?.employee.lastName).toBe('取込');
    const audit = await database.db
      .select()
      .from(employeeChanges)
      .where(eq(employeeChanges.employeeCode, 'S1'));
    expect(audit.map((entry) => entry.actor)).toEqual(['user:other']);
  });
});
