// A staged CSV import's publish: what it writes, and that it never overwrites a stored employee
// that changed (or was created) after its row was validated.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { resultRows } from '../db/adapter.ts';
import { databasePerFile } from '../testing/database-per-file.ts';
import {
  dropStage,
  openStage,
  publishImport,
  readForImport,
  type StagedRow,
  stageRows,
} from './import-staging.ts';
import { diffEmployees } from './record.ts';
import { createEmployeeStore, validateEmployee } from './store.ts';

const opened = databasePerFile();

/** Audit entries staged with `stage`, whether they count yet or not. */
const stagedEntries = async (stage: string) =>
  resultRows<{ n: number }>(
    await opened().db.execute(
      sql`select count(*)::integer as n from employee_changes where import_stage = ${stage}`,
    ),
  )[0]?.n;

const stageTables = async () =>
  resultRows<{ name: string }>(
    await opened().db.execute(
      sql`select tablename as name from pg_tables where tablename ~ '^employee_import_[0-9]+_[0-9a-f]{8}$' order by 1`,
    ),
  ).map((row) => row.name);

/** Rows for `employees` as an import would stage them, validated against what is stored now. */
async function validated(list: { employeeCode: string; lastName: string }[], firstLine = 2) {
  const stored = await readForImport(
    opened().db,
    list.map((employee) => employee.employeeCode),
  );
  return list.map((input, index): StagedRow => {
    const employee = validateEmployee(input);
    const before = stored.get(employee.employeeCode);
    return {
      line: firstLine + index,
      employee,
      changes: diffEmployees(before?.employee, employee),
      baseVersion: before?.version ?? null,
    };
  });
}

describe('staged import', () => {
  it('publishes creations and updates with their audit entries, and drops its stage', async () => {
    const store = createEmployeeStore(opened().db);
    await store.create('user:hr', { employeeCode: 'ST-1', lastName: '旧姓' });
    const stage = await openStage(opened().db);
    expect(await stageTables()).toContain(stage);
    await stageRows(
      opened().db,
      stage,
      'user:import',
      await validated([
        { employeeCode: 'ST-1', lastName: '新姓' },
        { employeeCode: 'ST-2', lastName: '新人' },
      ]),
    );
    // Nothing is visible before the publish: neither the rows nor their audit entries, written already.
    expect(await stagedEntries(stage)).toBe(2);
    expect((await store.get('ST-1'))?.employee.lastName).toBe('旧姓');
    expect(await store.get('ST-2')).toBeNull();
    expect((await store.history('ST-1')).map((entry) => entry.op)).toEqual(['create']);
    expect(await store.history('ST-2')).toEqual([]);

    const published = await publishImport(opened().db, stage, 'user:import', 'rollback');
    expect(published).toEqual({ published: true, created: 1, updated: 1, conflicts: [] });
    expect((await store.get('ST-1'))?.employee.lastName).toBe('新姓');
    expect(await store.get('ST-2')).toMatchObject({
      createdBy: 'user:import',
      employee: { lastName: '新人' },
    });
    expect((await store.history('ST-1'))[0]).toMatchObject({
      op: 'update',
      actor: 'user:import',
      changes: [{ field: 'lastName', before: '旧姓', after: '新姓' }],
    });
    expect((await store.history('ST-2'))[0]).toMatchObject({
      op: 'create',
      changes: diffEmployees(undefined, validateEmployee({ employeeCode: 'ST-2', lastName: '新人' })),
    });
    await dropStage(opened().db, stage);
    expect(await stageTables()).not.toContain(stage);
    expect((await store.history('ST-2')).map((entry) => entry.op)).toEqual(['create']);
  });

  it('publishes a stage spanning several statements (lines apart, a conflict in the middle one), counting each once', async () => {
    const store = createEmployeeStore(opened().db);
    const list = Array.from({ length: 2_500 }, (_, i) => ({
      employeeCode: `MS-${String(i).padStart(4, '0')}`,
      lastName: '多数',
    }));
    const rows = await validated(list);
    // Blank lines and multi-line cells leave gaps: spread the rows out across 7,500 lines.
    const spread = rows.map((row, index) => ({ ...row, line: 2 + index * 3 }));
    await store.create('user:other', { employeeCode: 'MS-1234', lastName: '先行' });
    const stage = await openStage(opened().db);
    await stageRows(opened().db, stage, 'user:import', spread);
    expect(await publishImport(opened().db, stage, 'user:import', 'skip')).toEqual({
      published: true,
      created: 2_499,
      updated: 0,
      conflicts: [{ line: 2 + 1234 * 3, employeeCode: 'MS-1234' }],
    });
    expect((await store.list({ search: 'MS-', pageSize: 1 })).total).toBe(2_500);
    // The refused row's staged entry is gone; the others count.
    expect(await stagedEntries(stage)).toBe(2_499);
    expect(await store.history('MS-1234')).toMatchObject([{ op: 'create', actor: 'user:user:other' }]);
    expect(await store.history('MS-2499')).toMatchObject([{ op: 'create', actor: 'user:import' }]);
    await dropStage(opened().db, stage);
  });

  it('refuses rows whose employee was updated or created after validation: nothing written, or only the others', async () => {
    const store = createEmployeeStore(opened().db);
    await store.create('user:hr', { employeeCode: 'CF-1', lastName: '旧' });
    const rows = await validated([
      { employeeCode: 'CF-1', lastName: '取込' },
      { employeeCode: 'CF-2', lastName: '取込' },
      { employeeCode: 'CF-3', lastName: '取込' },
    ]);
    // Meanwhile someone edits CF-1 and creates CF-2.
    await store.update('user:other', 'CF-1', { lastName: '手入力' });
    await store.create('user:other', { employeeCode: 'CF-2', lastName: '先行' });
    const conflicts = [
      { line: 2, employeeCode: 'CF-1' },
      { line: 3, employeeCode: 'CF-2' },
    ];

    const stage = await openStage(opened().db);
    await stageRows(opened().db, stage, 'user:import', rows);
    expect(await publishImport(opened().db, stage, 'user:import', 'rollback')).toEqual({
      published: false,
      created: 0,
      updated: 0,
      conflicts,
    });
    expect(await store.get('CF-3')).toBeNull();
    expect((await store.get('CF-1'))?.employee.lastName).toBe('手入力');
    expect((await store.history('CF-1')).map((entry) => entry.actor)).toEqual([
      'user:user:other',
      'user:user:hr',
    ]);

    expect(await publishImport(opened().db, stage, 'user:import', 'skip')).toEqual({
      published: true,
      created: 1,
      updated: 0,
      conflicts,
    });
    expect((await store.get('CF-1'))?.employee.lastName).toBe('手入力');
    expect((await store.get('CF-2'))?.employee.lastName).toBe('先行');
    expect((await store.get('CF-3'))?.employee.lastName).toBe('取込');
    await dropStage(opened().db, stage);
    // Published: its entries stay with the stage gone; the refused rows' never counted.
    expect((await store.history('CF-3')).map((entry) => entry.actor)).toEqual(['user:import']);
    expect((await store.history('CF-1')).map((entry) => entry.actor)).toEqual([
      'user:user:other',
      'user:user:hr',
    ]);
    expect((await store.history('CF-2')).map((entry) => entry.actor)).toEqual(['user:user:other']);
  });

  it('deletes the audit entries of an import that is not published, with its stage', async () => {
    const store = createEmployeeStore(opened().db);
    const list = Array.from({ length: 2_500 }, (_, i) => ({ employeeCode: `NP-${i}`, lastName: '未公開' }));
    const stage = await openStage(opened().db);
    await stageRows(opened().db, stage, 'user:import', await validated(list));
    expect(await stagedEntries(stage)).toBe(2_500);
    await dropStage(opened().db, stage);
    expect(await stagedEntries(stage)).toBe(0);
    expect(await store.history('NP-0')).toEqual([]);
    expect(await stageTables()).not.toContain(stage);
  });

  it('drops the stages of imports a crash cut off more than a day ago, and only those', async () => {
    const old = `employee_import_${Date.now() - 25 * 60 * 60 * 1000}_0123abcd`;
    const recent = `employee_import_${Date.now() - 60_000}_89abcdef`;
    for (const table of [old, recent]) {
      await opened().db.execute(sql.raw(`create unlogged table ${table} (like employee_import_rows)`));
      await stageRows(
        opened().db,
        table,
        'user:import',
        await validated([{ employeeCode: `AB-${table}`, lastName: '中断' }]),
      );
    }
    const stage = await openStage(opened().db);
    const tables = await stageTables();
    expect(tables).not.toContain(old);
    expect(await stagedEntries(old)).toBe(0);
    expect(tables).toEqual(expect.arrayContaining([recent, stage]));
    expect(await stagedEntries(recent)).toBe(1);
    await dropStage(opened().db, recent);
    await dropStage(opened().db, stage);
  });
});
