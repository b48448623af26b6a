import { describe, expect, it } from 'vitest';
import { databasePerFile } from '../testing/database-per-file.ts';
import type { Db } from './adapter.ts';
import { createDatabaseReadiness } from './readiness.ts';

const opened = databasePerFile();

describe('database readiness', () => {
  it('the embedded database stays ready while a long transaction (a CSV import) holds its one connection', async () => {
    let busy = false;
    // The import's transaction: every query waits behind it until it ends.
    const never = new Promise<never>(() => {});
    const db = new Proxy(opened().db, {
      get: (target, key, receiver) =>
        key === 'execute' && busy ? () => never : Reflect.get(target, key, receiver),
    }) as Db;
    const readiness = createDatabaseReadiness({ db, kind: 'pglite' });
    expect(await readiness()).toEqual({ database: true, migrations: true });
    busy = true;
    expect(await readiness()).toEqual({ database: true, migrations: true });
  });

  it('a server database is asked every time: one that does not answer is not ready', async () => {
    const db = new Proxy(opened().db, {
      get: (target, key, receiver) =>
        key === 'execute'
          ? () => Promise.reject(new Error('connection refused'))
          : Reflect.get(target, key, receiver),
    }) as Db;
    expect(await createDatabaseReadiness({ db, kind: 'postgres' })()).toEqual({
      database: false,
      migrations: false,
    });
  });
});
