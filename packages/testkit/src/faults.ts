// One fault-injection interface that every fake implements. A fake asks `take()` at the start of each
// request it handles and renders the returned fault the way its vendor would.

/** Every fault a fake can be asked to serve: this list is the one place to add one. */
export const FAULT_KINDS = [
  'rate_limit', // 429 with Retry-After
  'server_error', // 5xx
  'network_error', // connection reset before the vendor saw the request
  'delay', // a slow answer (on the fake's clock)
  'timeout_after_commit', // the write happens, the answer is lost
  'late_commit', // the answer is lost now, and the write happens `delayMs` later (after the client gave up)
  'lost_auth_answer', // a token is issued (for PCA: a licence taken), the answer is lost
  'malformed_body', // 2xx with a body that does not match the vendor's schema
  'expired_token', // the vendor's token-expired answer
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export type FaultScope = 'read' | 'write' | 'auth' | 'any';

export interface FaultSpec {
  kind: FaultKind;
  scope?: FaultScope;
  /** For the next N matching requests (default 1); Infinity for a persistent fault. */
  times?: number;
  /** Instead of `times`: each matching request faults with this probability (seeded). */
  probability?: number;
  seed?: number;
  /** Only requests that concern one of these 社員番号 (writes and reads by code). */
  employeeCodes?: readonly string[];
  retryAfterSeconds?: number;
  status?: number;
  /** `delay`: how slow the answer is; `late_commit`: how long after the lost answer the write lands. */
  delayMs?: number;
}

/** How long after its lost answer a `late_commit` write lands unless the spec says otherwise. */
export const LATE_COMMIT_DEFAULT_MS = 45_000;

export interface Fault {
  kind: FaultKind;
  status: number;
  retryAfterSeconds: number;
  delayMs: number;
}

export interface RequestFacts {
  scope: Exclude<FaultScope, 'any'>;
  employeeCodes?: readonly string[];
}

export interface FaultInjector {
  inject(spec: FaultSpec): void;
  clear(): void;
  /** The fault to apply to this request, if any (consumes one of its `times`). */
  take(request: RequestFacts): Fault | undefined;
  /** How many faults have been served, per kind. */
  readonly served: Readonly<Record<FaultKind, number>>;
}

/** mulberry32: small, fast, good enough for reproducible fault schedules. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ActiveFault {
  spec: FaultSpec;
  remaining: number;
  random: (() => number) | undefined;
}

export function createFaultInjector(): FaultInjector {
  let active: ActiveFault[] = [];
  const served = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;

  const matches = (spec: FaultSpec, request: RequestFacts): boolean => {
    const scope = spec.scope ?? 'any';
    if (scope !== 'any' && scope !== request.scope) return false;
    // These two only make sense for one kind of request, whatever the scope says.
    if (spec.kind === 'late_commit' && request.scope !== 'write') return false;
    if (spec.kind === 'lost_auth_answer' && request.scope !== 'auth') return false;
    if (spec.employeeCodes) {
      const codes = request.employeeCodes ?? [];
      if (!codes.some((code) => spec.employeeCodes?.includes(code))) return false;
    }
    return true;
  };

  return {
    served,
    inject(spec) {
      const probabilistic = spec.probability !== undefined;
      active.push({
        spec,
        remaining: probabilistic ? Number.POSITIVE_INFINITY : (spec.times ?? 1),
        random: probabilistic ? seededRandom(spec.seed ?? 1) : undefined,
      });
    },
    clear() {
      active = [];
    },
    take(request) {
      for (const fault of active) {
        if (fault.remaining <= 0 || !matches(fault.spec, request)) continue;
        if (fault.random && fault.random() >= (fault.spec.probability ?? 0)) continue;
        fault.remaining--;
        served[fault.spec.kind]++;
        const { kind } = fault.spec;
        return {
          kind,
          status: fault.spec.status ?? (kind === 'rate_limit' ? 429 : kind === 'server_error' ? 503 : 200),
          retryAfterSeconds: fault.spec.retryAfterSeconds ?? 1,
          delayMs: fault.spec.delayMs ?? (kind === 'late_commit' ? LATE_COMMIT_DEFAULT_MS : 0),
        };
      }
      active = active.filter((fault) => fault.remaining > 0);
      return undefined;
    },
  };
}
