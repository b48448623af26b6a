import { randomUUID } from 'node:crypto';
import type { Clock, Logger } from '@renkei/core';
import { and, eq, lt, or } from 'drizzle-orm';
import type { Db } from '../db/adapter.ts';
import { connectionLeases } from '../db/schema.ts';

export interface LeaseOptions {
  /** How long a lease outlives its last heartbeat (a killed worker's lease frees after this). */
  ttlMs: number;
  /** How often a waiting chunk asks again. */
  pollMs: number;
}

export const DEFAULT_LEASE: LeaseOptions = { ttlMs: 30_000, pollMs: 500 };

export interface HeldLease {
  /** Aborts when the lease was lost (it expired and another worker took it): stop using the vendor. */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

/**
 * One lease per connection across every worker process: a chunk holds it while it has a vendor
 * session open, so a connection's chunks never run at once (for PCA: one licence per run, not one
 * per worker). Taken with one atomic upsert, which PostgreSQL serialises per row: it inserts the
 * lease, or takes over one that expired, or fails while another holder's is live. A holder beats
 * every ttl/3; a killed worker's lease frees itself after the ttl. pg-boss's groupConcurrency was
 * tried for this and let two workers take chunks of one connection at once.
 */
export function createLeases(db: Db, clock: Clock, logger: Logger, options: LeaseOptions = DEFAULT_LEASE) {
  async function tryTake(connectionId: string, holder: string): Promise<boolean> {
    const now = new Date(clock.now());
    const expiresAt = new Date(clock.now() + options.ttlMs);
    const taken = await db
      .insert(connectionLeases)
      .values({ connectionId, holder, expiresAt })
      .onConflictDoUpdate({
        target: connectionLeases.connectionId,
        set: { holder, expiresAt },
        setWhere: or(lt(connectionLeases.expiresAt, now), eq(connectionLeases.holder, holder)),
      })
      .returning({ holder: connectionLeases.holder });
    return taken.length > 0;
  }

  async function beat(connectionId: string, holder: string): Promise<boolean> {
    const kept = await db
      .update(connectionLeases)
      .set({ expiresAt: new Date(clock.now() + options.ttlMs) })
      .where(and(eq(connectionLeases.connectionId, connectionId), eq(connectionLeases.holder, holder)))
      .returning({ holder: connectionLeases.holder });
    return kept.length > 0;
  }

  /** Keeps a taken lease alive until released; `lost` aborts when another holder took it over. */
  function held(connectionId: string, holder: string): HeldLease {
    const lost = new AbortController();
    const stop = new AbortController();
    const heartbeat = (async () => {
      for (;;) {
        try {
          await clock.sleep(options.ttlMs / 3, stop.signal);
        } catch {
          return;
        }
        const kept = await beat(connectionId, holder).catch((error: unknown) => {
          // A passing database error: the next beat may still come in time.
          logger.warn('connection lease heartbeat failed', { connectionId, error: String(error) });
          return true;
        });
        if (!kept) {
          logger.error('connection lease lost; the chunk stops', { connectionId });
          lost.abort(new Error('connection lease lost'));
          return;
        }
      }
    })();
    return {
      lost: lost.signal,
      async release() {
        stop.abort();
        await heartbeat;
        await db
          .delete(connectionLeases)
          .where(and(eq(connectionLeases.connectionId, connectionId), eq(connectionLeases.holder, holder)));
      },
    };
  }

  return {
    /** Waits for the connection's lease (rejects when `signal` aborts first) and keeps it alive. */
    async acquire(connectionId: string, signal: AbortSignal): Promise<HeldLease> {
      const holder = randomUUID();
      while (!(await tryTake(connectionId, holder))) await clock.sleep(options.pollMs, signal);
      return held(connectionId, holder);
    },
    /** The lease if it is free now, else null (an automatic sync skips rather than queue behind). */
    async tryAcquire(connectionId: string): Promise<HeldLease | null> {
      const holder = randomUUID();
      return (await tryTake(connectionId, holder)) ? held(connectionId, holder) : null;
    },
  };
}

export type Leases = ReturnType<typeof createLeases>;
