import type { RateLimit, RequestClass } from '@renkei/core';

/** One request the vendor fake answered: its class (as the vendor counts it) and arrival time. */
export interface Arrival {
  requestClass: RequestClass;
  time: number;
  status: number;
}

export interface LimitUsage {
  limit: RateLimit;
  /** Requests that counted against this limit. */
  requests: number;
  /**
   * The least time the limit lets those requests take: the whole allowance at once, then the next
   * allowance an interval later, and so on — (⌈requests ÷ limit⌉ − 1) intervals.
   */
  forcedMs: number;
  /**
   * forcedMs ÷ the time the pass took, i.e. the achieved request rate ÷ the rate the limit allows
   * for this many requests (1: no slot left unused; above 1 only by going over the limit). Null when
   * all fit in one window (the limit never binds).
   */
  ratio: number | null;
  /** The most requests seen in any window of the limit's length (≤ limit when compliant). */
  busiestWindow: number;
}

export const appliesTo = (limit: RateLimit, requestClass: RequestClass): boolean =>
  limit.appliesTo?.includes(requestClass) ?? true;

/** The most arrivals in any half-open window `(t - intervalMs, t]`, as a sliding-window vendor counts. */
export function busiestWindow(times: readonly number[], intervalMs: number): number {
  let most = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while ((times[start] as number) <= (times[end] as number) - intervalMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

/** How much of one limit a pass of `durationMs` used. */
export function limitUsage(arrivals: readonly Arrival[], limit: RateLimit, durationMs: number): LimitUsage {
  const times = arrivals.filter((arrival) => appliesTo(limit, arrival.requestClass)).map((a) => a.time);
  const forcedMs = Math.max(0, Math.ceil(times.length / limit.limit) - 1) * limit.intervalMs;
  return {
    limit,
    requests: times.length,
    forcedMs,
    ratio: forcedMs > 0 ? forcedMs / durationMs : null,
    busiestWindow: busiestWindow(times, limit.intervalMs),
  };
}

/** The limit that held the pass back: the one forcing the longest time (then the fullest). */
export function bindingLimit(
  arrivals: readonly Arrival[],
  limits: readonly RateLimit[],
  durationMs: number,
): LimitUsage {
  const usages = limits.map((limit) => limitUsage(arrivals, limit, durationMs));
  const [first, ...rest] = usages;
  if (!first) throw new Error('the connector declares no rate limit');
  const fill = (usage: LimitUsage) => usage.requests / usage.limit.limit;
  return rest.reduce(
    (most, usage) =>
      usage.forcedMs > most.forcedMs || (usage.forcedMs === most.forcedMs && fill(usage) > fill(most))
        ? usage
        : most,
    first,
  );
}

/** `10/s`, `20/min`, `appliesTo` in brackets. */
export function describeLimit(limit: RateLimit): string {
  const unit =
    limit.intervalMs === 1000 ? 's' : limit.intervalMs === 60_000 ? 'min' : `${limit.intervalMs} ms`;
  const classes = limit.appliesTo ? ` (${limit.appliesTo.join(', ')})` : '';
  return `${limit.limit}/${unit}${classes}`;
}
