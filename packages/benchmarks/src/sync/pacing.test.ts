import { createVirtualClock } from '@renkei/core';
import type { FakeRequestRecord, FakeVendor } from '@renkei/testkit/fakes';
import { expect, it } from 'vitest';
import { naivelyPaced, withLatency } from './pacing.ts';

const LIMITS = [
  { limit: 60, intervalMs: 60_000, appliesTo: ['read' as const] },
  { limit: 20, intervalMs: 60_000, appliesTo: ['write' as const] },
];

/** A vendor that logs every request with its class (from the URL) and arrival time. */
function loggingVendor(clock: { now(): number }) {
  const requests: FakeRequestRecord[] = [];
  const fetch = async (input: string | URL | Request) => {
    const url = String(input);
    requests.push({
      method: 'GET',
      url,
      requestClass: url.endsWith('write') ? 'write' : 'read',
      time: clock.now(),
      status: 200,
    });
    return new Response('{}');
  };
  return { fake: { requests } as unknown as FakeVendor, fetch: fetch as typeof globalThis.fetch };
}

it('sends one request at a time, pausing after each for its class: 1 s after a read, 3 s after a write', async () => {
  const clock = createVirtualClock(0);
  const { fake, fetch } = loggingVendor(clock);
  const paced = naivelyPaced(withLatency(fetch, clock, 100), clock, fake, LIMITS);
  await Promise.all([paced('https://x/read'), paced('https://x/write'), paced('https://x/read')]);
  expect(fake.requests.map((request) => request.time)).toEqual([0, 1_100, 4_200]);
  expect(clock.now()).toBe(5_300);
});
