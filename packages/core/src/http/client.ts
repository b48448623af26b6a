import { ConnectorError, toConnectorError } from '../errors.ts';
import {
  cancelledError,
  classifyStatus,
  type ExchangeFacts,
  MAY_HAVE_BEEN_WRITTEN,
  networkError,
  notJsonError,
  parseBody,
  timeoutError,
} from './classify.ts';
import { createRedactor } from './redact.ts';
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  quotaExhaustedDelay,
  retryDelayFromHeaders,
} from './retry-delay.ts';
import type { HttpClient, HttpClientOptions, HttpRequest, HttpResponse, RetryPolicy } from './types.ts';

export const DEFAULT_TIMEOUT_MS = 30_000;

type Attempt<T> = { ok: true; response: HttpResponse<T> } | { ok: false; error: ConnectorError };

function buildUrl(baseUrl: string, path: string, query: HttpRequest<unknown>['query']): string {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.append(key, String(value));
  }
  return url.toString();
}

/** A copy of `error` with a redacted message and the given extras (ConnectorError is immutable). */
function rebuild(
  error: ConnectorError,
  redact: (text: string) => string,
  extra: { attempts?: number; retryAfterMs?: number; suffix?: string } = {},
): ConnectorError {
  return new ConnectorError(error.kind, redact(error.message + (extra.suffix ?? '')), {
    retryable: error.retryable,
    ambiguous: error.ambiguous,
    attempts: extra.attempts ?? error.attempts,
    retryAfterMs: extra.retryAfterMs ?? error.retryAfterMs,
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.vendorCode === undefined ? {} : { vendorCode: redact(error.vendorCode) }),
  });
}

/**
 * A 2xx answer that cannot be read. The vendor accepted the request, so a write may have been
 * committed: it is ambiguous (looked up, never simply resent or reported failed).
 */
function unreadableAnswer(error: ConnectorError, facts: ExchangeFacts): ConnectorError {
  if (facts.idempotent) return error;
  return new ConnectorError(error.kind, `${error.message}${MAY_HAVE_BEEN_WRITTEN}`, {
    retryable: error.retryable,
    ambiguous: true,
    ...(error.status === undefined ? {} : { status: error.status }),
  });
}

/**
 * The client every connector's API client is built on. One request: auth headers, then attempts
 * through the connection's rate limiter, each with its own timeout on the injected clock; retries
 * for 429, 5xx and network errors with full-jitter backoff or the wait the vendor asked for;
 * exactly one re-authentication after an auth failure. Every error leaves as a redacted
 * ConnectorError carrying the number of attempts.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { context, limiter, auth } = options;
  const { clock, logger } = context;
  const policy: RetryPolicy = {
    maxAttempts: options.retry?.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts,
    maxTotalWaitMs: options.retry?.maxTotalWaitMs ?? DEFAULT_RETRY_POLICY.maxTotalWaitMs,
    baseDelayMs: options.retry?.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
    maxDelayMs: options.retry?.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
  };
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const random = context.random ?? Math.random;
  const redactor = createRedactor(options.secrets);
  const redact = (text: string) => redactor.redact(text);

  async function headersFor(request: HttpRequest<unknown>, useAuth: boolean): Promise<Headers> {
    const headers = new Headers({ accept: 'application/json' });
    if (request.json !== undefined) headers.set('content-type', 'application/json');
    else if (request.form) headers.set('content-type', 'application/x-www-form-urlencoded');
    const credentials = useAuth && auth ? await auth.headers(context.signal) : {};
    for (const [name, value] of Object.entries({ ...request.headers, ...credentials })) {
      if (name.toLowerCase() === 'authorization' || name in credentials) {
        // Hide the whole value and the credential after a scheme such as `Bearer `.
        redactor.add(value, value.split(' ').slice(1).join(' '));
      }
      headers.set(name, value);
    }
    return headers;
  }

  async function attempt<T>(
    request: HttpRequest<T>,
    url: string,
    init: { method: string; headers: Headers; body: string | undefined },
    facts: ExchangeFacts,
  ): Promise<Attempt<T>> {
    const timeout = new AbortController();
    const timerDone = new AbortController();
    clock.sleep(timeoutMs, timerDone.signal).then(
      () => timeout.abort(),
      () => {},
    );
    const signal = AbortSignal.any([context.signal, timeout.signal]);
    const failure = (error: unknown): Attempt<T> => ({
      ok: false,
      error: context.signal.aborted
        ? cancelledError(facts)
        : timeout.signal.aborted
          ? timeoutError(timeoutMs, facts)
          : networkError(error, facts),
    });
    try {
      let response: Response;
      let text: string;
      try {
        response = await context.fetch(url, { ...init, signal });
        text = await response.text();
      } catch (error) {
        return failure(error);
      }
      let body: unknown;
      let isJson = true;
      try {
        body = text.trim() === '' ? undefined : JSON.parse(text);
      } catch {
        body = text;
        isJson = false;
      }
      const answer = { status: response.status, headers: response.headers, body };
      const vendorError = options.classifyError?.(answer);
      const error = vendorError ?? (response.ok ? undefined : classifyStatus(answer, facts));
      if (error) {
        const retryAfterMs = error.retryable
          ? (error.retryAfterMs ?? retryDelayFromHeaders(response.headers, clock.now()))
          : undefined;
        return {
          ok: false,
          error: retryAfterMs === undefined ? error : rebuild(error, redact, { retryAfterMs }),
        };
      }
      if (!isJson) return { ok: false, error: unreadableAnswer(notJsonError(response.status, facts), facts) };
      const parsed = parseBody(request.schema, body, response.status, facts);
      if (!parsed.ok) return { ok: false, error: unreadableAnswer(parsed.error, facts) };
      return {
        ok: true,
        response: { status: response.status, headers: response.headers, data: parsed.data },
      };
    } finally {
      timerDone.abort();
    }
  }

  /**
   * The vendor's pause is for the whole connection, not only for this request: it is applied as
   * soon as the answer is in, inside the limiter's slot, before the slot is settled with a shared
   * budget (a database round trip) lets another request go out meanwhile.
   */
  function pauseOn<T>(outcome: Attempt<T>): Attempt<T> {
    if (outcome.ok) {
      // A vendor that counts down in headers is paced by them: none left means wait for the reset.
      const quotaWaitMs = quotaExhaustedDelay(outcome.response.headers, clock.now());
      if (quotaWaitMs) limiter.pauseUntil?.(clock.now() + quotaWaitMs);
    } else if (outcome.error.retryAfterMs !== undefined) {
      limiter.pauseUntil?.(clock.now() + outcome.error.retryAfterMs);
    }
    return outcome;
  }

  async function request<T>(request: HttpRequest<T>): Promise<HttpResponse<T>> {
    const method = request.method ?? 'GET';
    const facts: ExchangeFacts = {
      label: redact(`${method} ${request.path}`),
      idempotent: request.idempotent ?? method === 'GET',
    };
    const url = buildUrl(options.baseUrl, request.path, request.query);
    const body =
      request.json !== undefined
        ? JSON.stringify(request.json)
        : request.form
          ? new URLSearchParams(request.form).toString()
          : undefined;
    const useAuth = request.auth !== false && auth !== undefined;
    let attempts = 0;
    let reauthenticated = false;
    let waitedMs = 0;

    const fail = (error: unknown, suffix?: string) =>
      rebuild(toConnectorError(error), redact, { attempts, ...(suffix ? { suffix } : {}) });

    for (;;) {
      attempts++;
      let outcome: Attempt<T>;
      try {
        const headers = await headersFor(request, useAuth);
        outcome = await limiter.schedule(
          request.requestClass,
          async () => pauseOn(await attempt(request, url, { method, headers, body }, facts)),
          context.signal,
        );
      } catch (error) {
        throw fail(context.signal.aborted ? cancelledError(facts) : error);
      }
      if (outcome.ok) return outcome.response;
      const { error } = outcome;

      if (error.kind === 'auth' && useAuth && !reauthenticated) {
        reauthenticated = true;
        auth?.invalidate();
        logger.info(
          '認証をやり直します',
          redactor.redactData({ request: facts.label, status: error.status }),
        );
        continue;
      }
      if (!error.retryable || (error.ambiguous && !facts.idempotent) || error.kind === 'auth')
        throw fail(error);

      const failures = attempts - (reauthenticated ? 1 : 0);
      if (failures >= policy.maxAttempts) throw fail(error, `（${attempts}回試行しました）`);
      const delayMs = error.retryAfterMs ?? backoffDelay(failures, policy, random);
      if (waitedMs + delayMs > policy.maxTotalWaitMs) {
        throw fail(error, `（${attempts}回試行し、再試行の待ち時間の上限に達しました）`);
      }
      logger.warn(
        '連携先へのリクエストを再試行します',
        redactor.redactData({
          request: facts.label,
          attempt: attempts,
          delayMs,
          kind: error.kind,
          error: error.message,
        }),
      );
      try {
        await clock.sleep(delayMs, context.signal);
      } catch {
        throw fail(cancelledError(facts));
      }
      waitedMs += delayMs;
    }
  }

  return { request };
}
