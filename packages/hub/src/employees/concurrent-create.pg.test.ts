// The engine creates an employee while an admin creates the same 社員番号 on another connection: the
// engine's batch locked nothing (the row did not exist yet), so only the insert can see the clash.
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../db/adapter.ts';
import { employeeChanges } from '../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../testing/database.ts';
import { createEmployeeStore, validateEmployee } from './store.ts';

let testDb: TestDatabase;
let engine: Database;
let admin: Database;
beforeAll(async () => {
  testDb = await createTestDatabase();
  engine = await openDatabase(testDb.target);
  admin = await openDatabase(testDb.target);
});
afterAll(async () => {
  await engine.close();
  await admin.close();
  await testDb.drop();
});

describe('a create racing another create of the same 社員番号', () => {
  it('keeps the record created first and reports the engine’s create as a conflict', async () => {
    const store = createEmployeeStore(engine.db);
    const adminStore = createEmployeeStore(admin.db);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inserted = () => {};
    const adminInserted = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    // The admin's create is in flight (inserted, not yet committed) when the engine's batch runs.
    const adminCreate = admin.db.transaction(async (tx) => {
      await adminStore.save(
        'user:admin',
        'create',
        validateEmployee({ employeeCode: 'E77', lastName: '管理' }),
        tx,
      );
      inserted();
      await held;
    });
    await adminInserted;
    const engineWrite = store.write('run:1', [
      { op: 'create', employeeCode: 'E77', values: { employeeCode: 'E77', lastName: '連携' } },
      { op: 'create', employeeCode: 'E78', values: { employeeCode: 'E78', lastName: '連携' } },
    ]);
    // Let the engine reach its insert (it waits on the admin's uncommitted row), then commit.
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    await adminCreate;
    const results = await engineWrite;

    expect(results).toEqual([
      { employeeCode: 'E77', ok: false, error: expect.objectContaining({ kind: 'conflict' }) },
      { employeeCode: 'E78', ok: true, op: 'create' },
    ]);
    expect((await store.get('E77'))?.employee.lastName).toBe('管理');
    expect((await store.get('E78'))?.employee.lastName).toBe('連携');
    const audit = await engine.db
      .select({ code: employeeChanges.employeeCode, actor: employeeChanges.actor })
      .from(employeeChanges)
      .orderBy(asc(employeeChanges.employeeCode));
    expect(audit).toEqual([
      { code: 'E77', actor: 'user:admin' },
      { code: 'E78', actor: 'run:1' },
    ]);
  });
});
