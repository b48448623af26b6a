// The CSV import's one-transaction writer (PostgreSQL): it holds a transaction across the file,
// which embedded PGlite (one connection) cannot give two writers at once.
import { describe, expect, it } from 'vitest';
import type { Database } from '../db/adapter.ts';
import { databasePerFile } from '../testing/database-per-file.ts';
import { openImportWriter } from './import-writer.ts';
import { createEmployeeStore, validateEmployee } from './store.ts';

const opened = databasePerFile();

const as = (kind: Database['kind']) => ({ db: opened().db, kind });

describe('one transaction for the file (PostgreSQL)', () => {
  it('lets one import at a time hold the database, across processes too', async () => {
    const store = createEmployeeStore(opened().db);
    const first = await openImportWriter(as('postgres'), store, 'user:a');
    await expect(openImportWriter(as('postgres'), store, 'user:b')).rejects.toMatchObject({
      kind: 'conflict',
      message: '別のCSV取り込みを実行中です。終わってからもう一度取り込んでください。',
    });
    await first.close();
    const next = await openImportWriter(as('postgres'), store, 'user:b');
    await next.close();
  });

  it('does not hide a write that failed behind whatever ended the import after it', async () => {
    const store = createEmployeeStore(opened().db);
    const failing = {
      ...store,
      saveMany: async () => {
        throw new Error('the database refused the batch');
      },
    };
    const writer = await openImportWriter(as('postgres'), failing, 'user:a');
    const employee = validateEmployee({ employeeCode: 'WF-1', lastName: '失敗' });
    // The write runs while the next batch is parsed; the import then ends without committing.
    await writer.add([{ line: 2, employee, changes: [], baseVersion: null }]);
    await expect(writer.close()).rejects.toThrow('the database refused the batch');
    expect(await store.get('WF-1')).toBeNull();
  });
});
