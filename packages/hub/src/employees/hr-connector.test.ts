import type { Employee, FieldKey } from '@renkei/core';
import { createFaultInjector, describeConnectorContract } from '@renkei/testkit';
import { afterAll, beforeAll } from 'vitest';
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
