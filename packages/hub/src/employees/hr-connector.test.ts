import type { Employee, FieldKey } from '@renkei/core';
import { createFaultInjector } from '@renkei/testkit';
import { describeConnectorContract } from '@renkei/testkit/contract';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../db/adapter.ts';
import { employeeChanges, employees } from '../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../testing/database.ts';
import { createHrConnector, type HrStore } from './hr-connector.ts';
import { createEmployeeStore, type EmployeeStore, validateEmployee } from './store.ts';

let testDb: TestDatabase;
let database: Database;
let store: EmployeeStore;
beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await openDatabase(testDb.target);
  store = createEmployeeStore(database.db);
});
afterAll(async () => {
  await database.close();
  await testDb.drop();
});

// The suite asks for a fresh "vendor" synchronously; the HR master is a database, so the fake
// empties the tables asynchronously and every call waits for that first.
let ready: Promise<unknown> = Promise.resolve();
const written = new Set<FieldKey>();
const hrStore: HrStore = {
  async *all(pageSize) {
    await ready;
    yield* store.all(pageSize);
  },
  async getMany(codes) {
    await ready;
    return store.getMany(codes);
  },
  async write(actor, writes) {
    await ready;
    for (const write of writes) {
      const fields = Object.keys(write.op === 'create' ? write.values : write.changes);
      for (const field of fields) if (field !== 'employeeCode') written.add(field as FieldKey);
    }
    return store.write(actor, writes);
  },
};

async function allRecords(): Promise<Employee[]> {
  const list: Employee[] = [];
  for await (const employee of hrStore.all()) list.push(employee);
  return list;
}

describeConnectorContract({
  connector: createHrConnector(hrStore, 'contract'),
  credentials: { valid: {} },
  faults: false,
  createFake: ({ clock }) => {
    written.clear();
    ready = ready.then(() =>
      database.db.transaction(async (tx) => {
        await tx.delete(employeeChanges);
        await tx.delete(employees);
      }),
    );
    return {
      handlers: [],
      faults: createFaultInjector(),
      clock,
      requests: [],
      overLimitCount: 0,
      insideRetryAfterCount: 0,
      dataAreas: () => ['default'],
      async seed(_area, seeded) {
        await ready;
        for (const employee of seeded) await store.save('seed', 'upsert', validateEmployee(employee));
      },
      records: () => allRecords(),
      writtenFields: () => written,
      reset() {},
    };
  },
});

describe("the engine's writes", () => {
  it('saves a batch in one go, refusing only the writes the HR master cannot take', async () => {
    await ready;
    await database.db.delete(employeeChanges);
    await database.db.delete(employees);
    await store.save('seed', 'create', validateEmployee({ employeeCode: 'E1', lastName: '佐藤' }));
    await store.save('seed', 'create', validateEmployee({ employeeCode: 'E2', lastName: '鈴木' }));

    const results = await store.write('run:1', [
      { op: 'create', employeeCode: 'E3', values: { employeeCode: 'E3', lastName: '高橋' } },
      { op: 'create', employeeCode: 'E1', values: { employeeCode: 'E1', lastName: '重複' } },
      { op: 'update', employeeCode: 'E9', changes: { lastName: '不在' } },
      { op: 'update', employeeCode: 'E2', changes: { gender: 'other' as never } },
      { op: 'update', employeeCode: 'E1', changes: { firstName: '花子' } },
      { op: 'update', employeeCode: 'E1', changes: { lastName: '田中' } },
      { op: 'update', employeeCode: 'E2', changes: { firstName: '一郎' } },
    ]);

    expect(results.map((result) => (result.ok ? result.op : result.error.kind))).toEqual([
      'create',
      'conflict',
      'not_found',
      'validation',
      'update',
      'update',
      'update',
    ]);
    expect(results[3]).toMatchObject({ error: { message: expect.stringContaining('gender') } });
    const saved = Object.fromEntries(
      (await allRecords()).map((employee) => [employee.employeeCode, employee]),
    );
    expect(saved).toEqual({
      E1: { employeeCode: 'E1', lastName: '田中', firstName: '花子' },
      E2: { employeeCode: 'E2', lastName: '鈴木', firstName: '一郎' },
      E3: { employeeCode: 'E3', lastName: '高橋' },
    });
    // One audit entry per employee written, by the run.
    const audit = await database.db.select().from(employeeChanges);
    expect(
      audit
        .filter((entry) => entry.actor === 'run:1')
        .map((entry) => [entry.employeeCode, entry.op])
        .sort(),
    ).toEqual([
      ['E1', 'update'],
      ['E2', 'update'],
      ['E3', 'create'],
    ]);
  });

  it('fails the whole batch, saving none of it, when the database refuses a statement; the message carries no personal data', async () => {
    await ready;
    await database.db.delete(employeeChanges);
    await database.db.delete(employees);
    await database.db.execute(sql`
      create function refuse_insert() returns trigger language plpgsql as $$
      begin raise exception 'refused by test'; end $$`);
    await database.db.execute(
      sql`create trigger refuse_insert before insert on employees for each row execute function refuse_insert()`,
    );
    try {
      const results = await store.write('run:2', [
        {
          op: 'create',
          employeeCode: 'E1',
          values: { employeeCode: 'E1', lastName: '佐藤', birthDate: '1990-04-01' },
        },
        { op: 'create', employeeCode: 'E2', values: { employeeCode: 'E2', lastName: '鈴木' } },
      ]);
      expect(results).toHaveLength(2);
      for (const result of results) {
        expect(result).toMatchObject({ ok: false, error: { kind: 'transient', retryable: true } });
        const { message } = (result as { error: { message: string } }).error;
        expect(message).toMatch(
          /^従業員リストへの書き込みに失敗しました: データベースエラー（SQLSTATE P0001）/,
        );
        expect(message).not.toMatch(/佐藤|鈴木|1990|insert|params/);
      }
      expect(await allRecords()).toEqual([]);
      expect(await database.db.select().from(employeeChanges)).toEqual([]);
    } finally {
      await database.db.execute(sql`drop trigger refuse_insert on employees`);
      await database.db.execute(sql`drop function refuse_insert`);
    }
  });
});
