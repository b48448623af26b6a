import type { Clock } from '@renkei/core';
import { and, eq, isNull, like, lt, lte, or } from 'drizzle-orm';
import type { Db } from '../db/adapter.ts';
import { signInFailures } from '../db/schema.ts';

/** How failed sign-ins against one key (an account, a client address) are slowed, then locked. */
export interface ThrottlePolicy {
  /** Failures answered at once; after these, each next attempt waits longer. */
  freeFailures: number;
  /** The wait after the first slowed failure; doubles with each further failure. */
  baseDelayMs: number;
  /**
   * The longest wait. Well inside `windowMs`, so a client that waits out each delay is still counted
   * until the lock: uncapped, the address's 20th wait (17 min) outlasted the window and its count restarted.
   */
  maxDelayMs: number;
  /** Failures in a row that lock the key for `lockMs`. */
  lockAfter: number;
  lockMs: number;
  /** Failures older than this are forgotten. */
  windowMs: number;
}

// Per account: a person mistyping gets three free tries; a guesser is down to ten tries per quarter hour.
export const ACCOUNT_POLICY: ThrottlePolicy = {
  freeFailures: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 2 * 60_000,
  lockAfter: 10,
  lockMs: 15 * 60_000,
  windowMs: 15 * 60_000,
};
// Per client address: an office behind one NAT address shares it, so it allows more.
export const ADDRESS_POLICY: ThrottlePolicy = {
  freeFailures: 10,
  baseDelayMs: 1_000,
  maxDelayMs: 2 * 60_000,
  lockAfter: 30,
  lockMs: 15 * 60_000,
  windowMs: 15 * 60_000,
};

export type ThrottleVerdict = { allowed: true } | { allowed: false; until: Date; locked: boolean };

/** One key's failures as stored. */
export interface ThrottleEntry {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

/** The entry still counts: locked, or its last failure within the window. */
function live(entry: ThrottleEntry | undefined, policy: ThrottlePolicy, now: number): entry is ThrottleEntry {
  return entry !== undefined && (entry.lockedUntil > now || now - entry.lastFailureAt <= policy.windowMs);
}

/** Whether a key may try now, given its stored entry. */
export function verdictOf(
  entry: ThrottleEntry | undefined,
  policy: ThrottlePolicy,
  now: number,
): ThrottleVerdict {
  if (!live(entry, policy, now)) return { allowed: true };
  if (entry.lockedUntil > now) return { allowed: false, until: new Date(entry.lockedUntil), locked: true };
  if (entry.failures < policy.freeFailures) return { allowed: true };
  const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (entry.failures - policy.freeFailures));
  const until = entry.lastFailureAt + delay;
  return until > now ? { allowed: false, until: new Date(until), locked: false } : { allowed: true };
}

/** The entry after one more failure at `now` (a lock starts, and the count restarts, at `lockAfter`). */
export function afterFailure(
  entry: ThrottleEntry | undefined,
  policy: ThrottlePolicy,
  now: number,
): ThrottleEntry {
  const failures = (live(entry, policy, now) ? entry.failures : 0) + 1;
  if (failures >= policy.lockAfter)
    return { failures: 0, lastFailureAt: now, lockedUntil: now + policy.lockMs };
  return { failures, lastFailureAt: now, lockedUntil: live(entry, policy, now) ? entry.lockedUntil : 0 };
}

const fromRow = (row: typeof signInFailures.$inferSelect): ThrottleEntry => ({
  failures: row.failures,
  lastFailureAt: row.lastFailureAt.getTime(),
  lockedUntil: row.lockedUntil?.getTime() ?? 0,
});

/**
 * Failed attempts per key of one `scope` (account, address), kept in the database: they outlive a
 * restart and every process on the same database counts them together. Entries that no longer count
 * are deleted as failures come in, so made-up keys do not pile up.
 */
export function createThrottle(db: Db, clock: Clock, scope: string, policy: ThrottlePolicy) {
  const keyOf = (key: string) => `${scope}:${key}`;
  return {
    async check(key: string): Promise<ThrottleVerdict> {
      const [row] = await db
        .select()
        .from(signInFailures)
        .where(eq(signInFailures.key, keyOf(key)));
      return verdictOf(row && fromRow(row), policy, clock.now());
    },
    /** Counts a failure; returns the lock's end when this failure locks the key. */
    async fail(key: string): Promise<Date | undefined> {
      const now = clock.now();
      const next = await db.transaction(async (tx) => {
        await tx
          .insert(signInFailures)
          .values({ key: keyOf(key), failures: 0, lastFailureAt: new Date(now) })
          .onConflictDoNothing();
        // Locked, so failures counted at once by several processes all add up.
        const [row] = await tx
          .select()
          .from(signInFailures)
          .where(eq(signInFailures.key, keyOf(key)))
          .for('update');
        const entry = afterFailure(row && fromRow(row), policy, now);
        await tx
          .update(signInFailures)
          .set({
            failures: entry.failures,
            lastFailureAt: new Date(entry.lastFailureAt),
            lockedUntil: entry.lockedUntil > 0 ? new Date(entry.lockedUntil) : null,
          })
          .where(eq(signInFailures.key, keyOf(key)));
        await tx
          .delete(signInFailures)
          .where(
            and(
              like(signInFailures.key, `${scope}:%`),
              lt(signInFailures.lastFailureAt, new Date(now - policy.windowMs)),
              or(isNull(signInFailures.lockedUntil), lte(signInFailures.lockedUntil, new Date(now))),
            ),
          );
        return entry;
      });
      return next.failures === 0 && next.lockedUntil > now ? new Date(next.lockedUntil) : undefined;
    },
    async reset(key: string): Promise<void> {
      await db.delete(signInFailures).where(eq(signInFailures.key, keyOf(key)));
    },
  };
}
