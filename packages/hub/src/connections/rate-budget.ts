import { randomUUID } from 'node:crypto';
import {
  type Clock,
  type ConnectorLimits,
  DEFAULT_TIMEOUT_MS,
  type RateBudget,
  type RequestClass,
} from '@renkei/core';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import { type Db, resultRows } from '../db/adapter.ts';
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

  /**
   * Counts the request under `slot` and returns 0, or returns how long to wait before asking again.
   * Two statements after the lock's: the rest (expired rows dropped, the pause and every window
   * read, the slot taken when nothing holds it) is one statement, so a request costs the database
   * one round trip instead of one per step. Its parts share one snapshot, so its reads still see the
   * rows its deletes drop: they skip them by the same `seen_by` bound. It runs after the lock is
   * granted, so it sees every taker before.
   */
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
      const own = windows.filter((window) => window.applies(requestClass));
      const [decision] = resultRows<{ wait: string | number }>(
        await tx.execute(takeStatement(own, slot, now)),
      );
      const wait = Number(decision?.wait ?? 0);
      return Math.max(wait, 0);
    });

  /**
   * Drops the rows that no longer count, computes the wait — the vendor's pause, and for each of
   * `own`'s windows holding `limit` requests the vendor may have seen within its span: until the
   * earliest of them leaves it (or a poll, while it is in flight) — and takes the slot if it is 0.
   */
  const takeStatement = (own: typeof windows, slot: string, now: number): SQL => {
    const rows = sql`${rateBudgetStarts}`;
    const mine = sql`connection_id = ${connectionId}::uuid`;
    const expired = own.map(
      (window, i) =>
        sql`expired_${sql.raw(String(i))} as (delete from ${rows} where ${mine} and "window" = ${window.index}::integer and seen_by <= ${Math.floor(now - window.spanMs)}::bigint)`,
    );
    const held = own.map(
      (window, i) =>
        sql`held_${sql.raw(String(i))} as (select case when count(*) < ${window.limit}::integer then 0 when min(seen_by) > ${now}::float8 then ${window.pollMs}::float8 else min(seen_by) + ${window.spanMs}::float8 - ${now}::float8 end as wait from (select seen_by from ${rows} where ${mine} and "window" = ${window.index}::integer and seen_by > ${Math.floor(now - window.spanMs)}::bigint order by seen_by desc limit ${window.limit}::integer) recent)`,
    );
    const waits = [
      sql`(select wait from pause)`,
      ...own.map((_, i) => sql`(select wait from held_${sql.raw(String(i))})`),
    ];
    const taken =
      own.length === 0
        ? []
        : [
            sql`taken as (insert into ${rows} (slot, connection_id, "window", started_at, seen_by) select ${slot}::uuid, ${connectionId}::uuid, w, ${Math.floor(now)}::bigint, ${Math.floor(now + IN_FLIGHT_BOUND_MS)}::bigint from unnest(${`{${own.map((window) => window.index).join(',')}}`}::integer[]) as w, decision where decision.wait <= 0)`,
          ];
    return sql`with expired_pause as (delete from ${rows} where ${mine} and "window" = ${PAUSE}::integer and seen_by <= ${Math.floor(now)}::bigint), ${sql.join(
      [
        ...expired,
        sql`pause as (select coalesce(max(seen_by) - ${now}::float8, 0) as wait from ${rows} where ${mine} and "window" = ${PAUSE}::integer and seen_by > ${Math.floor(now)}::bigint)`,
        ...held,
        sql`decision as (select greatest(${sql.join(waits, sql`, `)}) as wait)`,
        ...taken,
      ],
      sql`, `,
    )} select wait from decision`;
  };

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
