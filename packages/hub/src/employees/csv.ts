import { type Employee, fieldLabel, normaliseEmployee } from '@renkei/core';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { CSV_COLUMNS } from './csv-columns.ts';

export type CsvEncoding = 'utf-8' | 'shift_jis';

export interface CsvRowError {
  /** Line in the file; the header is row 1. */
  row: number;
  field: string;
  label: string;
  message: string;
}

export interface ParsedCsv {
  employees: { row: number; employee: Employee }[];
  errors: CsvRowError[];
}

const BOM = '\uFEFF';

export function decodeCsv(bytes: Uint8Array, encoding: CsvEncoding): string {
  const text = iconv.decode(Buffer.from(bytes), encoding === 'shift_jis' ? 'Shift_JIS' : 'utf-8');
  return text.startsWith(BOM) ? text.slice(1) : text;
}

/** Reads a 従業員リスト CSV: every row validated, every problem reported with its row and field. */
export function parseEmployeesCsv(bytes: Uint8Array, encoding: CsvEncoding): ParsedCsv {
  const errors: CsvRowError[] = [];
  let records: string[][];
  try {
    records = parse(decodeCsv(bytes, encoding), { relax_column_count: true, skip_empty_lines: true });
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    const reason = error instanceof Error ? error.message : String(error);
    return {
      employees: [],
      errors: [{ row: line, field: 'record', label: '', message: `CSVを読み取れません: ${reason}` }],
    };
  }
  const [header = [], ...rows] = records;
  const columns = header.map((name) => CSV_COLUMNS.find((column) => column.header === name.trim()));
  header.forEach((name, index) => {
    if (!columns[index])
      errors.push({ row: 1, field: 'record', label: name, message: `不明な列「${name}」があります。` });
  });
  if (!columns.some((column) => column?.field === 'employeeCode')) {
    errors.push({
      row: 1,
      field: 'employeeCode',
      label: fieldLabel('employeeCode'),
      message: '社員番号の列がありません。',
    });
  }
  if (errors.length > 0) return { employees: [], errors };

  const employees: ParsedCsv['employees'] = [];
  const seen = new Map<string, number>();
  rows.forEach((cells, index) => {
    const row = index + 2;
    const raw: Record<string, unknown> = {};
    cells.forEach((cell, col) => {
      if (cell.trim() !== '') columns[col]?.write(raw, cell.trim());
    });
    const { employee, issues } = normaliseEmployee(raw);
    const rowErrors: CsvRowError[] = issues.map((issue) => ({
      row,
      field: issue.field,
      label: fieldLabel(issue.field),
      message: issue.message,
    }));
    const code = employee?.employeeCode;
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
  });
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
