// The CSV import's staged writer, on whichever database the suite has (`kind` picks the writer, not
// the driver). The one-transaction writer needs a server: import-writer.pg.test.ts.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type Database, resultRows } from '../db/adapter.ts';
import { databasePerFile } from '../testing/database-per-file.ts';
import { importEmployeesCsv } from './csv-import.ts';
import { createEmployeeStore } from './store.ts';

const opened = databasePerFile();

const as = (kind: Database['kind']) => ({ db: opened().db, kind });

describe('staged, then published (PGlite)', () => {
  const stages = async () =>
    resultRows<{ name: string }>(
      await opened().db.execute(
        sql`select tablename as name from pg_tables where tablename ~ '^employee_import_[0-9]+_[0-9a-f]{8}$'`,
      ),
    );

  it('leaves no stage behind, whether the file is imported, refused at its header or unreadable', async () => {
    const store = createEmployeeStore(opened().db);
    const files = [
      '社員番号,姓\r\nSG-1,段階\r\n',
      '社員番号,存在しない列\r\nSG-2,x\r\n',
      '社員番号,姓\r\nSG-3,"閉じない\r\n',
    ];
    const results = [];
    for (const file of files) {
      results.push(await importEmployeesCsv(as('pglite'), store, 'user:a', Buffer.from(file)));
      expect(await stages()).toEqual([]);
    }
    expect(results.map((result) => [result.imported, result.errors.length > 0])).toEqual([
      [1, false],
      [0, true],
      [0, true],
    ]);
  });
});
