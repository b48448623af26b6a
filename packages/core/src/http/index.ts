export { createRateLimiter } from './rate-limiter.ts';
export type * from './types.ts';
