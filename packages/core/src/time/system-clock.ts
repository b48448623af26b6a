import type { Clock } from '../clock.ts';
import { abortableWait } from './abort.ts';

/** Wall-clock time: `Date.now()` and an abortable `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    abortableWait(signal, (wake) => {
      const timer = setTimeout(wake, Math.max(0, ms));
      return () => clearTimeout(timer);
    }),
};
