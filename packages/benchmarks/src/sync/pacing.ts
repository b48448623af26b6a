import type { Clock, RateLimit, RequestClass } from '@renkei/core';
import type { FakeVendor } from '@renkei/testkit/fakes';
import { appliesTo } from './limits.ts';

type Fetch = typeof globalThis.fetch;

/** Every answer reaches the client `ms` of virtual time after the vendor produced it (network). */
export function withLatency(fetch: Fetch, clock: Clock, ms: number): Fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    await clock.sleep(ms);
    return response;
  };
}

/**
 * The baseline client: one request at a time, and after each a fixed pause of interval ÷ limit of
 * the strictest limit on that request's class (PCA writes 3 s, reads 1 s; Jobcan 100 ms) — the
 * conservative pacing that can never exceed a limit. The class is the one the vendor fake logged.
 */
export function naivelyPaced(
  fetch: Fetch,
  clock: Clock,
  fake: FakeVendor,
  limits: readonly RateLimit[],
): Fetch {
  const pause = (requestClass: RequestClass | undefined) =>
    Math.max(
      0,
      ...limits
        .filter((limit) => requestClass === undefined || appliesTo(limit, requestClass))
        .map((limit) => limit.intervalMs / limit.limit),
    );
  let previous: Promise<unknown> = Promise.resolve();
  return (input, init) => {
    const sent = previous.then(async () => {
      const logged = fake.requests.length;
      const response = await fetch(input, init);
      await clock.sleep(pause(fake.requests[logged]?.requestClass));
      return response;
    });
    previous = sent.catch(() => {});
    return sent;
  };
}
