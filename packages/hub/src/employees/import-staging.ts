// A CSV import staged, then published. While the file is read, each batch of validated rows is
// staged in a short transaction of its own, so the rest of the hub keeps answering: on embedded
// PGlite (one connection) a transaction held for the whole file would hold every other request up.
// At the end the import is published in one transaction, all or nothing, by statements the database
// runs on the staged rows, a range of lines each. A row whose stored employee changed after it was
// validated (updated, or created by someone else) is refused at publish, never overwritten.
// The rows' audit entries are written as they are staged, marked with the stage's name: they count
// only once the stage is in `published_imports`, which the publish adds. Writing them at publish
// took about 4 of its 7 s per 100k rows, while every other database request waited.
import { randomBytes } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Employee, FieldChange } from '@renkei/core';
import { eq, getTableColumns, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { copyCell, copyRows, type Db, resultRows, withParams } from '../db/adapter.ts';
import { employeeChanges, employeeImportRows, employees, publishedImports } from '../db/schema.ts';
import { CHANGE_COPY_COLUMNS, changeCopyLine, columnText, rowToEmployee, searchTextOf } from './record.ts';

/** A stored employee as an import validates against it, with the version of its row. */
export interface StoredForImport {
  employee: Employee;
  /** The row's `xmin`: any later write to the row changes it ('' where the row is locked instead). */
  version: string;
}

/** A validated row to write: its audit entry, and the stored version it was validated against (null: new). */
export interface StagedRow {
  line: number;
  employee: Employee;
  changes: FieldChange[];
  baseVersion: string | null;
}

export interface PublishResult {
  /** False when a conflict rolled everything back (`onConflict: 'rollback'`). */
  published: boolean;
  created: number;
  updated: number;
  /** Rows not written because their stored employee changed after they were validated. */
  conflicts: { line: number; employeeCode: string }[];
}

/** 社員番号s per read (one array parameter). */
const READ_ROWS = 5_000;
/** A stage older than this belongs to an import a crash cut off: the next import drops it. */
const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;
/** A stage's table: `employee_import_<created, ms>_<random>`. */
const STAGE_TABLE = /^employee_import_(\d+)_[0-9a-f]{8}$/;

type StagedColumn = keyof typeof employeeImportRows.$inferInsert;
const STAGED_COLUMNS = Object.entries(getTableColumns(employeeImportRows)) as [StagedColumn, PgColumn][];
const STORED_COLUMNS: ReadonlySet<string> = new Set(Object.keys(getTableColumns(employees)));
/** The canonical fields but 社員番号: the columns a staged row and the HR master share. */
const FIELD_COLUMNS = STAGED_COLUMNS.filter(
  ([key]) => STORED_COLUMNS.has(key) && key !== 'employeeCode' && key !== 'searchText',
).map(([, column]) => column.name);

/** A staged row as a line of COPY text (STAGED_COLUMNS' order). */
function stagedLine({ line, employee, baseVersion }: StagedRow): Buffer {
  const cells = STAGED_COLUMNS.map(([key, column]) => {
    switch (key) {
      case 'line':
        return String(line);
      case 'searchText':
        return copyCell(searchTextOf(employee));
      case 'baseVersion':
        return copyCell(baseVersion);
      default:
        return copyCell(columnText(employee, key, column.getSQLType() === 'jsonb'));
    }
  });
  return Buffer.from(`${cells.join('\t')}\n`);
}

/**
 * A new stage for one import: an unlogged table of its own, made like `employee_import_rows`
 * (dropped whole when the import is over, where deleting its rows cost seconds on PGlite). Drops
 * first what imports cut off by a crash left behind.
 */
export async function openStage(db: Db): Promise<string> {
  const tables = resultRows<{ name: string }>(
    await db.execute(
      sql`select tablename as name from pg_tables where schemaname = current_schema() and tablename ~ ${STAGE_TABLE.source}`,
    ),
  );
  for (const { name } of tables) {
    const created = Number(STAGE_TABLE.exec(name)?.[1] ?? Number.NaN);
    if (created < Date.now() - ABANDONED_AFTER_MS) await dropStage(db, name);
  }
  const table = `employee_import_${Date.now()}_${randomBytes(4).toString('hex')}`;
  await db.execute(sql.raw(`create unlogged table ${table} (like employee_import_rows including indexes)`));
  return table;
}

/** `table` as a stage's name, checked: it is written into statements as it is. */
function stageName(table: string): string {
  if (!STAGE_TABLE.test(table)) throw new Error(`not a stage: ${table}`);
  return table;
}

/** Audit entries deleted per statement when an import is not published (a turn of the event loop between). */
const DELETE_ENTRIES = 2_000;

/**
 * Drops an import's stage (nothing when it is gone already) and, unless it was published, the
 * audit entries staged with it: a few thousand per statement, then the table (a crash in between
 * leaves the table, and with it the work, to the next import).
 */
export async function dropStage(db: Db, table: string): Promise<void> {
  const stage = stageName(table);
  const published = await db
    .select({ stage: publishedImports.stage })
    .from(publishedImports)
    .where(eq(publishedImports.stage, stage));
  // Asked once: a published import's entries stay, and looking through 100k of them for none to
  // delete took seconds in one statement.
  if (published.length === 0) await deleteEntries(db, stage);
  await db.execute(sql.raw(`drop table if exists ${stage}`));
}

/** Deletes the audit entries staged with `stage`, DELETE_ENTRIES per statement. */
async function deleteEntries(db: Db, stage: string): Promise<void> {
  for (;;) {
    const deleted = await db.execute(
      sql`delete from ${employeeChanges} where ${employeeChanges.id} in (select ${employeeChanges.id} from ${employeeChanges} where ${employeeChanges.importStage} = ${stage} limit ${DELETE_ENTRIES}) returning 1`,
    );
    if (resultRows(deleted).length < DELETE_ENTRIES) return;
    await nextTurn();
  }
}

/** The stored employees among `codes`, each with its row version; a short read, no lock. */
export async function readForImport(db: Db, codes: readonly string[]): Promise<Map<string, StoredForImport>> {
  const found = new Map<string, StoredForImport>();
  for (let i = 0; i < codes.length; i += READ_ROWS) {
    const rows = await db
      .select({ row: employees, version: sql<string>`${employees}.xmin::text` })
      .from(employees)
      .where(sql`${employees.employeeCode} = any(${sql.param(codes.slice(i, i + READ_ROWS))}::text[])`);
    for (const { row, version } of rows)
      found.set(row.employeeCode, { employee: rowToEmployee(row), version });
  }
  return found;
}

/**
 * Adds `rows` to the stage `table` and their audit entries, `actor`'s, marked with the stage (COPY,
 * in a transaction of its own).
 */
export async function stageRows(
  db: Db,
  table: string,
  actor: string,
  rows: readonly StagedRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const stage = stageName(table);
  const columns = STAGED_COLUMNS.map(([, column]) => column.name);
  const entries = rows.map(({ employee, changes, baseVersion }) =>
    changeCopyLine(employee.employeeCode, baseVersion === null ? 'create' : 'update', changes, actor, stage),
  );
  await db.transaction(async (tx) => {
    await copyRows(tx as Db, stage, columns, rows.map(stagedLine));
    await copyRows(tx as Db, 'employee_changes', CHANGE_COPY_COLUMNS, entries);
  });
}

// $1 now, $2 the actor, the rows of lines $3 ≤ line < $4. The staged rows hold the columns as they
// are stored: the database copies them, it does not take JSON apart (several times the cost on PGlite).
const publishStatement = (table: string) => {
  const lines = 'r.line >= $3::integer and r.line < $4::integer';
  return `with inserted as (
  insert into employees (employee_code, ${FIELD_COLUMNS.join(', ')}, search_text, created_at, created_by, updated_at, updated_by)
  select employee_code, ${FIELD_COLUMNS.join(', ')}, search_text, $1::timestamptz, $2::text, $1::timestamptz, $2::text
  from ${table} r where ${lines} and r.base_version is null
  on conflict (employee_code) do nothing
  returning employee_code, 'create'::text as op),
updated as (
  update employees t set ${FIELD_COLUMNS.map((name) => `${name} = r.${name}`).join(', ')}, search_text = r.search_text, updated_at = $1::timestamptz, updated_by = $2::text
  from ${table} r
  where ${lines} and r.base_version is not null and t.employee_code = r.employee_code and t.xmin::text = r.base_version
  returning t.employee_code, 'update'::text as op),
written as (select * from inserted union all select * from updated)
select w.op as kind, count(*)::integer as count, null::integer as line, null::text as employee_code from written w group by w.op
union all
select 'conflict', 1, r.line, r.employee_code from ${table} r
where ${lines} and not exists (select 1 from written w where w.employee_code = r.employee_code)`;
};

/**
 * Lines of the file published per statement. On PGlite a statement runs on the server's own thread
 * and holds everything up while it runs: 500 rows take about 50 ms there (1,000 put /healthz's p99
 * during a 100k import at 127 ms).
 */
const PUBLISH_LINES = 500;

class Conflicted extends Error {}

/**
 * Writes the rows staged in `table` to the HR master, in one transaction of statements of
 * PUBLISH_LINES lines each, with a turn of the event loop between them (other database work waits
 * for the transaction; the rest of the server does not), and makes their audit entries count. Rows
 * whose stored employee changed since validation are left out, and so are their entries; with
 * `onConflict: 'rollback'` any such row writes nothing at all.
 */
export async function publishImport(
  db: Db,
  table: string,
  actor: string,
  onConflict: 'rollback' | 'skip',
): Promise<PublishResult> {
  const result: PublishResult = { published: true, created: 0, updated: 0, conflicts: [] };
  try {
    const now = new Date().toISOString();
    const statement = publishStatement(stageName(table));
    await db.transaction(async (tx) => {
      const [span] = resultRows<{ first: number | null; last: number | null }>(
        await tx.execute(sql.raw(`select min(line) as first, max(line) as last from ${table}`)),
      );
      for (let from = span?.first ?? 0; from <= (span?.last ?? -1); from += PUBLISH_LINES) {
        const rows = resultRows<{ kind: string; count: number; line: number; employee_code: string }>(
          await tx.execute(withParams(statement, [now, actor, from, from + PUBLISH_LINES])),
        );
        for (const row of rows) {
          if (row.kind === 'create') result.created += row.count;
          else if (row.kind === 'update') result.updated += row.count;
          else result.conflicts.push({ line: row.line, employeeCode: row.employee_code });
        }
        await nextTurn();
      }
      if (result.conflicts.length > 0 && onConflict === 'rollback') throw new Conflicted();
      const refused = result.conflicts.map((conflict) => conflict.employeeCode);
      if (refused.length > 0)
        await tx.execute(
          sql`delete from ${employeeChanges} where ${employeeChanges.importStage} = ${table} and ${employeeChanges.employeeCode} = any(${sql.param(refused)}::text[])`,
        );
      await tx.insert(publishedImports).values({ stage: table });
    });
  } catch (error) {
    if (!(error instanceof Conflicted)) throw error;
    Object.assign(result, { published: false, created: 0, updated: 0 });
  }
  result.conflicts.sort((a, b) => a.line - b.line);
  return result;
}
