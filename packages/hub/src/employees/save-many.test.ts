// The CSV import's bulk write: a 社員番号 created by someone else after the import read (and locked)
// its batch must not be overwritten by the import.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { employeeChanges } from '../db/schema.ts';
import { databasePerFile } from '../testing/database-per-file.ts';
import { diffEmployees } from './record.ts';
import { createEmployeeStore, validateEmployee } from './store.ts';

const opened = databasePerFile();

describe('saveMany', () => {
  it('leaves an employee created since the batch was read alone and reports it as a conflict', async () => {
    const store = createEmployeeStore(opened().db);
    const stored = await store.lockMany(['S1', 'S2'], opened().db); // neither exists yet
    expect(stored.size).toBe(0);
    // Someone creates S1 meanwhile.
    await store.save('user:other', 'create', validateEmployee({ employeeCode: 'S1', lastName: '先行' }));

    // S2 goes in with S1's batch, by the statement that skips what exists (COPY refused the batch),
    // whose creation entries the database builds: the same entry a single save writes.
    const s2 = validateEmployee({
      employeeCode: 'S2',
      lastName: '取込',
      firstName: '花子',
      email: 's2@example.jp',
      address: { postalCode: '100-0001', prefecture: '東京都', city: '千代田区', street: '1-1' },
    });
    const written = await store.saveMany(
      'import:1',
      [validateEmployee({ employeeCode: 'S1', lastName: '取込' }), s2],
      stored,
      opened().db,
    );

    expect(written).toEqual({ created: 1, updated: 0, conflicts: ['S1'] });
    expect((await store.get('S1'))?.employee.lastName).toBe('先行');
    expect((await store.get('S2'))?.employee.lastName).toBe('取込');
    const audit = await opened()
      .db.select()
      .from(employeeChanges)
      .where(eq(employeeChanges.employeeCode, 'S1'));
    expect(audit.map((entry) => entry.actor)).toEqual(['user:other']);
    expect(await store.history('S2')).toEqual([
      expect.objectContaining({ op: 'create', actor: 'import:1', changes: diffEmployees(undefined, s2) }),
    ]);
  });

  it('writes new employees exactly as given, backslashes and a literal \\N included, each with its creation entry', async () => {
    const store = createEmployeeStore(opened().db);
    const employee = validateEmployee({
      employeeCode: 'E\\1',
      lastName: '\\N',
      firstName: 'a\\tb\\',
      email: 'e1@example.jp',
      address: { postalCode: '100-0001', prefecture: '東京都', city: '千代田区', street: '1-1 \\N "棟"' },
    });
    const written = await opened().db.transaction((tx) =>
      store.saveMany('import:2', [employee], new Map(), tx as never),
    );

    expect(written).toEqual({ created: 1, updated: 0, conflicts: [] });
    expect((await store.get('E\\1'))?.employee).toEqual(employee);
    expect((await store.list({ search: 'e\\1' })).items.map((item) => item.employee.employeeCode)).toEqual([
      'E\\1',
    ]);
    expect(await store.history('E\\1')).toEqual([
      expect.objectContaining({
        op: 'create',
        actor: 'import:2',
        changes: [
          { field: 'lastName', before: null, after: '\\N' },
          { field: 'firstName', before: null, after: 'a\\tb\\' },
          { field: 'email', before: null, after: 'e1@example.jp' },
          { field: 'address', before: null, after: employee.address },
        ],
      }),
    ]);
  });
});
