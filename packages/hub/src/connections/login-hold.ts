import type { Clock, LoginHold } from '@renkei/core';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../db/adapter.ts';
import { connectionLoginHolds } from '../db/schema.ts';

/**
 * A connection's lost-login record for every process of the hub (see `LoginHold`): once one worker
 * lost a login's answer, no worker logs in for the connection before the vendor frees that session.
 * A later hold only ever extends it. The admin lifts it with a successful 接続テスト of the stored
 * connection, after logging the session out in the vendor's own screen (`clearLoginHold`).
 */
export function createLoginHold(db: Db, connectionId: string, clock: Clock): LoginHold {
  return {
    async current() {
      const [row] = await db
        .select({ since: connectionLoginHolds.since, until: connectionLoginHolds.until })
        .from(connectionLoginHolds)
        .where(
          and(
            eq(connectionLoginHolds.connectionId, connectionId),
            gt(connectionLoginHolds.until, clock.now()),
          ),
        );
      return row;
    },
    async place({ since, until }) {
      await db
        .insert(connectionLoginHolds)
        .values({ connectionId, since, until })
        .onConflictDoUpdate({
          target: connectionLoginHolds.connectionId,
          set: {
            since: sql`greatest(${connectionLoginHolds.since}, excluded.since)`,
            until: sql`greatest(${connectionLoginHolds.until}, excluded.until)`,
          },
        });
    },
  };
}

/** Lifts the hold: the vendor just let a login through, so no orphaned session is in the way. */
export async function clearLoginHold(db: Db, connectionId: string): Promise<void> {
  await db.delete(connectionLoginHolds).where(eq(connectionLoginHolds.connectionId, connectionId));
}
