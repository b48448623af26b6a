// Where a CSV import's validated rows go, by database. A PostgreSQL server gives every request a
// connection of its own: the import holds one transaction for the whole file, which other requests
// never wait for, and writes each batch as it comes (the faster way). Embedded PGlite has one
// connection: a transaction held for the whole file would hold every other request up, so rows are
// staged in short transactions and published in one at the end (import-staging.ts).
import type { Employee } from '@renkei/core';
import { sql } from 'drizzle-orm';
import { type Database, type Db, resultRows } from '../db/adapter.ts';
import { HubError } from '../errors.ts';
import {
  dropStage,
  openStage,
  type PublishResult,
  publishImport,
  readForImport,
  type StagedRow,
  type StoredForImport,
  stageRows,
} from './import-staging.ts';
import type { EmployeeStore } from './store.ts';

export interface ImportWriter {
  /** The stored employees among `codes`, which a batch is validated against. */
  read(codes: readonly string[]): Promise<Map<string, StoredForImport>>;
  /** Takes the rows of a batch that change something (validated against what `read` returned). */
  add(rows: readonly StagedRow[]): Promise<void>;
  /**
   * Writes what was added; a row whose stored employee changed since `read` (or was created
   * meanwhile) is not written, and with `rollback` then nothing is.
   */
  commit(onConflict: 'rollback' | 'skip'): Promise<PublishResult>;
  /** Ends the import; whatever was not committed is dropped. Always called, once. */
  close(): Promise<void>;
}

/**
 * Validated rows staged per statement. Staging costs the database a fixed amount per transaction,
 * which at a step's 50 rows was most of the import on PGlite; a thousand rows are one short COPY.
 */
const STAGE_ROWS = 250;

class Rollback extends Error {}

/** The advisory lock a PostgreSQL import holds for its transaction (the migrations take 741852). */
const IMPORT_LOCK = 741853;

/** The writer for `database`; what it writes is audited as `actor`'s. */
export async function openImportWriter(
  database: Pick<Database, 'db' | 'kind'>,
  store: EmployeeStore,
  actor: string,
): Promise<ImportWriter> {
  return database.kind === 'pglite'
    ? stagedWriter(database.db, actor)
    : transactionWriter(database.db, store, actor);
}

function stagedWriter(db: Db, actor: string): Promise<ImportWriter> {
  return openStage(db).then((table) => {
    const pending: StagedRow[] = [];
    return {
      read: (codes) => readForImport(db, codes),
      async add(rows) {
        pending.push(...rows);
        if (pending.length >= STAGE_ROWS) await stageRows(db, table, actor, pending.splice(0));
      },
      async commit(onConflict) {
        await stageRows(db, table, actor, pending.splice(0));
        return publishImport(db, table, actor, onConflict);
      },
      // A stage that could not be dropped is not the import's failure (what it published stays
      // published): the next import drops it once it is a day old.
      close: () => dropStage(db, table).catch(() => {}),
    };
  });
}

/** One transaction, held open from the first read until `commit` or `close`; rows read are locked. */
async function transactionWriter(db: Db, store: EmployeeStore, actor: string): Promise<ImportWriter> {
  let decide: (commit: boolean) => void = () => {};
  const decision = new Promise<boolean>((resolve) => {
    decide = resolve;
  });
  let opened: (tx: Db) => void = () => {};
  const transaction = new Promise<Db>((resolve) => {
    opened = resolve;
  });
  const ended = db
    .transaction(async (tx) => {
      opened(tx as Db);
      if (!(await decision)) throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  // A failure to begin surfaces at once, not as a transaction that never opens.
  const tx = await Promise.race([transaction, ended.then(() => Promise.reject(new Error('no transaction')))]);
  // One import at a time on the database, whichever process runs it: two that lock the same
  // employees in a different order would deadlock.
  let free = false;
  try {
    const [gate] = resultRows<{ free: boolean }>(
      await tx.execute(sql`select pg_try_advisory_xact_lock(${IMPORT_LOCK}) as free`),
    );
    free = gate?.free === true;
  } finally {
    if (!free) {
      decide(false);
      await ended.catch(() => {});
    }
  }
  if (!free) {
    throw new HubError('conflict', '別のCSV取り込みを実行中です。終わってからもう一度取り込んでください。');
  }
  const result: PublishResult = { published: true, created: 0, updated: 0, conflicts: [] };
  /** What the last `read` found (and locked): the batch `add` is given next was validated against it. */
  let stored = new Map<string, Employee>();
  // A batch is written while the next is parsed (the server does the work in its own process); the
  // connection is the transaction's alone, so anything else asked of it waits for that write.
  let writing: Promise<void> = Promise.resolve();
  let failed: { error: unknown } | undefined;
  const written = async () => {
    await writing;
    if (failed) throw failed.error;
  };
  const end = async (commit: boolean) => {
    await writing;
    decide(commit);
    await ended;
  };
  const save = async (rows: readonly StagedRow[], against: ReadonlyMap<string, Employee>) => {
    const saved = await store.saveMany(
      actor,
      rows.map((row) => row.employee),
      against,
      tx,
    );
    result.created += saved.created;
    result.updated += saved.updated;
    const lines = new Map(rows.map((row) => [row.employee.employeeCode, row.line]));
    for (const code of saved.conflicts)
      result.conflicts.push({ line: lines.get(code) ?? 0, employeeCode: code });
  };
  return {
    async read(codes) {
      await written();
      stored = await store.lockMany(codes, tx);
      return new Map([...stored].map(([code, employee]) => [code, { employee, version: '' }]));
    },
    async add(rows) {
      await written();
      writing = save(rows, stored).catch((error: unknown) => {
        failed = { error };
      });
    },
    async commit(onConflict) {
      await written();
      const rollback = result.conflicts.length > 0 && onConflict === 'rollback';
      await end(!rollback);
      return rollback ? { ...result, published: false, created: 0, updated: 0 } : result;
    },
    async close() {
      await end(false);
      // A write that failed is why nothing was written, whatever ended the import after it.
      if (failed) throw failed.error;
    },
  };
}
