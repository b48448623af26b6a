import { type Employee, type FieldIssue, fieldLabel, normaliseEmployee } from '@renkei/core';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { HubError } from '../errors.ts';
import { listSome } from '../listing.ts';
import { CSV_BANK_ACCOUNTS, CSV_COLUMNS, type CsvColumn } from './csv-columns.ts';

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

// "Shift_JIS" here means CP932 (Windows-31J), what Japanese Excel reads and writes as "CSV": it has
// 髙, 﨑, ① and ㈱, and maps 0x8160 / 0x817C to ～ (U+FF5E) / － (U+FF0D), not JIS's 〜 / −. So 〜 and −
// are refused rather than written as ～ / －, which would read back as other characters. iconv-lite's
// `Shift_JIS` is this same table; naming it cp932 says so.
const SJIS = 'cp932';

export function decodeCsv(bytes: Uint8Array, encoding: CsvEncoding): string {
  const text = iconv.decode(Buffer.from(bytes), encoding === 'shift_jis' ? SJIS : 'utf-8');
  return text.startsWith(BOM) ? text.slice(1) : text;
}

// A cell Excel would run as a formula (OWASP "CSV injection") is written behind a `'`. So that every
// value reads back as itself, a value that already starts with `'`s before such a character gets one
// more, and reading removes exactly one.
const FORMULA = /^'*[=+\-@\t\r]/;

function neutraliseFormula(cell: string): string {
  return FORMULA.test(cell) ? `'${cell}` : cell;
}

function restoreFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA.test(cell.slice(1)) ? cell.slice(1) : cell;
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
      const cell =
        at === undefined ? before && column.read(before).trim() : restoreFormula(cells[at]?.trim() ?? '');
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

/** Throws, naming every cell CP932 cannot hold: an export must never turn 𠮷田 into ?田 for a re-import to save. */
function refuseUnencodable(rows: readonly string[][]): void {
  const issues: FieldIssue[] = [];
  for (const cells of rows) {
    cells.forEach((cell, index) => {
      const lost = [...cell].filter((char) => iconv.decode(iconv.encode(char, SJIS), SJIS) !== char);
      if (lost.length === 0) return;
      const column = CSV_COLUMNS[index] as CsvColumn;
      issues.push({
        field: column.field,
        message: `社員番号 ${cells[0]} の「${column.header}」（${[...new Set(lost)].join('')}）`,
        value: cell,
      });
    });
  }
  throw new HubError(
    'validation',
    `Shift_JISで表せない文字があるため出力できません。UTF-8で出力してください: ${listSome(
      issues.map((issue) => issue.message),
      '、',
    )}`,
    { issues },
  );
}

/**
 * The 従業員リスト as a CSV file. Shift_JIS is refused (HubError `validation`, naming each 社員番号 and
 * column) when a value has a character it cannot hold, rather than writing `?` in its place.
 */
export function formatEmployeesCsv(
  employees: Iterable<Employee>,
  encoding: CsvEncoding = 'utf-8',
): Uint8Array {
  const rows: string[][] = [];
  for (const employee of employees) rows.push(CSV_COLUMNS.map((column) => column.read(employee) ?? ''));
  const text = stringify([csvHeader(), ...rows], {
    record_delimiter: '\r\n',
    cast: { string: neutraliseFormula },
  });
  if (encoding === 'utf-8') return Buffer.from(BOM + text, 'utf8');
  const bytes = iconv.encode(text, SJIS);
  // One decode of the whole file finds whether anything was lost; only then is each cell looked at.
  if (iconv.decode(bytes, SJIS) !== text) refuseUnencodable(rows);
  return bytes;
}
