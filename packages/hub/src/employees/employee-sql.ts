// The employees table's columns as SQL over one JSON input row (the store's multi-row writes), and
// raw statements with numbered parameters (the store's and the CSV import's publish).
import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { employees } from '../db/schema.ts';

export type EmployeeInsert = typeof employees.$inferInsert;
export const EMPLOYEE_COLUMNS = Object.entries(getTableColumns(employees)) as [
  keyof EmployeeInsert,
  PgColumn,
][];
// An upsert replaces every field and the update audit columns; the creation columns stay.
export const REPLACED = EMPLOYEE_COLUMNS.filter(
  ([key]) => key !== 'employeeCode' && key !== 'createdAt' && key !== 'createdBy',
).map(([, column]) => `${column.name} = excluded.${column.name}`);

/**
 * Each column's value taken from one JSON input row `r` (`r.e` the employee as JSON, `r.s` its
 * search text) and the statement's parameters `$now` and `$actor`, in EMPLOYEE_COLUMNS order.
 */
export function columnExpression(key: keyof EmployeeInsert, column: PgColumn): string {
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

/** `text` with its `$1`… `$n` bound to `values` (as drizzle's parameters, whichever driver runs it). */
export function withParams(text: string, values: readonly unknown[]): SQL {
  const parts = text.split(/\$(\d+)/);
  return sql.join(
    parts.map((part, index) => (index % 2 === 0 ? sql.raw(part) : sql.param(values[Number(part) - 1]))),
  );
}
