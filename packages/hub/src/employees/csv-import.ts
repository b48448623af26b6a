import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Employee } from '@renkei/core';
import { parse } from 'csv-parse';
import type { Database } from '../db/adapter.ts';
import {
  CHECK_ENCODING,
  type CsvEncoding,
  type CsvLayout,
  type CsvRow,
  type CsvRowError,
  csvEmployees,
  csvParseMessage,
  csvRow,
  decodeSlices,
  detectEncoding,
  readCsvHeader,
} from './csv.ts';
import type { StagedRow, StoredForImport } from './import-staging.ts';
import { openImportWriter } from './import-writer.ts';
import { diffEmployees } from './record.ts';
import type { EmployeeStore } from './store.ts';

export interface CsvImportOptions {
  /** The file's encoding; `auto` (the default) detects UTF-8 (with or without BOM) or Shift_JIS. */
  encoding?: CsvEncoding | 'auto';
  /** Import the valid rows of a file that has bad ones (default: a bad row imports nothing). */
  onlyValidRows?: boolean;
}

export interface CsvImportResult {
  imported: number;
  created: number;
  updated: number;
  errors: CsvRowError[];
  /** The encoding the file was read as. */
  encoding?: CsvEncoding;
}

export interface CsvImportProgress {
  bytesRead: number;
  totalBytes: number;
  rows: number;
  /** Reading and checking the file (the server answers meanwhile), then writing what it holds in one go. */
  phase: 'reading' | 'writing';
}

/**
 * Rows validated and written per step, by database; each step ends with a turn of the event loop.
 * Embedded PGlite runs each statement on this thread: at 50 rows a step holds requests up for tens
 * of milliseconds, and the import is no slower than at 250 (measured in packages/benchmarks). A
 * PostgreSQL server works in its own process, so fewer, larger steps cost less.
 */
export const IMPORT_BATCH_ROWS = { pglite: 50, postgres: 2_000 } as const;

/** Bytes decoded and parsed per step (a few dozen rows): small enough to hold no request up. */
const SLICE_BYTES = 32 * 1024;

/** Occurrences of `pattern` in the cells; only cells holding a line break are searched (few are). */
const count = (cells: readonly string[], pattern: RegExp) =>
  cells.reduce((sum, cell) => (cell.includes('\n') ? sum + (cell.match(pattern)?.length ?? 0) : sum), 0);

/** The file's records in batches (header first), each record with the line it starts on. */
async function* recordBatches(
  bytes: Uint8Array,
  encoding: CsvEncoding,
  onBytes: (bytesRead: number) => void,
  invalid: { line: number; column: number }[],
  batchRows: number,
): AsyncGenerator<{ line: number; cells: string[] }[]> {
  const parser = parse({ relax_column_count: true, skip_empty_lines: true, info: true });
  const batch: { line: number; cells: string[] }[] = [];
  // csv-parse's `lines` is the line a record ends on, except that it counts each CRLF inside a
  // quoted cell twice: those are taken off, and the record's own line breaks lead back to its start.
  let doubleCounted = 0;
  const drain = () => {
    for (;;) {
      const record = parser.read() as { record: string[]; info: { lines: number } } | null;
      if (record === null) return;
      doubleCounted += count(record.record, /\r\n/g);
      const end = record.info.lines - doubleCounted;
      batch.push({ line: end - count(record.record, /\n/g), cells: record.record });
    }
  };
  const ended = new Promise<void>((resolve, reject) => {
    parser.once('end', resolve);
    parser.once('error', reject);
  });
  ended.catch(() => {});
  parser.on('readable', drain);
  for (const slice of decodeSlices(bytes, encoding, SLICE_BYTES)) {
    invalid.push(...slice.invalid);
    await new Promise<void>((resolve, reject) =>
      parser.write(slice.text, (error) => (error ? reject(error) : resolve())),
    );
    drain();
    onBytes(slice.bytesRead);
    while (batch.length >= batchRows) yield batch.splice(0, batchRows);
    // Decoding and parsing a slice is synchronous: requests get their turn between slices too.
    await nextTurn();
  }
  parser.end();
  await ended;
  drain();
  while (batch.length > 0) yield batch.splice(0, batchRows);
}

/**
 * A 従業員リスト CSV into the HR master, as a stream: the file is decoded and parsed a slice at a
 * time, and each batch of rows is validated against the stored employees and handed to the
 * database's writer (import-writer.ts), with a turn of the event loop between batches so the server
 * keeps answering. All or nothing unless `onlyValidRows`: a bad row anywhere writes nothing, and
 * every row is still checked so the report is complete.
 */
export async function importEmployeesCsv(
  database: Pick<Database, 'db' | 'kind'>,
  store: EmployeeStore,
  actor: string,
  bytes: Uint8Array,
  options: CsvImportOptions = {},
  onProgress: (progress: CsvImportProgress) => void = () => {},
  signal?: AbortSignal,
  batchRows: number = IMPORT_BATCH_ROWS.pglite,
): Promise<CsvImportResult> {
  const encoding =
    options.encoding === undefined || options.encoding === 'auto' ? detectEncoding(bytes) : options.encoding;
  const result: CsvImportResult = { imported: 0, created: 0, updated: 0, errors: [], encoding };
  const invalid: { line: number; column: number }[] = [];
  const progress: CsvImportProgress = { bytesRead: 0, totalBytes: bytes.length, rows: 0, phase: 'reading' };
  const invalidErrors = () =>
    invalid.splice(0).map(
      ({ line, column }): CsvRowError => ({
        row: line,
        field: 'record',
        label: '',
        message:
          line === 1
            ? `見出し行を読み取れません（${column}文字目）。${CHECK_ENCODING}`
            : `${column}文字目に${encoding === 'utf-8' ? 'UTF-8' : 'Shift_JIS'}として読めない文字があります。${CHECK_ENCODING}`,
      }),
    );
  const keepsGoing = () => result.errors.length === 0 || options.onlyValidRows === true;
  let layout: CsvLayout | undefined;
  let unreadable = false;
  let valid = 0;
  const writer = await openImportWriter(database, store, actor);
  try {
    const seen = new Map<string, number>();
    const batches = recordBatches(
      bytes,
      encoding,
      (bytesRead) => {
        progress.bytesRead = bytesRead;
      },
      invalid,
      batchRows,
    );
    try {
      for await (const records of batches) {
        signal?.throwIfAborted();
        let rows: CsvRow[] = [];
        if (!layout) {
          const [header, ...rest] = records;
          const headerInvalid = invalid.some((entry) => entry.line === 1);
          const read = header && !headerInvalid ? readCsvHeader(header.cells) : undefined;
          if (!read || 'errors' in read) {
            result.errors.push(...invalidErrors().filter((error) => error.row === 1));
            if (read && 'errors' in read) result.errors.push(...read.errors);
            if (result.errors.length === 0) {
              result.errors.push({ row: 1, field: 'record', label: '', message: `見出し行がありません。` });
            }
            return finish(result);
          }
          layout = read.layout;
          rows = rest.map((record) => csvRow(read.layout, record.line, record.cells));
        } else {
          const current = layout;
          rows = records.map((record) => csvRow(current, record.line, record.cells));
        }
        result.errors.push(...invalidErrors());
        const codes = rows.flatMap((row) => (row.code === undefined ? [] : [row.code]));
        const stored = await writer.read(codes);
        const { employees, errors } = csvEmployees(
          layout,
          rows,
          new Map([...stored].map(([code, { employee }]) => [code, employee])),
          seen,
        );
        result.errors.push(...errors);
        progress.rows += rows.length;
        valid += employees.length;
        // Once a bad row means nothing is written, the rest is only checked, not staged.
        if (keepsGoing()) await writer.add(toStage(employees, stored));
        onProgress({ ...progress });
        // Let requests that arrived meanwhile be answered before the next batch.
        await nextTurn();
      }
    } catch (error) {
      if (signal?.aborted) throw error;
      if (!(error instanceof Error) || !('code' in error) || !String(error.code).startsWith('CSV_'))
        throw error;
      unreadable = true;
      const line = (error as { lines?: number }).lines ?? 1;
      result.errors.push({ row: line, field: 'record', label: '', message: csvParseMessage(error) });
    }
    const pending = invalidErrors();
    // Without a header only the header's own problem is worth reading.
    const header = layout ? [] : pending.filter((error) => error.row === 1);
    result.errors.push(...(header.length > 0 ? header : pending));
    if (!layout && result.errors.length === 0) {
      result.errors.push({ row: 1, field: 'record', label: '', message: 'CSVファイルが空です。' });
    }
    // A file whose structure breaks (no header, an unclosed quote) writes nothing, whatever was asked.
    if (!layout || unreadable || !keepsGoing()) return finish(result);
    signal?.throwIfAborted();
    onProgress({ ...progress, bytesRead: bytes.length, phase: 'writing' });
    const published = await writer.commit(options.onlyValidRows ? 'skip' : 'rollback');
    for (const { line, employeeCode } of published.conflicts) {
      result.errors.push({
        row: line,
        field: 'employeeCode',
        label: '社員番号',
        message: `社員番号 ${employeeCode} の従業員が取り込み中に登録・更新されました。内容を確認して、もう一度取り込んでください。`,
      });
    }
    if (published.published) {
      Object.assign(result, {
        imported: valid - published.conflicts.length,
        created: published.created,
        updated: published.updated,
      });
    }
    return finish(result);
  } finally {
    await writer.close();
  }
}

/** The rows worth writing, each with its audit entry: an unchanged employee is left alone. */
function toStage(
  rows: readonly { row: number; employee: Employee }[],
  stored: ReadonlyMap<string, StoredForImport>,
): StagedRow[] {
  return rows.flatMap(({ row, employee }) => {
    const before = stored.get(employee.employeeCode);
    const changes = diffEmployees(before?.employee, employee);
    return before && changes.length === 0
      ? []
      : [{ line: row, employee, changes, baseVersion: before?.version ?? null }];
  });
}

function finish(result: CsvImportResult): CsvImportResult {
  result.errors.sort((a, b) => a.row - b.row);
  return result;
}
