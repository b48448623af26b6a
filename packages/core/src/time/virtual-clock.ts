import type { Clock } from '../clock.ts';
import { abortableWait } from './abort.ts';

/**
 * A clock whose `sleep` never waits for real time.
 *
 * Sleepers are queued by wake time (ties in call order). With `autoAdvance` (the default) the clock
 * jumps to the earliest wake time once the program is idle: pending microtasks have settled and
 * `idleTurns` event-loop turns (`setImmediate`) have passed without a new sleeper. Every sleeper due
 * at that time wakes with `now()` equal to its wake time, then the clock waits for idleness again.
 * Work that waits on something other than this clock (real I/O, real timers) for longer than
 * `idleTurns` turns is not waited for: virtual time may move past it.
 */
export interface VirtualClock extends Clock {
  /** Moves time forward by `ms`, waking the sleepers due on the way in order. */
  advance(ms: number): Promise<void>;
  /** Wakes sleepers in order, including ones queued meanwhile, until none is left. */
  runAll(): Promise<void>;
  /** How many sleepers are waiting. */
  readonly pending: number;
}

export interface VirtualClockOptions {
  /** Advance by itself when idle (default true); otherwise only `advance`/`runAll` move time. */
  autoAdvance?: boolean;
  /** Quiet event-loop turns that count as idle (default 3). */
  idleTurns?: number;
}

interface Sleeper {
  wakeAt: number;
  seq: number;
  resolve: () => void;
}

/** A wake-up loop that never ends is a bug in the caller; stop it instead of hanging. */
const MAX_WAKES_PER_RUN = 1_000_000;

const turns = async (count: number) => {
  for (let index = 0; index < count; index++) await new Promise<void>((resolve) => setImmediate(resolve));
};

export function createVirtualClock(start = 0, options: VirtualClockOptions = {}): VirtualClock {
  const autoAdvance = options.autoAdvance ?? true;
  const idleTurns = Math.max(1, options.idleTurns ?? 3);
  let now = start;
  let seq = 0;
  const sleepers: Sleeper[] = [];
  let ticking = false;
  let quietTurns = 0;

  const insert = (sleeper: Sleeper) => {
    let low = 0;
    let high = sleepers.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const other = sleepers[mid] as Sleeper;
      if (other.wakeAt < sleeper.wakeAt || (other.wakeAt === sleeper.wakeAt && other.seq < sleeper.seq)) {
        low = mid + 1;
      } else high = mid;
    }
    sleepers.splice(low, 0, sleeper);
  };

  /** Wakes every sleeper due at the earliest wake time; returns false when none is waiting. */
  const wakeEarliest = (limit = Number.POSITIVE_INFINITY): boolean => {
    const first = sleepers[0];
    if (!first || first.wakeAt > limit) return false;
    now = Math.max(now, first.wakeAt);
    while (sleepers[0] && sleepers[0].wakeAt <= now) (sleepers.shift() as Sleeper).resolve();
    return true;
  };

  const tick = () => {
    if (sleepers.length === 0) {
      ticking = false;
      return;
    }
    quietTurns++;
    if (quietTurns >= idleTurns) {
      quietTurns = 0;
      wakeEarliest();
    }
    setImmediate(tick);
  };

  const clock: VirtualClock = {
    now: () => now,
    sleep(ms, signal) {
      return abortableWait(signal, (wake) => {
        const sleeper: Sleeper = { wakeAt: now + Math.max(0, ms), seq: seq++, resolve: wake };
        insert(sleeper);
        quietTurns = 0;
        if (autoAdvance && !ticking) {
          ticking = true;
          setImmediate(tick);
        }
        return () => {
          const index = sleepers.indexOf(sleeper);
          if (index >= 0) sleepers.splice(index, 1);
        };
      });
    },
    async advance(ms) {
      const target = now + Math.max(0, ms);
      let wakes = 0;
      while (wakeEarliest(target)) {
        if (++wakes > MAX_WAKES_PER_RUN) throw new Error('virtual clock: too many wake-ups in one advance');
        await turns(idleTurns);
      }
      now = Math.max(now, target);
      await turns(idleTurns);
    },
    async runAll() {
      let wakes = 0;
      while (wakeEarliest()) {
        if (++wakes > MAX_WAKES_PER_RUN) throw new Error('virtual clock: sleepers keep rescheduling');
        await turns(idleTurns);
      }
    },
    get pending() {
      return sleepers.length;
    },
  };
  return clock;
}
