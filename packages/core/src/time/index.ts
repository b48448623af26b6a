export { systemClock } from './system-clock.ts';
export * from './tokyo-date.ts';
export { createVirtualClock, type VirtualClock, type VirtualClockOptions } from './virtual-clock.ts';
