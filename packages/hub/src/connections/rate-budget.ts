import { randomUUID } from 'node:crypto';
import {
  type Clock,
  type ConnectorLimits,
  DEFAULT_TIMEOUT_MS,
  type RateBudget,
  type RequestClass,
} from '@renkei/core';
import { and, desc, eq, gt, lte } from 'drizzle-orm';
import type { Db } from '../db/adapter.ts';
import { connections, rateBudgetStarts } from '../db/schema.ts';

/**
 * Hosts of one hub keep their clocks in sync (NTP) but not exactly, and a vendor may round its
 * windows: each window is kept this much longer than the vendor's.
 */
const marginFor = (intervalMs: number) => Math.min(1_000, Math.max(50, intervalMs / 10));

/**
 * How long a request counts as "possibly not yet seen" when nobody settles it (its process died):
 * longer than any request's timeout, so a live request is always settled before it runs out.
 */
export const IN_FLIGHT_BOUND_MS = 4 * DEFAULT_TIMEOUT_MS;

/**
 * A connection's vendor rate limit as one budget for every process of the hub, a sliding-window log
 * per declared limit in `rate_budget_starts`, taken under a lock of the connection's row so two
 * workers (or a worker and a preview) never both take the last slot of a window.
 *
 * The vendor counts a request when it ARRIVES, which is later than when it was counted here (the
 * commit, the event loop, the network) by an amount nobody knows. So each request is counted until
 * the latest time the vendor can have seen it — the time its answer or failure came back (`seen_by`,
 * set by `settle`) — plus the window: no `limit` requests the vendor saw within one window can then
 * all have been let through, however late each arrived. A request still in flight counts in every
 * window until it is settled. Times are the hub's clock.
 *
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
    /** How often to look again while requests in flight fill the window (they may settle any moment). */
    pollMs: Math.min(1_000, Math.max(20, limit.intervalMs / 20)),
    applies: (requestClass: RequestClass) => limit.appliesTo?.includes(requestClass) ?? true,
  }));

  /** A row of this window holds the time until which the vendor asked the connection to wait. */
  const PAUSE = -1;
  const paused = and(eq(rateBudgetStarts.connectionId, connectionId), eq(rateBudgetStarts.window, PAUSE));

  /** Counts the request under `slot` and returns 0, or returns how long to wait before asking again. */
  const tryTake = (requestClass: RequestClass, slot: string): Promise<number> =>
    db.transaction(async (tx) => {
      // The connection's row lock serialises takers (an advisory lock would do on a server, but
      // PGlite, one connection already, does not grant one).
      await tx
        .select({ id: connections.id })
        .from(connections)
        .where(eq(connections.id, connectionId))
        .for('update');
      const now = clock.now();
      await tx.delete(rateBudgetStarts).where(and(paused, lte(rateBudgetStarts.seenBy, now)));
      const [pause] = await tx
        .select({ until: rateBudgetStarts.seenBy })
        .from(rateBudgetStarts)
        .where(paused)
        .orderBy(desc(rateBudgetStarts.seenBy))
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
          .where(and(where, lte(rateBudgetStarts.seenBy, now - window.spanMs)));
        // The requests the vendor may have seen within the last span, the earliest-seen last.
        const recent = await tx
          .select({ seenBy: rateBudgetStarts.seenBy })
          .from(rateBudgetStarts)
          .where(and(where, gt(rateBudgetStarts.seenBy, now - window.spanMs)))
          .orderBy(desc(rateBudgetStarts.seenBy))
          .limit(window.limit);
        if (recent.length >= window.limit) {
          const { seenBy } = recent[recent.length - 1] as { seenBy: number };
          // In flight: it leaves the window `spanMs` after its answer, which may come any moment.
          const until = seenBy > now ? window.pollMs : seenBy + window.spanMs - now;
          wait = Math.max(wait, until);
        }
      }
      if (wait > 0) return wait;
      if (own.length > 0) {
        await tx.insert(rateBudgetStarts).values(
          own.map((window) => ({
            slot,
            connectionId,
            window: window.index,
            startedAt: now,
            seenBy: now + IN_FLIGHT_BOUND_MS,
          })),
        );
      }
      return 0;
    });

  /** The answer is in: the vendor saw the request by now, if at all. */
  const settle = async (slot: string) => {
    try {
      await db
        .update(rateBudgetStarts)
        .set({ seenBy: clock.now() })
        .where(and(eq(rateBudgetStarts.connectionId, connectionId), eq(rateBudgetStarts.slot, slot)));
    } catch {
      // The row keeps its in-flight bound: the budget only waits longer than it had to.
    }
  };

  return {
    pauseUntil(time) {
      const until = Math.ceil(time);
      db.insert(rateBudgetStarts)
        .values({ connectionId, window: PAUSE, startedAt: until, seenBy: until })
        .catch(() => {
          // The session that got the 429 pauses anyway; the others only lose the hint.
        });
    },
    async take(requestClass, signal) {
      const slot = randomUUID();
      for (;;) {
        signal?.throwIfAborted();
        const wait = await tryTake(requestClass, slot);
        if (wait <= 0) return () => settle(slot);
        await clock.sleep(Math.max(1, wait), signal);
      }
    },
  };
}
