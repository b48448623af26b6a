import type { Clock } from '@renkei/core';

/** How failed sign-ins against one key (an account, a client address) are slowed, then locked. */
export interface ThrottlePolicy {
  /** Failures answered at once; after these, each next attempt waits longer. */
  freeFailures: number;
  /** The wait after the first slowed failure; doubles with each further failure. */
  baseDelayMs: number;
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
  lockAfter: 10,
  lockMs: 15 * 60_000,
  windowMs: 15 * 60_000,
};
// Per client address: an office behind one NAT address shares it, so it allows more.
export const ADDRESS_POLICY: ThrottlePolicy = {
  freeFailures: 10,
  baseDelayMs: 1_000,
  lockAfter: 30,
  lockMs: 15 * 60_000,
  windowMs: 15 * 60_000,
};

export type ThrottleVerdict = { allowed: true } | { allowed: false; until: Date; locked: boolean };

interface Entry {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

/** Keys kept before old ones are forgotten: many made-up addresses cannot grow memory without bound. */
const MAX_KEYS = 50_000;

/** Failed attempts per key, in this process's memory (a restart forgets them). */
export function createThrottle(clock: Clock, policy: ThrottlePolicy) {
  const entries = new Map<string, Entry>();

  function current(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (!entry) return undefined;
    const now = clock.now();
    if (entry.lockedUntil <= now && now - entry.lastFailureAt > policy.windowMs) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  return {
    check(key: string): ThrottleVerdict {
      const entry = current(key);
      if (!entry) return { allowed: true };
      const now = clock.now();
      if (entry.lockedUntil > now)
        return { allowed: false, until: new Date(entry.lockedUntil), locked: true };
      if (entry.failures < policy.freeFailures) return { allowed: true };
      const wait = policy.baseDelayMs * 2 ** (entry.failures - policy.freeFailures);
      const until = entry.lastFailureAt + wait;
      return until > now ? { allowed: false, until: new Date(until), locked: false } : { allowed: true };
    },
    /** Counts a failure; returns the lock's end when this failure locks the key. */
    fail(key: string): Date | undefined {
      const now = clock.now();
      const entry = current(key) ?? { failures: 0, lastFailureAt: now, lockedUntil: 0 };
      entry.failures += 1;
      entry.lastFailureAt = now;
      entries.delete(key);
      entries.set(key, entry);
      if (entries.size > MAX_KEYS) entries.delete(entries.keys().next().value as string);
      if (entry.failures >= policy.lockAfter) {
        entry.lockedUntil = now + policy.lockMs;
        entry.failures = 0;
        return new Date(entry.lockedUntil);
      }
      return undefined;
    },
    reset(key: string): void {
      entries.delete(key);
    },
  };
}
