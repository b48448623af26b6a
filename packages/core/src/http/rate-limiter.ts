import type { Clock } from '../clock.ts';
import type { ConnectorContext, ConnectorLimits, RateLimit, RequestClass } from '../connector.ts';
import { abortError } from '../time/abort.ts';
import type { RateBudget, RateLimiter } from './types.ts';

/**
 * The limiter a connector session uses: this process's windows and concurrency, and the context's
 * shared budget where there is one (a request starts only once both let it).
 */
export function connectionLimiter(limits: ConnectorLimits, context: ConnectorContext): RateLimiter {
  return createRateLimiter(limits, context.clock, context.rateBudget);
}

interface Window {
  limit: number;
  intervalMs: number;
  applies: (requestClass: RequestClass) => boolean;
  /** Start times of the requests counted in the last `intervalMs`, oldest first. */
  starts: number[];
}

interface Waiter {
  requestClass: RequestClass;
  start: () => void;
}

/**
 * A sliding-window log per declared limit, plus a concurrency cap. A request starts only when
 * every window it counts in has had fewer than `limit` starts in the last `intervalMs`, so no
 * window of that length ever holds more. Waiters are served first come, first served per window:
 * a waiter never overtakes an earlier one that waits for a window they share, but may pass one
 * blocked only by windows it does not count in (a read is not held up by the auth limit).
 * `pauseUntil` holds everything, for when the vendor itself asks the connection to wait.
 */
export function createRateLimiter(limits: ConnectorLimits, clock: Clock, budget?: RateBudget): RateLimiter {
  const windows: Window[] = limits.rateLimits.map((rateLimit: RateLimit) => ({
    limit: Math.max(1, Math.floor(rateLimit.limit)),
    intervalMs: rateLimit.intervalMs,
    applies: (requestClass) => rateLimit.appliesTo?.includes(requestClass) ?? true,
    starts: [],
  }));
  const windowsOf = (requestClass: RequestClass) => windows.filter((window) => window.applies(requestClass));
  const classWindows: Record<RequestClass, Window[]> = {
    auth: windowsOf('auth'),
    read: windowsOf('read'),
    write: windowsOf('write'),
  };
  const someClassUnlimited = Object.values(classWindows).some((own) => own.length === 0);
  const concurrency = Math.max(1, limits.concurrency);
  const queue: Waiter[] = [];
  let running = 0;
  let timer: { at: number; controller: AbortController } | undefined;
  let pausedUntil = Number.NEGATIVE_INFINITY;

  /** Milliseconds until `window` has room at `now` (0 when it has room). */
  const waitFor = (window: Window, now: number): number => {
    const { starts } = window;
    let expired = 0;
    while (expired < starts.length && (starts[expired] as number) <= now - window.intervalMs) expired++;
    if (expired > 0) starts.splice(0, expired);
    if (starts.length < window.limit) return 0;
    return (starts[starts.length - window.limit] as number) + window.intervalMs - now;
  };

  const wakeAt = (at: number) => {
    if (timer && timer.at <= at) return;
    timer?.controller.abort();
    const controller = new AbortController();
    timer = { at, controller };
    clock.sleep(at - clock.now(), controller.signal).then(
      () => {
        if (timer?.controller === controller) timer = undefined;
        pump();
      },
      () => {},
    );
  };

  const pump = () => {
    const now = clock.now();
    if (now < pausedUntil) {
      if (queue.length > 0) wakeAt(pausedUntil);
      return;
    }
    const blocked = new Set<Window>();
    let nextWake = Number.POSITIVE_INFINITY;
    for (let index = 0; index < queue.length && running < concurrency; ) {
      // Everyone left waits for a window already blocked: stop scanning a long queue.
      if (blocked.size === windows.length && windows.length > 0 && !someClassUnlimited) break;
      const waiter = queue[index] as Waiter;
      const own = classWindows[waiter.requestClass];
      let wait = 0;
      for (const window of own) wait = Math.max(wait, waitFor(window, now));
      if (wait > 0 || own.some((window) => blocked.has(window))) {
        for (const window of own) blocked.add(window);
        if (wait > 0) nextWake = Math.min(nextWake, now + wait);
        index++;
        continue;
      }
      queue.splice(index, 1);
      for (const window of own) window.starts.push(now);
      running++;
      waiter.start();
    }
    if (queue.length > 0 && running < concurrency && nextWake < Number.POSITIVE_INFINITY) wakeAt(nextWake);
  };

  /**
   * The shared budget's round trip takes time: a request it let through may find that the vendor
   * asked the connection to wait meanwhile (another request's 429). It waits that out before it is
   * sent, holding the slot it took (counted until settled, so never too little).
   */
  const waitOutPause = async (signal?: AbortSignal) => {
    for (let now = clock.now(); now < pausedUntil; now = clock.now()) {
      await clock.sleep(pausedUntil - now, signal);
    }
  };

  return {
    pauseUntil(time) {
      pausedUntil = Math.max(pausedUntil, time);
      budget?.pauseUntil?.(time);
    },
    schedule(requestClass, task, signal) {
      return new Promise((resolve, reject) => {
        if (signal?.aborted) {
          reject(abortError(signal));
          return;
        }
        const onAbort = () => {
          const index = queue.indexOf(waiter);
          if (index < 0) return;
          queue.splice(index, 1);
          reject(abortError(signal as AbortSignal));
          // The waiter may have been the one holding others back.
          pump();
        };
        const waiter: Waiter = {
          requestClass,
          start: () => {
            signal?.removeEventListener('abort', onAbort);
            Promise.resolve()
              .then(() => budget?.take(requestClass, signal))
              .then(async (settle) => {
                if (!settle) return task();
                try {
                  await waitOutPause(signal);
                  return await task();
                } finally {
                  await settle();
                }
              })
              .then(resolve, reject)
              .finally(() => {
                running--;
                pump();
              });
          },
        };
        queue.push(waiter);
        signal?.addEventListener('abort', onAbort, { once: true });
        pump();
      });
    },
  };
}
