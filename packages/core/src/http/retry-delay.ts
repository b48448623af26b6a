import type { RetryPolicy } from './types.ts';

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  maxTotalWaitMs: 120_000,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
};

/** Exponential backoff with full jitter: uniform in [0, min(max, base · 2^(failures-1))). */
export function backoffDelay(failures: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failures - 1));
  return Math.floor(random() * ceiling);
}

/** Reset headers: epoch seconds when the value is that large, otherwise seconds from now. */
const RESET_HEADERS = ['x-rate-limit-reset', 'x-ratelimit-reset', 'ratelimit-reset'];
const EPOCH_SECONDS_FLOOR = 1_000_000_000;

/**
 * The wait the vendor asked for, in ms: `Retry-After` (seconds or an HTTP date), else a reset
 * header. `now` comes from the injected clock so virtual time works.
 */
export function retryDelayFromHeaders(headers: Headers, now: number): number | undefined {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return resetDelay(headers, now);
}

function resetDelay(headers: Headers, now: number): number | undefined {
  for (const name of RESET_HEADERS) {
    const value = headers.get(name)?.trim();
    if (!value || !/^\d+(\.\d+)?$/.test(value)) continue;
    const seconds = Number(value);
    return Math.max(0, Math.ceil(seconds >= EPOCH_SECONDS_FLOOR ? seconds * 1000 - now : seconds * 1000));
  }
  return undefined;
}

const REMAINING_HEADERS = ['x-rate-limit-remaining', 'x-ratelimit-remaining', 'ratelimit-remaining'];

/**
 * The wait a successful answer implies: its rate-limit headers say no request is left in the
 * vendor's window (`remaining` 0), so the next one would be refused until the reset.
 */
export function quotaExhaustedDelay(headers: Headers, now: number): number | undefined {
  const remaining = REMAINING_HEADERS.map((name) => headers.get(name)?.trim()).find(Boolean);
  return remaining === '0' ? resetDelay(headers, now) : undefined;
}
