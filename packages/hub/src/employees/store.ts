import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  ConnectorError,
  type Employee,
  type EmployeePatch,
  type EmployeeWrite,
  FIELD_KEYS,
  type FieldChange,
  normaliseEmployee,
  type WriteResult,
} from '@renkei/core';
import { and, asc, count, desc, eq, getTableColumns, inArray, like, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { copyCell, copyRows, type Db, resultRows, withParams } from '../db/adapter.ts';
import { withoutQueryData } from '../db/errors.ts';
import { employeeChanges, employees, publishedImports } from '../db/schema.ts';
import { HubError } from '../errors.ts';
import { type Page, type PageRequest, pageOf } from '../paging.ts';
import { controlCharacterIssues } from './control-characters.ts';
import {
  CHANGE_COPY_COLUMNS,
  changeCopyLine,
  columnText,
  containsPattern,
  diffEmployees,
  employeeToColumns,
  foldForSearch,
  rowToEmployee,
  searchTextOf,
} from './record.ts';

export interface EmployeeRecord {
  employee: Employee;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
}

export interface EmployeeChange {
  op: 'create' | 'update';
  changes: FieldChange[];
  /** `user:<id>`, `run:<id>`. */
  actor: string;
  createdAt: Date;
}

/**
 * The employee in normal form (core's normalisers), or the issues per field in Japanese. A control
 * character is refused here rather than dropped by the normaliser (the form, the API and the hub's
 * own writes all come through here; the CSV import checks its cells with the same rule).
 */
export function validateEmployee(input: unknown): Employee {
  const unknownKeys =
    typeof input === 'object' && input !== null
      ? Object.keys(input).filter((key) => !KNOWN_KEYS.has(key))
      : [];
  const { employee, issues } = normaliseEmployee(input);
  const all = [
    ...controlCharacterIssues(input),
    ...issues,
    ...unknownKeys.map((key) => ({ field: 'record' as const, message: `不明な項目「${key}」があります。` })),
  ];
  if (!employee || all.length > 0)
    throw new HubError('validation', '従業員情報に誤りがあります。', { issues: all });
  return employee;
}

const KNOWN_KEYS: ReadonlySet<string> = new Set(['employeeCode', ...FIELD_KEYS]);

function applyPatch(employee: Employee, patch: EmployeePatch): Employee {
  const next: Record<string, unknown> = { ...employee };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  return next as Employee;
}

/** Rows per statement: each statement sends its rows as one JSON parameter, so only memory bounds it. */
const BATCH_ROWS = 5_000;
/** 社員番号s per locking read (one array parameter). */
const LOCK_ROWS = 5_000;

type EmployeeInsert = typeof employees.$inferInsert;
const EMPLOYEE_COLUMNS = Object.entries(getTableColumns(employees)) as [keyof EmployeeInsert, PgColumn][];
// An upsert replaces every field and the update audit columns; the creation columns stay.
const REPLACED = EMPLOYEE_COLUMNS.filter(
  ([key]) => key !== 'employeeCode' && key !== 'createdAt' && key !== 'createdBy',
).map(([, column]) => `${column.name} = excluded.${column.name}`);

/**
 * Each column's value taken from one JSON input row `r` (`r.e` the employee as JSON, `r.s` its
 * search text) and the statement's parameters `$now` and `$actor`, in EMPLOYEE_COLUMNS order.
 */
function columnExpression(key: keyof EmployeeInsert, column: PgColumn): string {
  switch (key) {
    case 'searchText':
      return 'r.s';
    case 'createdAt':
    case 'updatedAt':
      return '$2::timestamptz';
    case 'createdBy':
    case 'updatedBy':
      return '$3::text';
    default:
      return column.getSQLType() === 'jsonb'
        ? `nullif(r.e->'${key}', 'null'::jsonb)`
        : `(r.e->>'${key}')::${column.getSQLType()}`;
  }
}

const INPUT_ROWS = 'select * from jsonb_to_recordset($1::jsonb) as r(e jsonb, s text, c jsonb)';
const INSERT_EMPLOYEES = `insert into employees (${EMPLOYEE_COLUMNS.map(([, column]) => column.name).join(', ')}) select ${EMPLOYEE_COLUMNS.map(([key, column]) => columnExpression(key, column)).join(', ')} from input r`;
// A created employee's audit entry is every field it holds, before → after, in FIELD_KEYS order:
// built by the database from the row it was sent, so the values cross the wire once.
const CREATED_CHANGES = `(select coalesce(jsonb_agg(jsonb_build_object('field', f.key, 'before', null, 'after', r.e->f.key) order by f.ord), '[]'::jsonb) from unnest($4::text[]) with ordinality as f(key, ord) where jsonb_typeof(r.e->f.key) <> 'null')`;
const writeStatement = (onConflict: 'replace' | 'skip') =>
  `with input as (${INPUT_ROWS}), written as (${INSERT_EMPLOYEES} on conflict (employee_code) ${
    onConflict === 'replace' ? `do update set ${REPLACED.join(', ')}` : 'do nothing'
  } returning employee_code) insert into employee_changes (employee_code, op, changes, actor) select w.employee_code, case when r.c is null then 'create' else 'update' end, coalesce(r.c, ${CREATED_CHANGES}), $3::text from written w join input r on r.e->>'employeeCode' = w.employee_code returning employee_code`;
const WRITE = { replace: writeStatement('replace'), skip: writeStatement('skip') };

// A listing page: each row as a JSON array of its 社員番号 and FIELD_KEYS' columns, in that order.
const LISTED_COLUMNS = ['employeeCode', ...FIELD_KEYS].map(
  (key) => (EMPLOYEE_COLUMNS.find(([name]) => name === key) as [string, PgColumn])[1].name,
);
const LIST_PAGE = `select json_agg(json_build_array(${LISTED_COLUMNS.join(', ')}) order by employee_code)::text as page from (select * from employees where employee_code > $1::text order by employee_code limit $2::integer) e`;

/** A listed row (LISTED_COLUMNS' values) as the employee: the fields it holds, as rowToEmployee. */
function valuesToEmployee(values: readonly unknown[]): Employee {
  const employee: Record<string, unknown> = { employeeCode: values[0] };
  for (let i = 0; i < FIELD_KEYS.length; i++) {
    const value = values[i + 1];
    if (value !== null && value !== undefined) employee[FIELD_KEYS[i] as string] = value;
  }
  return employee as Employee;
}

/** One employee to write: `changes` for an update (its audit entry), none for a creation. */
interface RowToWrite {
  employee: Employee;
  changes?: FieldChange[];
}

/**
 * Writes `rows` with their audit entries in one statement per BATCH_ROWS that sends them as one
 * JSON parameter (the database takes the columns apart): a clash on 社員番号 replaces the stored
 * row, or with `skip` leaves it alone (and writes no audit entry). Returns the 社員番号s written.
 */
async function writeEmployees(
  executor: Db,
  actor: string,
  rows: readonly RowToWrite[],
  onConflict: 'replace' | 'skip',
): Promise<string[]> {
  const now = new Date().toISOString();
  const written: string[] = [];
  for (let i = 0; i < rows.length; i += BATCH_ROWS) {
    const input = JSON.stringify(
      rows.slice(i, i + BATCH_ROWS).map(({ employee, changes }) => ({
        e: employee,
        s: searchTextOf(employee),
        c: changes ?? null,
      })),
    );
    const result = await executor.execute(withParams(WRITE[onConflict], [input, now, actor, FIELD_KEYS]));
    for (const row of resultRows<{ employee_code: string }>(result)) written.push(row.employee_code);
  }
  return written;
}

const COPY_EMPLOYEES = EMPLOYEE_COLUMNS.map(([, column]) => column.name);
const JSON_COLUMNS: ReadonlySet<string> = new Set(
  EMPLOYEE_COLUMNS.filter(([, column]) => column.getSQLType() === 'jsonb').map(([key]) => key),
);

/** An employee as a line of COPY text (UTF-8) for `employees` (COPY_EMPLOYEES order), created now by `actor`. */
function employeeCopyLine(employee: Employee, now: string, actor: string): Buffer {
  const cells = EMPLOYEE_COLUMNS.map(([key]) => {
    switch (key) {
      case 'searchText':
        return copyCell(searchTextOf(employee));
      case 'createdAt':
      case 'updatedAt':
        return now;
      case 'createdBy':
      case 'updatedBy':
        return copyCell(actor);
      default:
        return copyCell(columnText(employee, key, JSON_COLUMNS.has(key)));
    }
  });
  return Buffer.from(`${cells.join('\t')}\n`);
}

/** Rows of COPY text built between two turns of the event loop. */
const COPY_BUILD_ROWS = 250;

/**
 * Inserts new employees and their creation entries with COPY (see `copyRows`), all or none: when
 * one of them exists by now (a unique violation), nothing is written and this returns false.
 */
async function copyNew(executor: Db, actor: string, list: readonly Employee[]): Promise<boolean> {
  if (list.length === 0) return true;
  const now = new Date().toISOString();
  // A line at a time: one long string built up costs far more to encode than its lines.
  const employeeLines: Buffer[] = [];
  const changeLines: Buffer[] = [];
  for (const [index, employee] of list.entries()) {
    // Building the lines is this thread's work: requests get their turn every few hundred rows.
    if (index > 0 && index % COPY_BUILD_ROWS === 0) await nextTurn();
    employeeLines.push(employeeCopyLine(employee, now, actor));
    changeLines.push(
      changeCopyLine(employee.employeeCode, 'create', diffEmployees(undefined, employee), actor),
    );
  }
  // In a transaction of its own, or a savepoint inside the caller's: a clash undoes only this.
  try {
    await executor.transaction(async (tx) => {
      await copyRows(tx as Db, 'employees', COPY_EMPLOYEES, employeeLines);
      await copyRows(tx as Db, 'employee_changes', CHANGE_COPY_COLUMNS, changeLines);
    });
    return true;
  } catch (error) {
    if (((error as Error).cause as { code?: unknown } | undefined)?.code === '23505') return false;
    throw error;
  }
}

function toRecord(row: typeof employees.$inferSelect): EmployeeRecord {
  return {
    employee: rowToEmployee(row),
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
  };
}

/** The HR master's table: reads, searched pages, and audited writes. */
export function createEmployeeStore(db: Db) {
  /** Writes one employee and its audit entry in one transaction; returns what changed. */
  async function save(
    actor: string,
    op: 'create' | 'update' | 'upsert',
    employee: Employee,
    executor: Db = db,
  ): Promise<{ op: 'create' | 'update'; changes: ReturnType<typeof diffEmployees> }> {
    return executor.transaction(async (tx) => {
      const [current] = await tx
        .select()
        .from(employees)
        .where(eq(employees.employeeCode, employee.employeeCode))
        .for('update');
      if (current && op === 'create') {
        throw alreadyExists(employee.employeeCode);
      }
      if (!current && op === 'update') {
        throw new HubError('not_found', `社員番号 ${employee.employeeCode} の従業員が見つかりません。`);
      }
      const before = current ? rowToEmployee(current) : undefined;
      const changes = diffEmployees(before, employee);
      const now = new Date();
      const values = {
        ...employeeToColumns(employee),
        searchText: searchTextOf(employee),
        updatedAt: now,
        updatedBy: actor,
      };
      if (current) {
        if (changes.length === 0) return { op: 'update' as const, changes };
        await tx.update(employees).set(values).where(eq(employees.employeeCode, employee.employeeCode));
      } else {
        await tx.insert(employees).values({ ...values, createdAt: now, createdBy: actor });
      }
      const savedOp = current ? ('update' as const) : ('create' as const);
      await tx
        .insert(employeeChanges)
        .values({ employeeCode: employee.employeeCode, op: savedOp, changes, actor });
      return { op: savedOp, changes };
    });
  }

  /** The stored employees among `codes`, locked until `executor`'s transaction ends. */
  async function lockMany(codes: readonly string[], executor: Db): Promise<Map<string, Employee>> {
    const found = new Map<string, Employee>();
    for (let i = 0; i < codes.length; i += LOCK_ROWS) {
      const rows = await executor
        .select()
        .from(employees)
        .where(sql`${employees.employeeCode} = any(${sql.param(codes.slice(i, i + LOCK_ROWS))}::text[])`)
        .for('update');
      for (const row of rows) found.set(row.employeeCode, rowToEmployee(row));
    }
    return found;
  }

  /**
   * Creates or replaces many employees with their audit entries in multi-row statements (a bulk
   * import); `stored` is what `lockMany` read (and locked) in the same transaction. Unchanged ones
   * are not written. A 社員番号 `stored` lacks but that exists by now (created meanwhile, which
   * `lockMany` could not lock) is left alone and returned in `conflicts`, never overwritten.
   */
  async function saveMany(
    actor: string,
    list: readonly Employee[],
    stored: ReadonlyMap<string, Employee>,
    executor: Db,
  ): Promise<{ created: number; updated: number; conflicts: string[] }> {
    const updates: RowToWrite[] = [];
    const fresh: Employee[] = [];
    for (const employee of list) {
      const before = stored.get(employee.employeeCode);
      if (!before) {
        fresh.push(employee);
        continue;
      }
      const changes = diffEmployees(before, employee);
      if (changes.length > 0) updates.push({ employee, changes });
    }
    await writeEmployees(executor, actor, updates, 'replace');
    const inserted = await insertNew(actor, fresh, executor);
    const conflicts = fresh.map((employee) => employee.employeeCode).filter((code) => !inserted.has(code));
    return { created: inserted.size, updated: updates.length, conflicts };
  }

  /**
   * Inserts new employees, leaving alone any 社員番号 that exists by now (created since `lockMany`
   * looked, which it cannot lock): returns the codes inserted, each with its audit entry.
   */
  async function insertNew(actor: string, list: readonly Employee[], executor: Db): Promise<Set<string>> {
    // The usual case, none of them exists by now: COPY. Else one statement that skips those that do.
    if (await copyNew(executor, actor, list)) return new Set(list.map((employee) => employee.employeeCode));
    const written = await writeEmployees(
      executor,
      actor,
      list.map((employee) => ({ employee })),
      'skip',
    );
    return new Set(written);
  }

  async function getRow(code: string) {
    const [row] = await db.select().from(employees).where(eq(employees.employeeCode, code));
    return row;
  }

  async function get(code: string): Promise<EmployeeRecord | null> {
    const row = await getRow(code);
    return row ? toRecord(row) : null;
  }

  return {
    get,
    save,
    lockMany,
    saveMany,
    async list(request: PageRequest & { search?: string } = {}): Promise<Page<EmployeeRecord>> {
      const folded = request.search ? foldForSearch(request.search) : '';
      const where = folded ? like(employees.searchText, containsPattern(folded)) : undefined;
      return pageOf(request, async (limit, offset) => {
        const [rows, [total]] = await Promise.all([
          db
            .select()
            .from(employees)
            .where(where)
            .orderBy(asc(employees.employeeCode))
            .limit(limit)
            .offset(offset),
          db.select({ n: count() }).from(employees).where(where),
        ]);
        return { items: rows.map(toRecord), total: total?.n ?? 0 };
      });
    },
    async create(actor: string, input: unknown): Promise<EmployeeRecord> {
      const employee = validateEmployee(input);
      await save(`user:${actor}`, 'create', employee);
      return (await get(employee.employeeCode)) as EmployeeRecord;
    },
    async update(actor: string, code: string, input: unknown): Promise<EmployeeRecord> {
      if (typeof input !== 'object' || input === null || Array.isArray(input) || 'employeeCode' in input) {
        throw new HubError(
          'validation',
          '変更内容は項目ごとの値で指定してください（社員番号は変更できません）。',
        );
      }
      const row = await getRow(code);
      if (!row) throw new HubError('not_found', `社員番号 ${code} の従業員が見つかりません。`);
      const employee = validateEmployee(applyPatch(rowToEmployee(row), input as EmployeePatch));
      await save(`user:${actor}`, 'update', employee);
      return (await get(code)) as EmployeeRecord;
    },
    /**
     * Every employee in 社員番号 order, a page at a time (keyset, so 100k rows stay cheap). Each page
     * comes back as one JSON text built by the database: one value to decode per page instead of
     * twenty-odd per row, which is most of what listing the HR master cost.
     */
    async *all(pageSize = 1_000): AsyncIterable<Employee> {
      let after = '';
      for (;;) {
        const [row] = resultRows<{ page: string | null }>(
          await db.execute(withParams(LIST_PAGE, [after, pageSize])),
        );
        const page = row?.page ? (JSON.parse(row.page) as unknown[][]) : [];
        for (const values of page) yield valuesToEmployee(values);
        const last = page.at(-1);
        if (!last || page.length < pageSize) return;
        after = last[0] as string;
      }
    },
    async getMany(codes: readonly string[]): Promise<Employee[]> {
      if (codes.length === 0) return [];
      const rows = await db
        .select()
        .from(employees)
        .where(inArray(employees.employeeCode, [...codes]));
      return rows.map(rowToEmployee);
    },
    /**
     * The engine's writes (as the `hr` connector), one transaction and a few multi-row statements
     * per batch. Each write is checked on its own (exists / missing / invalid), so one failure sinks
     * nothing else; only a failing statement fails the batch, and then every write in it reports it.
     */
    async write(actor: string, writes: readonly EmployeeWrite[]): Promise<WriteResult[]> {
      try {
        return await db.transaction(async (tx) => {
          const stored = await lockMany([...new Set(writes.map((write) => write.employeeCode))], tx);
          // A code written twice in one batch builds on its first write.
          const next = new Map<string, Employee>();
          const results = writes.map((write): WriteResult => {
            try {
              const current = next.get(write.employeeCode) ?? stored.get(write.employeeCode);
              next.set(write.employeeCode, written(write, current));
              return { employeeCode: write.employeeCode, ok: true, op: write.op };
            } catch (error) {
              return { employeeCode: write.employeeCode, ok: false, error: toWriteError(error) };
            }
          });
          const { conflicts } = await saveMany(actor, [...next.values()], stored, tx);
          // Created by someone else meanwhile: this create is refused, theirs is kept.
          const refused = new Set(conflicts);
          return results.map((result) =>
            result.ok && refused.has(result.employeeCode)
              ? {
                  employeeCode: result.employeeCode,
                  ok: false,
                  error: toWriteError(alreadyExists(result.employeeCode)),
                }
              : result,
          );
        });
      } catch (error) {
        const failure = toWriteError(error);
        return writes.map((write) => ({ employeeCode: write.employeeCode, ok: false, error: failure }));
      }
    },
    async history(code: string): Promise<EmployeeChange[]> {
      return db
        .select({
          op: employeeChanges.op,
          changes: employeeChanges.changes,
          actor: employeeChanges.actor,
          createdAt: employeeChanges.createdAt,
        })
        .from(employeeChanges)
        .where(
          and(
            eq(employeeChanges.employeeCode, code),
            // A staged import's entries count once it is published (import-staging.ts).
            sql`(${employeeChanges.importStage} is null or exists (select 1 from ${publishedImports} p where p.stage = ${employeeChanges.importStage}))`,
          ),
        )
        .orderBy(desc(employeeChanges.createdAt));
    },
  };
}

export type EmployeeStore = ReturnType<typeof createEmployeeStore>;

const alreadyExists = (code: string) => new HubError('conflict', `社員番号 ${code} は既に登録されています。`);

/** The employee a write leaves behind, given the stored one; throws what the HR master refuses. */
function written(write: EmployeeWrite, current: Employee | undefined): Employee {
  if (write.op === 'create') {
    if (current) throw alreadyExists(write.employeeCode);
    return validateEmployee({ ...write.values, employeeCode: write.employeeCode });
  }
  if (!current) throw new HubError('not_found', `社員番号 ${write.employeeCode} の従業員が見つかりません。`);
  return validateEmployee(applyPatch(current, write.changes));
}

function toWriteError(error: unknown) {
  if (error instanceof HubError) {
    const kind =
      error.kind === 'conflict' ? 'conflict' : error.kind === 'not_found' ? 'not_found' : 'validation';
    const detail = error.issues.map((issue) => `${issue.field}: ${issue.message}`).join(' / ');
    return new ConnectorError(kind, detail ? `${error.message} ${detail}` : error.message).toJSON();
  }
  const safe = withoutQueryData(error);
  const message = safe instanceof Error ? safe.message : String(safe);
  return new ConnectorError('transient', `従業員リストへの書き込みに失敗しました: ${message}`).toJSON();
}
