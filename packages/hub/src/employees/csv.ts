import { type Employee, type FieldIssue, fieldLabel, normaliseEmployee } from '@renkei/core';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { HubError } from '../errors.ts';
import { listSome } from '../listing.ts';
import { controlCharacterIn, controlCharacterMessage } from './control-characters.ts';
import { CSV_BANK_ACCOUNTS, CSV_COLUMNS, type CsvColumn } from './csv-columns.ts';

export type CsvEncoding = 'utf-8' | 'shift_jis';

export interface CsvRowError {
  /** Line in the file where the row starts; the header is line 1 (blank lines count). */
  row: number;
  field: string;
  label: string;
  message: string;
}

/** Which catalog columns a file has (from its header). */
export interface CsvLayout {
  /** Per entry of CSV_COLUMNS: its index in the file, or undefined when the file lacks it. */
  positions: (number | undefined)[];
  width: number;
  /** Index of 社員番号 in the file. */
  codeAt: number;
}

export interface CsvRow {
  row: number;
  code: string | undefined;
  cells: string[];
}

export interface CsvEmployees {
  employees: { row: number; employee: Employee }[];
  errors: CsvRowError[];
}

const BOM = '\uFEFF';
const UTF8_BOM = [0xef, 0xbb, 0xbf];

// "Shift_JIS" here means CP932 (Windows-31J), what Japanese Excel reads and writes as "CSV": it has
// 髙, 﨑, ① and ㈱, and maps 0x8160 / 0x817C to ～ (U+FF5E) / － (U+FF0D), not JIS's 〜 / −. So 〜 and −
// are refused rather than written as ～ / －, which would read back as other characters. iconv-lite's
// `Shift_JIS` is this same table; naming it cp932 says so.
const SJIS = 'cp932';

const hasUtf8Bom = (bytes: Uint8Array) => UTF8_BOM.every((byte, index) => bytes[index] === byte);

/**
 * UTF-8 when the file has a BOM, when its header line (Japanese column names) is valid UTF-8, or
 * when an ASCII-only header is followed by valid UTF-8 throughout; otherwise Shift_JIS (CP932). The
 * header decides so that a UTF-8 file with a few stray bytes is read as UTF-8 and those are reported.
 */
export function detectEncoding(bytes: Uint8Array): CsvEncoding {
  if (hasUtf8Bom(bytes)) return 'utf-8';
  const newline = bytes.indexOf(0x0a);
  const header = bytes.subarray(0, newline < 0 ? bytes.length : newline);
  const valid = (part: Uint8Array) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(part);
      return true;
    } catch {
      return false;
    }
  };
  if (!valid(header)) return 'shift_jis';
  if (header.some((byte) => byte >= 0x80)) return 'utf-8';
  return valid(bytes) ? 'utf-8' : 'shift_jis';
}

/** One line decoded, or the 1-based column of its first byte invalid in the encoding. */
type DecodedLine = { text: string } | { badColumn: number };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decodeLine(bytes: Uint8Array, encoding: CsvEncoding): DecodedLine {
  if (encoding === 'shift_jis') {
    // CP932 maps no byte sequence to U+FFFD: one in the text is where an invalid byte was.
    const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), SJIS);
    const bad = text.indexOf('\uFFFD');
    return bad < 0 ? { text } : { badColumn: [...text.slice(0, bad)].length + 1 };
  }
  try {
    return { text: strictUtf8.decode(bytes) };
  } catch {
    // The longest prefix that decodes (an unfinished character at its end allowed) ends where the
    // first invalid byte is.
    let low = 0;
    let high = bytes.length;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
        low = mid;
      } catch {
        high = mid - 1;
      }
    }
    const prefix = new TextDecoder('utf-8').decode(bytes.subarray(0, low));
    return { badColumn: [...prefix].length + 1 };
  }
}

/** A file's decoded text in slices of whole lines, with each line that has invalid bytes. */
export interface DecodedSlice {
  text: string;
  /** Bytes of the file consumed so far. */
  bytesRead: number;
  invalid: { line: number; column: number }[];
}

/**
 * Decodes `bytes` a slice of lines at a time (LF never occurs inside a UTF-8 or CP932 character, so
 * lines split safely on bytes). A line with bytes invalid in the encoding is reported by line and
 * column and left out of the text.
 */
export function* decodeSlices(
  bytes: Uint8Array,
  encoding: CsvEncoding,
  sliceBytes = 256 * 1024,
): Generator<DecodedSlice> {
  let offset = encoding === 'utf-8' && hasUtf8Bom(bytes) ? UTF8_BOM.length : 0;
  let line = 1;
  while (offset < bytes.length) {
    let end = Math.min(bytes.length, offset + sliceBytes);
    if (end < bytes.length) {
      const newline = bytes.indexOf(0x0a, end);
      end = newline < 0 ? bytes.length : newline + 1;
    }
    const parts: string[] = [];
    const invalid: DecodedSlice['invalid'] = [];
    let start = offset;
    while (start < end) {
      const newline = bytes.indexOf(0x0a, start);
      const stop = newline < 0 || newline >= end ? end : newline + 1;
      const decoded = decodeLine(bytes.subarray(start, stop), encoding);
      if ('text' in decoded) parts.push(decoded.text);
      else {
        invalid.push({ line, column: decoded.badColumn });
        parts.push('\n');
      }
      line += 1;
      start = stop;
    }
    offset = end;
    yield { text: parts.join(''), bytesRead: offset, invalid };
  }
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

export const CHECK_ENCODING = '文字コードを確認してください（UTF-8 または Shift_JIS）。';

/** Control characters other than tab and line breaks: a text file's header has none, a binary file's does. */
const looksBinary = (text: string): boolean => controlCharacterIn(text) !== undefined;

/** The file's layout from its header, or what is wrong with the header. */
export function readCsvHeader(header: readonly string[]): { layout: CsvLayout } | { errors: CsvRowError[] } {
  const errors: CsvRowError[] = [];
  const headerError = (message: string, label = ''): CsvRowError => ({
    row: 1,
    field: 'record',
    label,
    message,
  });
  if (header.some(looksBinary)) {
    return { errors: [headerError(`CSVファイルとして読み取れません。ファイルの種類と${CHECK_ENCODING}`)] };
  }
  const positions: (number | undefined)[] = CSV_COLUMNS.map(() => undefined);
  let known = 0;
  header.forEach((name, index) => {
    const column = CSV_COLUMNS.findIndex((candidate) => candidate.header === name.trim());
    if (column < 0) {
      errors.push(headerError(`不明な列「${name}」があります。`, name));
    } else if (positions[column] !== undefined) {
      errors.push(headerError(`列「${name}」が2回あります。`, name));
    } else {
      positions[column] = index;
      known += 1;
    }
  });
  // Not one column known: most likely the wrong encoding (a Shift_JIS file read as UTF-8 or back).
  if (known === 0 && header.length > 0) {
    return { errors: [headerError(`見出し行に既知の列がありません。${CHECK_ENCODING}`)] };
  }
  const codeAt = positions[CSV_COLUMNS.findIndex((column) => column.field === 'employeeCode')];
  if (codeAt === undefined) {
    errors.push({
      row: 1,
      field: 'employeeCode',
      label: fieldLabel('employeeCode'),
      message: '社員番号の列がありません。',
    });
  }
  if (errors.length > 0 || codeAt === undefined) return { errors };
  return { layout: { positions, width: header.length, codeAt } };
}

export function csvRow(layout: CsvLayout, row: number, cells: string[]): CsvRow {
  return { row, code: codeOf(cells[layout.codeAt]), cells };
}

/** csv-parse's errors in Japanese (its own messages are English and name its options). */
export function csvParseMessage(error: unknown): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return '「"」で始まった値が閉じられていません。';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return '「"」で閉じた値の後に余分な文字があります。';
    case 'CSV_MAX_RECORD_SIZE':
      return '1行が長すぎます。';
    default:
      return `CSVの形式が正しくありません。${CHECK_ENCODING}`;
  }
}

/**
 * Each row as the employee it describes, every problem reported with its row and field. Only the
 * columns the file has are written: a column it lacks keeps the stored value (`stored`, by 社員番号),
 * and an empty cell in a column it has clears that value. `seen` (社員番号 → row) carries across the
 * batches of one file, to find a 社員番号 given twice.
 */
export function csvEmployees(
  layout: CsvLayout,
  rows: readonly CsvRow[],
  stored: ReadonlyMap<string, Employee>,
  seen: Map<string, number> = new Map(),
): CsvEmployees {
  const errors: CsvRowError[] = [];
  const employees: CsvEmployees['employees'] = [];
  for (const { row, code, cells } of rows) {
    if (cells.length !== layout.width) {
      errors.push({
        row,
        field: 'record',
        label: '',
        message: `この行の列数（${cells.length}）が見出し行の列数（${layout.width}）と異なります。`,
      });
      continue;
    }
    const before = code === undefined ? undefined : stored.get(code);
    const raw: Record<string, unknown> = {};
    const rowErrors: CsvRowError[] = [];
    CSV_COLUMNS.forEach((column, index) => {
      const at = layout.positions[index];
      // Checked as the file has it, before trimming (which would take a leading U+000B away).
      const control = at === undefined ? undefined : controlCharacterIn(cells[at] ?? '');
      if (control !== undefined) {
        rowErrors.push({
          row,
          field: column.field,
          label: column.header,
          message: controlCharacterMessage(column.header, control),
        });
      }
      const cell =
        at === undefined ? before && column.read(before).trim() : restoreFormula(cells[at]?.trim() ?? '');
      if (cell) column.write(raw, cell);
    });
    // Accounts past the CSV's columns are not in any file: they stay, after the file's ones.
    const beyond = before?.bankAccounts?.slice(CSV_BANK_ACCOUNTS) ?? [];
    if (beyond.length > 0) raw.bankAccounts = [...((raw.bankAccounts as unknown[]) ?? []), ...beyond];
    const { employee, issues } = normaliseEmployee(raw);
    rowErrors.push(
      ...issues.map((issue) => ({
        row,
        field: issue.field,
        label: fieldLabel(issue.field),
        message: issue.message,
      })),
    );
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

/** An import's whole error report as a UTF-8 CSV (行, 項目, エラー), for the download. */
export function formatImportErrorsCsv(errors: readonly CsvRowError[]): Uint8Array {
  const text = stringify(
    [['行', '項目', 'エラー'], ...errors.map((e) => [String(e.row), e.label, e.message])],
    {
      record_delimiter: '\r\n',
      cast: { string: neutraliseFormula },
    },
  );
  return Buffer.from(BOM + text, 'utf8');
}
