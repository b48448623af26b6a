export { withoutAmbiguityHint } from './classify.ts';
export { createHttpClient, DEFAULT_TIMEOUT_MS } from './client.ts';
export { connectionLimiter, createRateLimiter } from './rate-limiter.ts';
export { createRedactor, REDACTED, type Redactor } from './redact.ts';
export { backoffDelay, DEFAULT_RETRY_POLICY, retryDelayFromHeaders } from './retry-delay.ts';
export type * from './types.ts';
