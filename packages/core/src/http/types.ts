import type { z } from 'zod';
import type { ConnectorContext, ConnectorLimits, RequestClass } from '../connector.ts';
import type { ConnectorError } from '../errors.ts';

/** Keeps one connection under its declared limits: every interval at once, and concurrency. */
export interface RateLimiter {
  /** Runs `task` when a slot is free in every limit that applies to `requestClass`. */
  schedule<T>(requestClass: RequestClass, task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /**
   * Holds every request of the connection until `time` (on the limiter's clock): the vendor asked
   * for a pause (429 with Retry-After or a reset header). The http client calls it when present.
   */
  pauseUntil?(time: number): void;
}

/**
 * A connection's rate budget shared by every process that talks to the vendor for it (a vendor
 * limits the account, not the process). The hub keeps it in its database.
 */
export interface RateBudget {
  /**
   * Waits until a request of `requestClass` fits every limit across processes, and counts it. A
   * vendor counts a request when it arrives, which is some time after it was counted here: call the
   * returned `settle` once the answer (or the failure) is in, so the request is counted until the
   * latest time the vendor can have seen it, not only from when it was sent.
   */
  take(requestClass: RequestClass, signal?: AbortSignal): Promise<RateBudgetSettle>;
  /** The vendor asked the connection to wait until `time` (Retry-After): every process waits. */
  pauseUntil?(time: number): void;
}

/**
 * A connection's record of a login whose answer was lost, shared by every process that logs in for
 * it (the hub keeps it in its database): the vendor may hold a session nobody can log out, so no
 * process logs in blind again until the vendor has freed it.
 */
export interface LoginHold {
  /** The hold in force at the clock's now, if any. */
  current(): Promise<LoginHoldState | undefined>;
  /** A login sent at `since` got no answer; the vendor frees its session by `until` at the latest. */
  place(hold: LoginHoldState): Promise<void>;
}

export interface LoginHoldState {
  /** Epoch milliseconds. */
  since: number;
  /** Epoch milliseconds. */
  until: number;
}

/** Tells the budget the request's answer (or failure) is in. Never rejects. */
export type RateBudgetSettle = () => Promise<void>;

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Upper bound on the time spent waiting between attempts, summed. */
  maxTotalWaitMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Obtains and attaches credentials; the client re-authenticates exactly once on an auth failure. */
export interface AuthHook {
  /** Headers to attach; obtains a token first when none is cached. */
  headers(signal: AbortSignal): Promise<Record<string, string>>;
  /** Drops the cached token (called once after an auth failure, before the single retry). */
  invalidate(): void;
}

export interface HttpRequest<T> {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to the client's base URL. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** For the rate limiter. */
  requestClass: RequestClass;
  /** The response body's schema; a mismatch is a `protocol` error naming the path. */
  schema: z.ZodType<T>;
  /** Attach the auth hook's headers (default true). */
  auth?: boolean;
  /**
   * Safe to resend after the request may have reached the vendor (default: true for GET).
   * A non-idempotent request that fails after being sent becomes an `ambiguous` error, not a retry.
   */
  idempotent?: boolean;
}

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  data: T;
}

export interface HttpClientOptions {
  baseUrl: string;
  context: ConnectorContext;
  /** Shared by every client of one connection. */
  limiter: RateLimiter;
  auth?: AuthHook;
  /** Per attempt. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Values never to let into an error, a log line or a serialised result. */
  secrets?: readonly string[];
  /**
   * Vendor-specific reading of a non-2xx answer (or a 2xx one carrying an error): return a
   * ConnectorError to use, or undefined for the default classification by status.
   * `isAuthFailure` on the result's kind `auth` triggers the single re-authentication.
   */
  classifyError?: (response: {
    status: number;
    headers: Headers;
    body: unknown;
  }) => ConnectorError | undefined;
}

export interface HttpClient {
  request<T>(request: HttpRequest<T>): Promise<HttpResponse<T>>;
}

export type { ConnectorLimits };
