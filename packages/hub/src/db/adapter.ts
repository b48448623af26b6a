// The one dialect-aware file: opens PGlite (embedded) or a PostgreSQL server, applies the
// migrations, and builds pg-boss on the same database. Everything else sees `Db` only.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite, type Transaction as PgliteTransaction } from '@electric-sql/pglite';
import { DrizzleQueryError, type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { type Clock, fromPglite, PgBoss } from 'pg-boss';
import { from as copyFrom } from 'pg-copy-streams';
import { migrationsFolder, newestMigration } from './migrations.ts';
import { templateBlob, unpackTemplate } from './pglite-template.ts';
import * as schema from './schema.ts';
import { keepWasmOnBaseline } from './wasm-tiering.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DatabaseTarget = { databaseUrl: string } | { dataDir: string } | { inMemory: true };

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** A pg-boss instance on this database (not started); `superviseSeconds`: how often it reclaims lost jobs. */
  createQueue(superviseSeconds?: number, clock?: Clock): PgBoss;
  close(): Promise<void>;
}

/**
 * PGlite's own start parameters plus a 64 MB buffer pool instead of PostgreSQL's 128 MB: inside
 * WebAssembly the whole pool is resident from the start (PGlite alone in a data folder: 280 MB RSS
 * with 128 MB, 159 MB with 16 MB). The data folder's files stay in the OS page cache, so pages
 * evicted from the pool are a system call away, not a disk read, but through PGlite's file system
 * that call is slow: 32 MB was measured slower on a ~25 MB table, so 64 MB. `wal_buffers` follows.
 */
const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=64MB'];

/** The rows of a raw statement's result, whichever driver ran it (node-postgres and PGlite differ). */
export function resultRows<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * For /readyz: the database answers, and every migration this code ships is applied (drizzle
 * records each applied migration's timestamp). Never throws.
 */
export async function databaseReadiness(db: Db): Promise<{ database: boolean; migrations: boolean }> {
  try {
    const result = await db.execute(sql`select max(created_at) as newest from drizzle.__drizzle_migrations`);
    const rows = resultRows<{ newest: string | number | null }>(result);
    return { database: true, migrations: Number(rows[0]?.newest ?? 0) >= newestMigration() };
  } catch {
    return { database: false, migrations: false };
  }
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if ('databaseUrl' in target) {
    const pool = new pg.Pool({ connectionString: target.databaseUrl, max: 10 });
    // An idle client dropped by the server (restart, failover) must not crash the process; the pool
    // replaces it on the next query.
    pool.on('error', () => {});
    const db = drizzleNodePg({ client: pool, schema });
    // Several processes may start at once: one applies the migrations, the others wait.
    try {
      const lock = await pool.connect();
      try {
        await lock.query('select pg_advisory_lock(741852)');
        await migrateNodePg(db, { migrationsFolder });
      } finally {
        await lock.query('select pg_advisory_unlock(741852)').catch(() => {});
        lock.release();
      }
    } catch (error) {
      await pool.end().catch(() => {});
      throw error;
    }
    return {
      db: db as unknown as Db,
      kind: 'postgres',
      createQueue: (superviseSeconds = 30, clock?: Clock) =>
        new PgBoss({
          ...(clock ? { clock } : {}),
          connectionString: target.databaseUrl,
          max: 4,
          superviseIntervalSeconds: superviseSeconds,
          monitorIntervalSeconds: superviseSeconds,
        }),
      close: () => pool.end(),
    };
  }
  let dataDir: string | undefined;
  if ('dataDir' in target) {
    dataDir = join(target.dataDir, 'pglite');
    // A fresh database comes from the template instead of initdb (pglite-template.ts).
    if (!(await unpackTemplate(dataDir))) mkdirSync(dataDir, { recursive: true });
  }
  keepWasmOnBaseline();
  const template = dataDir ? undefined : templateBlob();
  const pglite = new PGlite(dataDir, {
    startParams: PGLITE_START_PARAMS,
    ...(template ? { loadDataDir: template } : {}),
  });
  const db = drizzlePglite({ client: pglite, schema });
  await migratePglite(db, { migrationsFolder }).catch(async (error) => {
    await pglite.close().catch(() => {});
    throw error;
  });
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    createQueue: (superviseSeconds = 30, clock?: Clock) =>
      new PgBoss({
        ...(clock ? { clock } : {}),
        db: fromPglite(pglite),
        backend: 'pglite',
        superviseIntervalSeconds: superviseSeconds,
        monitorIntervalSeconds: superviseSeconds,
      }),
    close: () => pglite.close(),
  };
}

/**
 * Rows into `table` (`columns` in order) with PostgreSQL's COPY in its text format (`lines`, one per row,
 * each ending in a line break, cells separated by tabs, `\N` for null; see `copyCell`), on `executor`'s connection and so in its
 * transaction: COPY FROM STDIN on a PostgreSQL server, COPY FROM '/dev/blob' on PGlite. Much cheaper
 * for the database than the same rows as statement parameters. A failure throws like a failed
 * statement (drizzle's DrizzleQueryError, with the SQLSTATE in its cause and no row data).
 */
export async function copyRows(
  executor: Db,
  table: string,
  columns: readonly string[],
  lines: readonly Buffer[],
): Promise<void> {
  const client = (executor as unknown as { _: { session: { client: unknown } } })._.session.client;
  const target = `copy ${table} (${columns.join(', ')})`;
  try {
    if (client instanceof pg.Client) {
      await pipeline(Readable.from(lines), client.query(copyFrom(`${target} from stdin`)));
    } else if (client instanceof pg.Pool) {
      throw new Error('copyRows needs a transaction (one connection), not the pool');
    } else {
      await (client as PGlite | PgliteTransaction).query(`${target} from '/dev/blob'`, [], {
        blob: new Blob(lines as Buffer<ArrayBuffer>[]),
      });
    }
  } catch (error) {
    throw new DrizzleQueryError(`${target} …`, [], error as Error);
  }
}

/** `text` with its `$1`… `$n` bound to `values` (as drizzle's parameters, whichever driver runs it). */
export function withParams(text: string, values: readonly unknown[]): SQL {
  const parts = text.split(/\$(\d+)/);
  return sql.join(
    parts.map((part, index) => (index % 2 === 0 ? sql.raw(part) : sql.param(values[Number(part) - 1]))),
  );
}

/** A value as one cell of COPY's text format: `\N` for null, else with `\`, tab and line breaks escaped. */
export function copyCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  return COPY_SPECIAL.test(value) ? value.replace(COPY_ESCAPES, (ch) => COPY_ESCAPED[ch] as string) : value;
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES = /[\\\t\n\r]/g;
const COPY_ESCAPED: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
