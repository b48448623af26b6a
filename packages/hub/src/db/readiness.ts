// What /readyz reports about the database.
import type { Database } from './adapter.ts';
import { databaseReadiness } from './adapter.ts';

export type DatabaseReadiness = { database: boolean; migrations: boolean };

/** How long a server database gets to answer the readiness query. */
export const READINESS_TIMEOUT_MS = 2_000;

/**
 * A server database (PostgreSQL) is asked every time, within `READINESS_TIMEOUT_MS`: it can go away.
 * The embedded one (PGlite) is in this process on one connection, which a CSV import holds for its
 * whole transaction: a query would wait behind the import and time out although the server serves.
 * A longer bound would only move the problem to longer imports. So PGlite is asked until it once
 * answers ready (it was opened and migrated by this process, no other process can open its data
 * directory, so neither can change); after that readiness needs no round trip.
 */
export function createDatabaseReadiness(database: Pick<Database, 'db' | 'kind'>) {
  let embeddedReady = false;
  return async function readiness(): Promise<DatabaseReadiness> {
    if (database.kind === 'pglite' && embeddedReady) return { database: true, migrations: true };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<DatabaseReadiness>((resolve) => {
      timer = setTimeout(() => resolve({ database: false, migrations: false }), READINESS_TIMEOUT_MS);
      timer.unref();
    });
    const state = await Promise.race([databaseReadiness(database.db), timeout]);
    clearTimeout(timer);
    if (database.kind === 'pglite' && state.database && state.migrations) embeddedReady = true;
    return state;
  };
}
