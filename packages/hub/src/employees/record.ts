// Canonical employee ⇔ employees row. Columns carry the canonical names, so the mapping is a pick.

import { isDeepStrictEqual } from 'node:util';
import { type Employee, FIELD_KEYS, type FieldChange, type FieldKey } from '@renkei/core';
import { copyCell } from '../db/adapter.ts';
import type { employees } from '../db/schema.ts';

export type EmployeeRow = typeof employees.$inferSelect;
type EmployeeColumns = Pick<EmployeeRow, FieldKey | 'employeeCode'>;

export function rowToEmployee(row: EmployeeRow): Employee {
  const employee: Record<string, unknown> = { employeeCode: row.employeeCode };
  for (const key of FIELD_KEYS) {
    const value = row[key];
    if (value !== null && value !== undefined) employee[key] = value;
  }
  return employee as Employee;
}

/** Every field as a column value (null where the employee does not hold it). */
export function employeeToColumns(employee: Employee): EmployeeColumns {
  const columns: Record<string, unknown> = { employeeCode: employee.employeeCode };
  for (const key of FIELD_KEYS) columns[key] = employee[key] ?? null;
  return columns as EmployeeColumns;
}

/** Search folds width (NFKC), case, whitespace and hiragana → katakana, on both sides. */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/[\u3041-\u3096]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60));
}

export function searchTextOf(employee: Employee): string {
  const join = (...parts: (string | undefined)[]) => parts.filter(Boolean).join('');
  return [
    employee.employeeCode,
    join(employee.lastName, employee.firstName),
    join(employee.lastNameKana, employee.firstNameKana),
    join(employee.businessLastName, employee.businessFirstName),
    join(employee.businessLastNameKana, employee.businessFirstNameKana),
  ]
    .map(foldForSearch)
    .join('\n');
}

/** The fields whose value differs between two versions, for the audit trail. */
export function diffEmployees(before: Employee | undefined, after: Employee): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of FIELD_KEYS) {
    const old = before?.[field] ?? null;
    const next = after[field] ?? null;
    if (!isDeepStrictEqual(old, next)) changes.push({ field, before: old, after: next });
  }
  return changes;
}

/** A LIKE pattern matching `text` anywhere, with LIKE's wildcards escaped. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** A field of `employee` as its column holds it: JSON text for a `jsonb` column, else text; null when absent. */
export function columnText(employee: Employee, key: string, json: boolean): string | null {
  const value = employee[key as keyof Employee];
  if (value === undefined || value === null) return null;
  return json ? JSON.stringify(value) : String(value);
}

/** The columns of `employee_changes` that `changeCopyLine` fills, in its order. */
export const CHANGE_COPY_COLUMNS = ['employee_code', 'op', 'changes', 'actor', 'import_stage'];

/**
 * An audit entry as a line of COPY text (UTF-8) for `employee_changes`; `stage` marks the entries of
 * a staged CSV import, which count once it is published (import-staging.ts).
 */
export function changeCopyLine(
  employeeCode: string,
  op: 'create' | 'update',
  changes: readonly FieldChange[],
  actor: string,
  stage: string | null = null,
): Buffer {
  const cells = [employeeCode, op, JSON.stringify(changes), actor, stage].map(copyCell);
  return Buffer.from(`${cells.join('\t')}\n`);
}
