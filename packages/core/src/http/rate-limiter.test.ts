import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RateLimit, RequestClass } from '../connector.ts';
import { createVirtualClock } from '../time/virtual-clock.ts';
import { createRateLimiter } from './rate-limiter.ts';

const CLASSES: readonly RequestClass[] = ['auth', 'read', 'write'];

interface Started {
  requestClass: RequestClass;
  at: number;
}

/** The most starts any window of `limit.intervalMs` holds, among the requests the limit counts. */
function busiestWindow(started: readonly Started[], limit: RateLimit): number {
  const starts = started
    .filter(({ requestClass }) => limit.appliesTo?.includes(requestClass) ?? true)
    .map(({ at }) => at)
    .sort((a, b) => a - b);
  let busiest = 0;
  let first = 0;
  for (let last = 0; last < starts.length; last++) {
    while ((starts[last] as number) - (starts[first] as number) >= limit.intervalMs) first++;
    busiest = Math.max(busiest, last - first + 1);
  }
  return busiest;
}

const rateLimit = (appliesTo: fc.Arbitrary<RequestClass[] | undefined>) =>
  fc.record({
    limit: fc.integer({ min: 1, max: 30 }),
    intervalMs: fc.integer({ min: 50, max: 60_000 }),
    appliesTo,
  });
const someClasses = fc.option(fc.subarray([...CLASSES], { minLength: 1 }), { nil: undefined });

describe('createRateLimiter on virtual time', () => {
  it('never exceeds any limit in any window, nor the concurrency cap', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(rateLimit(someClasses), rateLimit(someClasses)),
        fc.integer({ min: 1, max: 6 }),
        fc.array(
          fc.record({
            requestClass: fc.constantFrom(...CLASSES),
            arrivesAfterMs: fc.integer({ min: 0, max: 5_000 }),
            takesMs: fc.integer({ min: 0, max: 2_000 }),
          }),
          { maxLength: 120 },
        ),
        async (rateLimits, concurrency, requests) => {
          const clock = createVirtualClock();
          const limiter = createRateLimiter({ rateLimits, concurrency, writeBatchSize: 1 }, clock);
          const started: Started[] = [];
          let running = 0;
          let mostRunning = 0;
          await Promise.all(
            requests.map(async ({ requestClass, arrivesAfterMs, takesMs }) => {
              await clock.sleep(arrivesAfterMs);
              await limiter.schedule(requestClass, async () => {
                started.push({ requestClass, at: clock.now() });
                mostRunning = Math.max(mostRunning, ++running);
                await clock.sleep(takesMs);
                running--;
              });
            }),
          );
          expect(started).toHaveLength(requests.length);
          expect(mostRunning).toBeLessThanOrEqual(concurrency);
          for (const limit of rateLimits)
            expect(busiestWindow(started, limit)).toBeLessThanOrEqual(limit.limit);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('uses at least 90 % of the tighter limit when saturated', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(rateLimit(someClasses), rateLimit(someClasses)),
        fc.constantFrom(...CLASSES),
        fc.integer({ min: 2, max: 4 }),
        async (declared, requestClass, periods) => {
          // Both limits count the requests sent, so both bind.
          const rateLimits = declared.map((limit) => ({
            ...limit,
            appliesTo: limit.appliesTo && [...new Set([...limit.appliesTo, requestClass])],
          }));
          const tighter = [...rateLimits].sort((a, b) => a.limit / a.intervalMs - b.limit / b.intervalMs)[0];
          if (!tighter) throw new Error('no limit');
          const total = tighter.limit * periods + 1;
          const clock = createVirtualClock();
          const limiter = createRateLimiter({ rateLimits, concurrency: total, writeBatchSize: 1 }, clock);
          const starts: number[] = [];
          await Promise.all(
            Array.from({ length: total }, () =>
              limiter.schedule(requestClass, async () => {
                starts.push(clock.now());
              }),
            ),
          );
          const last = Math.max(...starts);
          // Every whole multiple of the tighter interval before the last start is ≥ 90 % used.
          for (let k = 1; k * tighter.intervalMs <= last; k++) {
            const inPrefix = starts.filter((at) => at < k * tighter.intervalMs).length;
            expect(inPrefix).toBeGreaterThanOrEqual(0.9 * k * tighter.limit);
          }
          for (const limit of rateLimits) {
            expect(
              busiestWindow(
                starts.map((at) => ({ requestClass, at })),
                limit,
              ),
            ).toBeLessThanOrEqual(limit.limit);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('runs one class at the declared PCA rates without holding up the others', async () => {
    const clock = createVirtualClock();
    const limiter = createRateLimiter(
      {
        rateLimits: [
          { limit: 10, intervalMs: 60_000, appliesTo: ['auth'] },
          { limit: 20, intervalMs: 60_000, appliesTo: ['write'] },
          { limit: 60, intervalMs: 60_000, appliesTo: ['read'] },
        ],
        concurrency: 4,
        writeBatchSize: 10,
      },
      clock,
    );
    const finished: Record<RequestClass, number[]> = { auth: [], read: [], write: [] };
    const send = (requestClass: RequestClass, count: number) =>
      Array.from({ length: count }, () =>
        limiter.schedule(requestClass, async () => {
          finished[requestClass].push(clock.now());
        }),
      );
    await Promise.all([...send('auth', 11), ...send('read', 60), ...send('write', 21)]);
    expect(finished.read.every((at) => at === 0)).toBe(true);
    expect(finished.auth.filter((at) => at === 0)).toHaveLength(10);
    expect(finished.auth.at(-1)).toBe(60_000);
    expect(finished.write.filter((at) => at === 0)).toHaveLength(20);
    expect(finished.write.at(-1)).toBe(60_000);
  });

  it('serves one class first come, first served', async () => {
    const clock = createVirtualClock();
    const limiter = createRateLimiter(
      { rateLimits: [{ limit: 2, intervalMs: 1_000 }], concurrency: 1, writeBatchSize: 1 },
      clock,
    );
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, (_, index) =>
        limiter.schedule('read', async () => {
          order.push(index);
          await clock.sleep(10);
        }),
      ),
    );
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('cancels a queued request without using its slot, and rejects one already cancelled', async () => {
    const clock = createVirtualClock();
    const limiter = createRateLimiter(
      { rateLimits: [{ limit: 1, intervalMs: 1_000 }], concurrency: 5, writeBatchSize: 1 },
      clock,
    );
    const controller = new AbortController();
    const startedAt: Record<string, number> = {};
    const run = (name: string, signal?: AbortSignal) =>
      limiter.schedule(
        'read',
        async () => {
          startedAt[name] = clock.now();
        },
        signal,
      );
    const first = run('first');
    const cancelled = run('cancelled', controller.signal);
    const third = run('third');
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' });
    await Promise.all([first, third]);
    expect(startedAt).toEqual({ first: 0, third: 1_000 });
    await expect(run('late', AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('holds every request until the time given to pauseUntil', async () => {
    const clock = createVirtualClock();
    const limiter = createRateLimiter({ rateLimits: [], concurrency: 5, writeBatchSize: 1 }, clock);
    const startedAt: number[] = [];
    const run = (requestClass: RequestClass) =>
      limiter.schedule(requestClass, async () => {
        startedAt.push(clock.now());
      });
    await run('read');
    limiter.pauseUntil?.(30_000);
    limiter.pauseUntil?.(10_000);
    await Promise.all([run('read'), run('write'), run('auth')]);
    expect(startedAt).toEqual([0, 30_000, 30_000, 30_000]);
  });

  it('passes a task failure to its caller and frees the slot', async () => {
    const clock = createVirtualClock();
    const limiter = createRateLimiter({ rateLimits: [], concurrency: 1, writeBatchSize: 1 }, clock);
    await expect(
      limiter.schedule('write', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(limiter.schedule('write', async () => 'next')).resolves.toBe('next');
  });

  it('takes each request from a shared budget too, after its own windows let it start', async () => {
    const clock = createVirtualClock();
    const taken: [RequestClass, number][] = [];
    const settled: [RequestClass, number][] = [];
    // Another process used the budget until 5 s: the budget holds this one's requests till then.
    const budget = {
      async take(requestClass: RequestClass) {
        await clock.sleep(Math.max(0, 5_000 - clock.now()));
        taken.push([requestClass, clock.now()]);
        return async () => {
          settled.push([requestClass, clock.now()]);
        };
      },
    };
    const limiter = createRateLimiter({ rateLimits: [], concurrency: 2, writeBatchSize: 1 }, clock, budget);
    const started: number[] = [];
    await Promise.all(
      (['read', 'write'] as const).map((requestClass) =>
        limiter.schedule(requestClass, async () => {
          started.push(clock.now());
          await clock.sleep(requestClass === 'read' ? 300 : 700);
          if (requestClass === 'write') throw new Error('lost');
        }),
      ),
    ).catch(() => {});
    await clock.sleep(1_000);
    expect(taken).toEqual([
      ['read', 5_000],
      ['write', 5_000],
    ]);
    expect(started).toEqual([5_000, 5_000]);
    // Each request is settled with the budget once its answer (or failure) is in.
    expect(settled).toEqual([
      ['read', 5_300],
      ['write', 5_700],
    ]);
  });

  it('holds a request the shared budget let through after the vendor asked for a pause, until the pause ends', async () => {
    const clock = createVirtualClock();
    // The budget's round trip (a database transaction) takes 50 ms.
    const settled: number[] = [];
    const budget = {
      async take() {
        await clock.sleep(50);
        return async () => {
          settled.push(clock.now());
        };
      },
    };
    const limiter = createRateLimiter({ rateLimits: [], concurrency: 2, writeBatchSize: 1 }, clock, budget);
    const startedAt: number[] = [];
    const sent = limiter.schedule('read', async () => {
      startedAt.push(clock.now());
    });
    // While that request waits for the budget, another one's 429 asks the connection to wait 1 s.
    await clock.sleep(20);
    limiter.pauseUntil?.(1_020);
    await sent;
    expect(startedAt).toEqual([1_020]);
    // The slot it took is still settled once its answer is in.
    expect(settled).toEqual([1_020]);
  });

  it('settles the slot a paused request took when it is cancelled while it waits out the pause', async () => {
    const clock = createVirtualClock();
    const settled: number[] = [];
    const budget = {
      async take() {
        await clock.sleep(50);
        return async () => {
          settled.push(clock.now());
        };
      },
    };
    const limiter = createRateLimiter({ rateLimits: [], concurrency: 1, writeBatchSize: 1 }, clock, budget);
    const controller = new AbortController();
    let started = false;
    const sent = limiter.schedule(
      'read',
      async () => {
        started = true;
      },
      controller.signal,
    );
    await clock.sleep(20);
    limiter.pauseUntil?.(1_020);
    await clock.sleep(100);
    controller.abort();
    await expect(sent).rejects.toMatchObject({ name: 'AbortError' });
    expect(started).toBe(false);
    expect(settled).toEqual([120]);
  });
});
