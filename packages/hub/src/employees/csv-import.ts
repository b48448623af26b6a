import type { Db } from '../db/adapter.ts';
import { type CsvEncoding, type CsvRowError, csvEmployees, readEmployeesCsv } from './csv.ts';
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
 * A 従業員リスト CSV into the HR master, in one transaction: the rows' stored employees read (and
 * locked), every row validated against them, then written in multi-row statements (10 000 rows are
 * a few dozen statements, not 40 000).
 */
export async function importEmployeesCsv(
  db: Db,
  store: EmployeeStore,
  actor: string,
  bytes: Uint8Array,
  options: CsvImportOptions = {},
): Promise<CsvImportResult> {
  const file = readEmployeesCsv(bytes, options.encoding ?? 'utf-8');
  return db.transaction(async (tx) => {
    const codes = file.rows.flatMap((row) => (row.code === undefined ? [] : [row.code]));
    const stored = await store.lockMany(codes, tx as Db);
    const { employees, errors } = csvEmployees(file, stored);
    const result: CsvImportResult = {
      imported: 0,
      created: 0,
      updated: 0,
      errors: [...file.errors, ...errors],
    };
    if (result.errors.length > 0 && !options.onlyValidRows) return result;
    const list = employees.map((row) => row.employee);
    const written = await store.saveMany(actor, list, stored, tx as Db);
    return { ...result, ...written, imported: list.length };
  });
}
