import type { Clock, ConnectorLimits, RateBudget, RequestClass } from '@renkei/core';
import { and, desc, eq, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/adapter.ts';
import { rateBudgetStarts } from '../db/schema.ts';

/**
 * A request counted here starts at the vendor a little later (a database round trip, the network);
 * windows are kept this much longer so that delay cannot put one request too many in the vendor's.
 */
const marginFor = (intervalMs: number) => Math.min(1_000, Math.max(50, intervalMs / 10));

/**
 * A connection's vendor rate limit as one budget for every process of the hub: a sliding-window log
 * per declared limit in `rate_budget_starts`, taken under a transaction-scoped advisory lock on the
 * connection, so two workers (or a worker and a preview) never both take the last slot of a window.
 * Times are the hub's clock: hosts of one hub keep their clocks in sync (NTP), as pg-boss assumes.
 * Each session still keeps its own in-process limiter (concurrency, and no database trip for a
 * request its own windows would hold anyway).
 */
export function createRateBudget(
  db: Db,
  connectionId: string,
  limits: ConnectorLimits,
  clock: Clock,
): RateBudget {
  const windows = limits.rateLimits.map((limit, index) => ({
    index,
    limit: Math.max(1, Math.floor(limit.limit)),
    spanMs: limit.intervalMs + marginFor(limit.intervalMs),
    applies: (requestClass: RequestClass) => limit.appliesTo?.includes(requestClass) ?? true,
  }));

  /** A row of this window holds the time until which the vendor asked the connection to wait. */
  const PAUSE = -1;
  const paused = and(eq(rateBudgetStarts.connectionId, connectionId), eq(rateBudgetStarts.window, PAUSE));

  /** Counts the request and returns 0, or returns how long to wait before asking again. */
  const tryTake = (requestClass: RequestClass): Promise<number> =>
    db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`renkei-rate:${connectionId}`}))`);
      const now = clock.now();
      await tx.delete(rateBudgetStarts).where(and(paused, lte(rateBudgetStarts.startedAt, now)));
      const [pause] = await tx
        .select({ until: rateBudgetStarts.startedAt })
        .from(rateBudgetStarts)
        .where(paused)
        .orderBy(desc(rateBudgetStarts.startedAt))
        .limit(1);
      let wait = pause ? pause.until - now : 0;
      const own = windows.filter((window) => window.applies(requestClass));
      for (const window of own) {
        const where = and(
          eq(rateBudgetStarts.connectionId, connectionId),
          eq(rateBudgetStarts.window, window.index),
        );
        await tx
          .delete(rateBudgetStarts)
          .where(and(where, lte(rateBudgetStarts.startedAt, now - window.spanMs)));
        const recent = await tx
          .select({ at: rateBudgetStarts.startedAt })
          .from(rateBudgetStarts)
          .where(where)
          .orderBy(desc(rateBudgetStarts.startedAt))
          .limit(window.limit);
        if (recent.length >= window.limit) {
          const oldest = (recent[recent.length - 1] as { at: number }).at;
          wait = Math.max(wait, oldest + window.spanMs - now);
        }
      }
      if (wait > 0) return wait;
      if (own.length > 0) {
        await tx
          .insert(rateBudgetStarts)
          .values(own.map((window) => ({ connectionId, window: window.index, startedAt: now })));
      }
      return 0;
    });

  return {
    pauseUntil(time) {
      db.insert(rateBudgetStarts)
        .values({ connectionId, window: PAUSE, startedAt: Math.ceil(time) })
        .catch(() => {
          // The session that got the 429 pauses anyway; the others only lose the hint.
        });
    },
    async take(requestClass, signal) {
      for (;;) {
        signal?.throwIfAborted();
        const wait = await tryTake(requestClass);
        if (wait <= 0) return;
        await clock.sleep(Math.max(1, wait), signal);
      }
    },
  };
}
