import type { Clock, RateLimit } from '@renkei/core';
import { http, type RequestHandler } from 'msw';
import type { FakeRequestRecord } from './fake.ts';
import { createFaultInjector, type FaultInjector, type RequestFacts } from './faults.ts';

/** How a vendor words the answers the gateway gives on its behalf. */
export interface VendorAnswers {
  /** Over the vendor's limits (or an injected `rate_limit`): 429 with `Retry-After`, in the vendor's words. */
  tooManyRequests(retryAfterSeconds: number, status: number): Response;
  /** An injected `server_error`. */
  serverError(status: number): Response;
  /** An injected `expired_token`: the vendor's token-expired answer (a fake may also forget the token). */
  expiredToken(request: Request): Response;
  /** An injected `malformed_body`: a 2xx whose body does not match the vendor's schema. */
  malformedBody(status: number): Response;
}

export interface FakeGatewayOptions {
  clock: Clock;
  /** The vendor's rate limits: each counts the requests of its classes that arrived in its interval. */
  rateLimits: readonly RateLimit[];
  answers: VendorAnswers;
}

/** What the gateway needs to know about one request before the route answers it. */
export interface GatewayCall extends RequestFacts {
  /** The vendor's check of the caller (token, scope): its refusal, or undefined to let the route answer. */
  authorise?: () => Response | undefined;
}

type Params = Record<string, string>;

/**
 * The front door every vendor fake puts before its routes, so each rule is written once: rate
 * windows (429 with Retry-After, and a vendor that asked for a wait keeps refusing until it passes),
 * injected faults, the caller's authorisation, and the request log.
 */
export interface FakeGateway {
  readonly faults: FaultInjector;
  /** Every request answered, in arrival order (status 0: the client got no answer). */
  readonly requests: readonly FakeRequestRecord[];
  /** Requests refused with 429 because they were over the limits (not injected faults). */
  readonly overLimitCount: number;
  /**
   * Requests refused only because they arrived inside the Retry-After of an injected `rate_limit`
   * (within every limit otherwise): requests already on their way when the 429 was answered land
   * here too, so a client with more than one request in flight cannot keep this at 0.
   */
  readonly insideRetryAfterCount: number;
  /** Answers one request: limits, then a fault, then `authorise`, then `route`. */
  serve(request: Request, call: GatewayCall, route: () => Response | Promise<Response>): Promise<Response>;
  /** An msw handler for one route behind the gateway; `facts` reads a clone of the request. */
  route(
    method: 'get' | 'post' | 'put' | 'patch' | 'delete',
    url: string,
    facts: (request: Request, params: Params) => GatewayCall | Promise<GatewayCall>,
    handle: (request: Request, params: Params) => Response | Promise<Response>,
  ): RequestHandler;
  /** Forgets the request log, the windows, a pending Retry-After and the faults. */
  reset(): void;
}

export function createFakeGateway({ clock, rateLimits, answers }: FakeGatewayOptions): FakeGateway {
  const faults = createFaultInjector();
  let requests: FakeRequestRecord[] = [];
  let overLimitCount = 0;
  let insideRetryAfterCount = 0;
  /** Arrival times each limit counted, oldest first (one list per entry of `rateLimits`). */
  let windows = rateLimits.map((): number[] => []);
  /** The Retry-After the vendor last gave: requests after `from` and before `until` are over the limit. */
  let block = { from: 0, until: Number.NEGATIVE_INFINITY };

  const applies = (limit: RateLimit, requestClass: RequestFacts['scope']) =>
    !limit.appliesTo || limit.appliesTo.includes(requestClass);

  /**
   * Seconds until this request would be within every limit (and past the Retry-After of an
   * injected 429), or undefined when it is now; `overWindow` when a rate window itself is full.
   */
  const overLimit = (
    requestClass: RequestFacts['scope'],
    now: number,
  ): { seconds: number; overWindow: boolean } | undefined => {
    let until = now > block.from && now < block.until ? block.until : undefined;
    let overWindow = false;
    rateLimits.forEach((limit, index) => {
      if (!applies(limit, requestClass)) return;
      const window = windows[index] as number[];
      while (window.length > 0 && (window[0] as number) <= now - limit.intervalMs) window.shift();
      if (window.length >= limit.limit) {
        overWindow = true;
        until = Math.max(until ?? 0, (window[0] as number) + limit.intervalMs);
      }
    });
    return until === undefined
      ? undefined
      : { seconds: Math.max(1, Math.ceil((until - now) / 1000)), overWindow };
  };

  const answer = async (
    request: Request,
    call: GatewayCall,
    route: () => Response | Promise<Response>,
  ): Promise<Response> => {
    const now = clock.now();
    const wait = overLimit(call.scope, now);
    if (wait !== undefined) {
      if (wait.overWindow) overLimitCount++;
      else insideRetryAfterCount++;
      return answers.tooManyRequests(wait.seconds, 429);
    }
    rateLimits.forEach((limit, index) => {
      if (applies(limit, call.scope)) windows[index]?.push(now);
    });
    const fault = faults.take(call);
    // A garbled or lost answer to a write (or a login) comes after the vendor did the work.
    const afterWork =
      fault?.kind === 'timeout_after_commit' ||
      fault?.kind === 'lost_auth_answer' ||
      (fault?.kind === 'malformed_body' && call.scope === 'write');
    switch (fault?.kind) {
      case undefined:
      case 'timeout_after_commit':
      case 'lost_auth_answer':
      case 'late_commit':
        break;
      case 'delay':
        await clock.sleep(fault.delayMs);
        break;
      case 'rate_limit':
        block = { from: now, until: now + fault.retryAfterSeconds * 1000 };
        return answers.tooManyRequests(fault.retryAfterSeconds, fault.status);
      case 'server_error':
        return answers.serverError(fault.status);
      case 'network_error':
        return Response.error();
      case 'expired_token':
        return answers.expiredToken(request);
      case 'malformed_body':
        if (!afterWork) return answers.malformedBody(fault.status);
        break;
    }
    const refusal = call.authorise?.();
    if (refusal) return refusal;
    if (fault?.kind === 'late_commit') {
      // The client is told nothing; the vendor does the work later, after the client gave up.
      void clock.sleep(fault.delayMs).then(route);
      return Response.error();
    }
    const response = await route();
    if (fault?.kind === 'timeout_after_commit' || fault?.kind === 'lost_auth_answer') return Response.error();
    if (fault?.kind === 'malformed_body') return answers.malformedBody(fault.status);
    return response;
  };

  const gateway: FakeGateway = {
    faults,
    get requests() {
      return requests;
    },
    get overLimitCount() {
      return overLimitCount;
    },
    get insideRetryAfterCount() {
      return insideRetryAfterCount;
    },
    async serve(request, call, route) {
      const time = clock.now();
      const response = await answer(request, call, route);
      requests.push({
        method: request.method,
        url: request.url,
        requestClass: call.scope,
        time,
        status: response.type === 'error' ? 0 : response.status,
      });
      return response;
    },
    route(method, url, facts, handle) {
      return http[method](url, async ({ request, params }) => {
        const call = await facts(request.clone(), params as Params);
        return gateway.serve(request, call, () => handle(request, params as Params));
      });
    },
    reset() {
      requests = [];
      overLimitCount = 0;
      insideRetryAfterCount = 0;
      windows = rateLimits.map(() => []);
      block = { from: 0, until: Number.NEGATIVE_INFINITY };
      faults.clear();
    },
  };
  return gateway;
}

/** The token of an `Authorization: Bearer` header. */
export const bearerToken = (request: Request): string | undefined =>
  request.headers.get('authorization')?.match(/^Bearer (.+)$/i)?.[1];

/** `id:secret` from an `Authorization: Basic` header. */
export function basicCredentials(request: Request): string | undefined {
  const encoded = request.headers.get('authorization')?.match(/^Basic (.+)$/)?.[1];
  return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
}

/** Why a bearer token was not accepted. */
export type TokenProblem = 'invalid' | 'expired';

/**
 * Access tokens a fake issued, each with what it grants and when it expires on the fake's clock.
 * Serialisable (`entries`, `load`) so a fake that persists its state keeps its callers signed in.
 */
export interface TokenStore<Grant> {
  issue(token: string, grant: Grant, ttlMs: number): void;
  /** The grant behind the request's bearer token, or why there is none (an expired token is forgotten). */
  verify(request: Request): { ok: true; grant: Grant } | { ok: false; problem: TokenProblem };
  revoke(token: string): void;
  entries(): [string, { grant: Grant; expiresAt: number }][];
  load(entries: readonly (readonly [string, { grant: Grant; expiresAt: number }])[]): void;
  readonly size: number;
  clear(): void;
}

export function createTokenStore<Grant>(clock: Clock): TokenStore<Grant> {
  let tokens = new Map<string, { grant: Grant; expiresAt: number }>();
  return {
    issue(token, grant, ttlMs) {
      tokens.set(token, { grant, expiresAt: clock.now() + ttlMs });
    },
    verify(request) {
      const token = bearerToken(request);
      const held = token === undefined ? undefined : tokens.get(token);
      if (token === undefined || !held) return { ok: false, problem: 'invalid' };
      if (clock.now() >= held.expiresAt) {
        tokens.delete(token);
        return { ok: false, problem: 'expired' };
      }
      return { ok: true, grant: held.grant };
    },
    revoke(token) {
      tokens.delete(token);
    },
    entries: () => [...tokens.entries()],
    load(entries) {
      tokens = new Map(entries.map(([token, held]) => [token, { ...held }]));
    },
    get size() {
      return tokens.size;
    },
    clear() {
      tokens.clear();
    },
  };
}

/** What a `FakeVendor` shows of its gateway: the faults, the request log and the refusal counts. */
export interface GatewayView {
  readonly faults: FaultInjector;
  readonly requests: readonly FakeRequestRecord[];
  readonly overLimitCount: number;
  readonly insideRetryAfterCount: number;
}

/** A fake (`T`) from its own members plus the gateway's faults, request log and refusal counts (read live). */
export function withGateway<T extends GatewayView>(
  gateway: FakeGateway,
  fake: Omit<T, keyof GatewayView>,
): T {
  return Object.defineProperties(fake, {
    faults: { value: gateway.faults, enumerable: true },
    requests: { get: () => gateway.requests, enumerable: true },
    overLimitCount: { get: () => gateway.overLimitCount, enumerable: true },
    insideRetryAfterCount: { get: () => gateway.insideRetryAfterCount, enumerable: true },
  }) as T;
}
