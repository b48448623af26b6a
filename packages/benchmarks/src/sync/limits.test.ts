import { describe, expect, it } from 'vitest';
import { type Arrival, bindingLimit, busiestWindow, describeLimit, limitUsage } from './limits.ts';

const at = (time: number, requestClass: Arrival['requestClass'] = 'write'): Arrival => ({
  requestClass,
  time,
  status: 200,
});
const writesPerMinute = { limit: 20, intervalMs: 60_000, appliesTo: ['write' as const] };

describe('busiestWindow', () => {
  it('counts arrivals in half-open windows: one exactly an interval later is in the next window', () => {
    expect(busiestWindow([0, 0, 500, 1000, 1000], 1000)).toBe(3);
    expect(busiestWindow([0, 1000, 2000], 1000)).toBe(1);
    expect(busiestWindow([], 1000)).toBe(0);
  });
});

describe('limitUsage', () => {
  it('is 1 for a client that sends the whole allowance at the start of every interval', () => {
    const arrivals = [0, 60_000, 120_000].flatMap((start) => Array.from({ length: 20 }, () => at(start)));
    expect(limitUsage(arrivals, writesPerMinute, 120_000)).toMatchObject({
      requests: 60,
      forcedMs: 120_000,
      ratio: 1,
      busiestWindow: 20,
    });
  });

  it('counts only the classes the limit applies to, and is 0.5 for a client at half the rate', () => {
    const arrivals = Array.from({ length: 41 }, (_, i) => at(i * 6_000)).concat([at(1, 'read')]);
    const usage = limitUsage(arrivals, writesPerMinute, 240_000);
    expect(usage.requests).toBe(41);
    expect(usage.ratio).toBe(0.5);
  });

  it('has no ratio when every request fits in one window, and shows a window over the limit', () => {
    expect(limitUsage([at(0), at(1)], writesPerMinute, 5).ratio).toBeNull();
    const burst = Array.from({ length: 21 }, (_, i) => at(i));
    expect(limitUsage(burst, writesPerMinute, 20)).toMatchObject({ busiestWindow: 21, ratio: 3_000 });
  });
});

describe('bindingLimit', () => {
  it('picks the limit that forces the longest time', () => {
    const limits = [{ limit: 60, intervalMs: 60_000, appliesTo: ['read' as const] }, writesPerMinute];
    const arrivals = Array.from({ length: 40 }, () => [at(0, 'read'), at(0, 'write')]).flat();
    expect(bindingLimit(arrivals, limits, 60_000).limit).toBe(writesPerMinute);
    expect(describeLimit(writesPerMinute)).toBe('20/min (write)');
  });

  it('picks the fullest limit when none forces any time', () => {
    const limits = [{ limit: 10, intervalMs: 60_000, appliesTo: ['auth' as const] }, writesPerMinute];
    const arrivals = [at(0, 'auth'), ...Array.from({ length: 5 }, () => at(0))];
    expect(bindingLimit(arrivals, limits, 0).limit).toBe(writesPerMinute);
  });
});
