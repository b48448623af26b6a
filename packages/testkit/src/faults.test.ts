import { describe, expect, it } from 'vitest';
import { createFaultInjector, type FaultInjector, type RequestFacts, seededRandom } from './faults.ts';

const read: RequestFacts = { scope: 'read' };
const write: RequestFacts = { scope: 'write' };
const kinds = (faults: FaultInjector, request: RequestFacts, n: number) =>
  Array.from({ length: n }, () => faults.take(request)?.kind ?? null);

describe('createFaultInjector', () => {
  it('serves nothing until a fault is injected', () => {
    expect(createFaultInjector().take(read)).toBeUndefined();
  });

  it('serves a fault once by default, then N times, then forever with Infinity', () => {
    const faults = createFaultInjector();
    faults.inject({ kind: 'server_error' });
    expect(kinds(faults, read, 2)).toEqual(['server_error', null]);
    faults.inject({ kind: 'network_error', times: 3 });
    expect(kinds(faults, read, 4)).toEqual(['network_error', 'network_error', 'network_error', null]);
    faults.inject({ kind: 'malformed_body', times: Number.POSITIVE_INFINITY });
    expect(kinds(faults, read, 50).every((kind) => kind === 'malformed_body')).toBe(true);
  });

  it('renders each kind with its vendor-like defaults, or the given status and timings', () => {
    const faults = createFaultInjector();
    faults.inject({ kind: 'rate_limit' });
    expect(faults.take(read)).toEqual({ kind: 'rate_limit', status: 429, retryAfterSeconds: 1, delayMs: 0 });
    faults.inject({ kind: 'server_error' });
    expect(faults.take(read)?.status).toBe(503);
    faults.inject({ kind: 'timeout_after_commit' });
    expect(faults.take(write)?.status).toBe(200);
    faults.inject({ kind: 'rate_limit', retryAfterSeconds: 30, status: 503, delayMs: 5 });
    expect(faults.take(read)).toEqual({ kind: 'rate_limit', status: 503, retryAfterSeconds: 30, delayMs: 5 });
  });

  it('serves a scoped fault only to requests of that scope; `any` to all', () => {
    const faults = createFaultInjector();
    faults.inject({ kind: 'timeout_after_commit', scope: 'write', times: 1 });
    expect(faults.take(read)).toBeUndefined();
    expect(faults.take({ scope: 'auth' })).toBeUndefined();
    expect(faults.take(write)?.kind).toBe('timeout_after_commit');
    faults.inject({ kind: 'expired_token', scope: 'any', times: 3 });
    expect([read, write, { scope: 'auth' } as const].map((r) => faults.take(r)?.kind)).toEqual([
      'expired_token',
      'expired_token',
      'expired_token',
    ]);
  });

  it('serves a late commit only to writes and a lost auth answer only to logins, whatever the scope', () => {
    const faults = createFaultInjector();
    faults.inject({ kind: 'late_commit', scope: 'any', times: 1 });
    faults.inject({ kind: 'lost_auth_answer', scope: 'any', times: 1 });
    expect(faults.take(read)).toBeUndefined();
    expect(faults.take(write)).toEqual({
      kind: 'late_commit',
      status: 200,
      retryAfterSeconds: 1,
      delayMs: 45_000,
    });
    expect(faults.take(write)).toBeUndefined();
    expect(faults.take({ scope: 'auth' })?.kind).toBe('lost_auth_answer');
    expect(faults.served).toMatchObject({ late_commit: 1, lost_auth_answer: 1 });
  });

  it('serves an employee-scoped fault only to requests about one of those codes', () => {
    const faults = createFaultInjector();
    faults.inject({ kind: 'server_error', employeeCodes: ['000002'], times: Number.POSITIVE_INFINITY });
    expect(faults.take(write)).toBeUndefined();
    expect(faults.take({ scope: 'write', employeeCodes: ['000001', '000003'] })).toBeUndefined();
    expect(faults.take({ scope: 'write', employeeCodes: ['000001', '000002'] })?.kind).toBe('server_error');
    expect(faults.take({ scope: 'read', employeeCodes: ['000002'] })?.kind).toBe('server_error');
  });

  it('with a probability, faults about that share of requests on a reproducible schedule', () => {
    const schedule = (seed: number) => {
      const faults = createFaultInjector();
      faults.inject({ kind: 'rate_limit', probability: 0.3, seed });
      return kinds(faults, read, 2000);
    };
    const first = schedule(9);
    expect(schedule(9)).toEqual(first);
    expect(schedule(10)).not.toEqual(first);
    const share = first.filter((kind) => kind === 'rate_limit').length / first.length;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.35);
  });

  it('counts what it served per kind, and clear() stops further faults', () => {
    const faults = createFaultInjector();
    faults.inject({ kind: 'delay', delayMs: 200, times: 2 });
    faults.inject({ kind: 'rate_limit', times: 1 });
    kinds(faults, read, 5);
    expect(faults.served).toMatchObject({ delay: 2, rate_limit: 1, server_error: 0 });
    faults.inject({ kind: 'server_error', times: Number.POSITIVE_INFINITY });
    faults.clear();
    expect(faults.take(read)).toBeUndefined();
    expect(faults.served.server_error).toBe(0);
  });

  it('serves faults in the order they were injected', () => {
    const faults = createFaultInjector();
    faults.inject({ kind: 'network_error' });
    faults.inject({ kind: 'server_error' });
    expect(kinds(faults, read, 3)).toEqual(['network_error', 'server_error', null]);
  });
});

describe('seededRandom', () => {
  it('repeats per seed and stays in [0, 1)', () => {
    const a = seededRandom(3);
    const b = seededRandom(3);
    const values = Array.from({ length: 1000 }, () => a());
    expect(values).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(values).size).toBeGreaterThan(990);
  });
});
