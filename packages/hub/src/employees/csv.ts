import { type Employee, fieldLabel, normaliseEmployee } from '@renkei/core';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { CSV_BANK_ACCOUNTS, CSV_COLUMNS } from './csv-columns.ts';

export type CsvEncoding = 'utf-8' | 'shift_jis';

export interface CsvRowError {
  /** Line in the file; the header is row 1. */
  row: number;
  field: string;
  label: string;
  message: string;
}

/** A file read up to its cells: which catalog columns it has, and each row's cells. */
export interface CsvFile {
  /** Per entry of CSV_COLUMNS: its index in the file, or undefined when the file lacks it. */
  positions: (number | undefined)[];
  width: number;
  rows: { row: number; code: string | undefined; cells: string[] }[];
  /** Problems with the file or its header; with any, `rows` is empty. */
  errors: CsvRowError[];
}

export interface CsvEmployees {
  employees: { row: number; employee: Employee }[];
  errors: CsvRowError[];
}

const BOM = '\uFEFF';

export function decodeCsv(bytes: Uint8Array, encoding: CsvEncoding): string {
  const text = iconv.decode(Buffer.from(bytes), encoding === 'shift_jis' ? 'Shift_JIS' : 'utf-8');
  return text.startsWith(BOM) ? text.slice(1) : text;
}

const codeOf = (cell: string | undefined): string | undefined =>
  normaliseEmployee({ employeeCode: cell }).employee?.employeeCode;

/** Reads a 従業員リスト CSV's header and rows; which columns it has decides what a row writes. */
export function readEmployeesCsv(bytes: Uint8Array, encoding: CsvEncoding): CsvFile {
  const fail = (errors: CsvRowError[]): CsvFile => ({ positions: [], width: 0, rows: [], errors });
  let records: string[][];
  try {
    records = parse(decodeCsv(bytes, encoding), { relax_column_count: true, skip_empty_lines: true });
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    const reason = error instanceof Error ? error.message : String(error);
    return fail([{ row: line, field: 'record', label: '', message: `CSVを読み取れません: ${reason}` }]);
  }
  const [header = [], ...rows] = records;
  const errors: CsvRowError[] = [];
  const positions: (number | undefined)[] = CSV_COLUMNS.map(() => undefined);
  header.forEach((name, index) => {
    const column = CSV_COLUMNS.findIndex((candidate) => candidate.header === name.trim());
    if (column < 0) {
      errors.push({ row: 1, field: 'record', label: name, message: `不明な列「${name}」があります。` });
    } else if (positions[column] !== undefined) {
      errors.push({ row: 1, field: 'record', label: name, message: `列「${name}」が2回あります。` });
    } else positions[column] = index;
  });
  const codeAt = positions[CSV_COLUMNS.findIndex((column) => column.field === 'employeeCode')];
  if (codeAt === undefined) {
    errors.push({
      row: 1,
      field: 'employeeCode',
      label: fieldLabel('employeeCode'),
      message: '社員番号の列がありません。',
    });
  }
  if (errors.length > 0) return fail(errors);
  return {
    positions,
    width: header.length,
    rows: rows.map((cells, index) => ({ row: index + 2, code: codeOf(cells[codeAt as number]), cells })),
    errors,
  };
}

/**
 * Each row as the employee it describes, every problem reported with its row and field. Only the
 * columns the file has are written: a column it lacks keeps the stored value (`stored`, by 社員番号),
 * and an empty cell in a column it has clears that value.
 */
export function csvEmployees(file: CsvFile, stored: ReadonlyMap<string, Employee>): CsvEmployees {
  const errors: CsvRowError[] = [];
  const employees: CsvEmployees['employees'] = [];
  const seen = new Map<string, number>();
  for (const { row, code, cells } of file.rows) {
    if (cells.length !== file.width) {
      errors.push({
        row,
        field: 'record',
        label: '',
        message: `この行の列数（${cells.length}）が見出し行の列数（${file.width}）と異なります。`,
      });
      continue;
    }
    const before = code === undefined ? undefined : stored.get(code);
    const raw: Record<string, unknown> = {};
    CSV_COLUMNS.forEach((column, index) => {
      const at = file.positions[index];
      const cell = (at === undefined ? before && column.read(before) : cells[at])?.trim();
      if (cell) column.write(raw, cell);
    });
    // Accounts past the CSV's columns are not in any file: they stay, after the file's ones.
    const beyond = before?.bankAccounts?.slice(CSV_BANK_ACCOUNTS) ?? [];
    if (beyond.length > 0) raw.bankAccounts = [...((raw.bankAccounts as unknown[]) ?? []), ...beyond];
    const { employee, issues } = normaliseEmployee(raw);
    const rowErrors: CsvRowError[] = issues.map((issue) => ({
      row,
      field: issue.field,
      label: fieldLabel(issue.field),
      message: issue.message,
    }));
    if (code !== undefined && seen.has(code)) {
      rowErrors.push({
        row,
        field: 'employeeCode',
        label: fieldLabel('employeeCode'),
        message: `社員番号 ${code} が${seen.get(code)}行目と重複しています。`,
      });
    }
    if (code !== undefined && !seen.has(code)) seen.set(code, row);
    if (rowErrors.length > 0) errors.push(...rowErrors);
    else if (employee) employees.push({ row, employee });
  }
  return { employees, errors };
}

export function csvHeader(): string[] {
  return CSV_COLUMNS.map((column) => column.header);
}

export function formatEmployeesCsv(
  employees: Iterable<Employee>,
  encoding: CsvEncoding = 'utf-8',
): Uint8Array {
  const rows = [csvHeader()];
  for (const employee of employees) rows.push(CSV_COLUMNS.map((column) => column.read(employee) ?? ''));
  const text = stringify(rows, { record_delimiter: '\r\n' });
  return encoding === 'shift_jis' ? iconv.encode(text, 'Shift_JIS') : Buffer.from(BOM + text, 'utf8');
}
