import { describe, expect, it } from 'vitest';
import { systemClock } from './system-clock.ts';
import { createVirtualClock } from './virtual-clock.ts';

const isAbortError = (error: unknown) => error instanceof Error && error.name === 'AbortError';

describe('systemClock', () => {
  it('sleeps for real time', async () => {
    const before = systemClock.now();
    await systemClock.sleep(20);
    expect(systemClock.now() - before).toBeGreaterThanOrEqual(15);
  });

  it('rejects with an AbortError when aborted, before or during the sleep', async () => {
    await expect(systemClock.sleep(10, AbortSignal.abort())).rejects.toSatisfy(isAbortError);
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    controller.abort();
    await expect(sleeping).rejects.toSatisfy(isAbortError);
  });
});

describe('createVirtualClock', () => {
  it('starts where it is told and advances by itself when idle', async () => {
    const clock = createVirtualClock(1_000);
    expect(clock.now()).toBe(1_000);
    await clock.sleep(3_600_000);
    expect(clock.now()).toBe(3_601_000);
  });

  it('wakes many concurrent sleepers in wake-time order with now() at their wake time', async () => {
    const clock = createVirtualClock();
    const delays = [500, 20, 20, 0, 7_000, 1, 300, 20, 86_400_000, 3];
    const woken: { delay: number; index: number; at: number }[] = [];
    await Promise.all(
      delays.map(async (delay, index) => {
        await clock.sleep(delay);
        woken.push({ delay, index, at: clock.now() });
      }),
    );
    for (const wake of woken) expect(wake.at).toBe(wake.delay);
    const expected = delays
      .map((delay, index) => ({ delay, index }))
      .sort((a, b) => a.delay - b.delay || a.index - b.index);
    expect(woken.map(({ index }) => index)).toEqual(expected.map(({ index }) => index));
  });

  it('lets work that does not wait on the clock finish before time moves', async () => {
    const clock = createVirtualClock();
    const events: string[] = [];
    const sleeper = clock.sleep(1_000).then(() => events.push(`woke at ${clock.now()}`));
    // A chain of promises and a few event-loop turns: all of it happens at time 0.
    for (let step = 0; step < 50; step++) await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    events.push(`work done at ${clock.now()}`);
    await sleeper;
    expect(events).toEqual(['work done at 0', 'woke at 1000']);
  });

  it('rejects an aborted sleeper with an AbortError and forgets it', async () => {
    const clock = createVirtualClock(0, { autoAdvance: false });
    const controller = new AbortController();
    const sleeping = clock.sleep(1_000, controller.signal);
    expect(clock.pending).toBe(1);
    controller.abort();
    await expect(sleeping).rejects.toSatisfy(isAbortError);
    expect(clock.pending).toBe(0);
    await expect(clock.sleep(5, AbortSignal.abort())).rejects.toSatisfy(isAbortError);
  });

  it('moves only on advance() and runAll() when auto-advance is off', async () => {
    const clock = createVirtualClock(0, { autoAdvance: false });
    const woken: number[] = [];
    for (const delay of [100, 250, 1_000]) void clock.sleep(delay).then(() => woken.push(clock.now()));
    await new Promise((resolve) => setImmediate(resolve));
    expect(woken).toEqual([]);
    await clock.advance(300);
    expect(woken).toEqual([100, 250]);
    expect(clock.now()).toBe(300);
    // A sleeper queued while running is woken too.
    void clock.sleep(10).then(async () => {
      woken.push(clock.now());
      await clock.sleep(5_000);
      woken.push(clock.now());
    });
    await clock.runAll();
    expect(woken).toEqual([100, 250, 310, 1_000, 5_310]);
    expect(clock.pending).toBe(0);
  });
});
