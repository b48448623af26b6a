import type { Db } from '../db/adapter.ts';
import { type CsvEncoding, type CsvRowError, parseEmployeesCsv } from './csv.ts';
import type { EmployeeStore } from './store.ts';

export interface CsvImportOptions {
  encoding?: CsvEncoding;
  /** Import the valid rows of a file that has bad ones (default: a bad row imports nothing). */
  onlyValidRows?: boolean;
}

export interface CsvImportResult {
  imported: number;
  created: number;
  updated: number;
  errors: CsvRowError[];
}

/**
 * A 従業員リスト CSV into the HR master: every row validated first, then the rows written in
 * multi-row statements inside one transaction (10 000 rows are a few dozen statements, not 40 000).
 */
export async function importEmployeesCsv(
  db: Db,
  store: EmployeeStore,
  actor: string,
  bytes: Uint8Array,
  options: CsvImportOptions = {},
): Promise<CsvImportResult> {
  const parsed = parseEmployeesCsv(bytes, options.encoding ?? 'utf-8');
  const result: CsvImportResult = { imported: 0, created: 0, updated: 0, errors: parsed.errors };
  if (parsed.errors.length > 0 && !options.onlyValidRows) return result;
  const employees = parsed.employees.map((row) => row.employee);
  const written = await db.transaction(async (tx) => {
    const stored = await store.lockMany(
      employees.map((employee) => employee.employeeCode),
      tx as Db,
    );
    return store.saveMany(actor, employees, stored, tx as Db);
  });
  return { ...result, ...written, imported: employees.length };
}
