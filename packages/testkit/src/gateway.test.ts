import { createVirtualClock } from '@renkei/core';
import { describe, expect, it } from 'vitest';
import { createFakeGateway, createTokenStore, type VendorAnswers } from './gateway.ts';

const answers: VendorAnswers = {
  tooManyRequests: (seconds, status) =>
    Response.json({ error: 'slow down' }, { status, headers: { 'Retry-After': String(seconds) } }),
  serverError: (status) => Response.json({ error: 'server' }, { status }),
  expiredToken: () => Response.json({ error: 'expired' }, { status: 401 }),
  malformedBody: (status) => new Response('<html>', { status }),
};

function setup() {
  const clock = createVirtualClock();
  const gateway = createFakeGateway({
    clock,
    rateLimits: [
      { limit: 2, intervalMs: 1000, appliesTo: ['write'] },
      { limit: 3, intervalMs: 10_000 },
    ],
    answers,
  });
  let worked = 0;
  const call = (scope: 'read' | 'write' | 'auth', authorise?: () => Response | undefined) =>
    gateway.serve(
      new Request(`https://vendor.example/${scope}`, { method: 'POST' }),
      { scope, ...(authorise ? { authorise } : {}) },
      () => {
        worked++;
        return Response.json({ ok: true });
      },
    );
  return { clock, gateway, call, worked: () => worked };
}

describe('the fake gateway', () => {
  it('refuses requests over any limit that counts them, with the wait until the oldest leaves its window', async () => {
    const { clock, gateway, call } = setup();
    expect((await call('write')).status).toBe(200);
    expect((await call('write')).status).toBe(200);
    const refused = await call('write');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('Retry-After')).toBe('1');
    expect((await call('read')).status).toBe(200);
    const overall = await call('read');
    expect(overall.headers.get('Retry-After')).toBe('10');
    expect(gateway.overLimitCount).toBe(2);
    await clock.sleep(10_000);
    expect((await call('read')).status).toBe(200);
    expect(gateway.requests.map((request) => request.status)).toEqual([200, 200, 429, 200, 429, 200]);
  });

  it('keeps refusing until the Retry-After of an injected rate limit has passed', async () => {
    const { clock, gateway, call } = setup();
    gateway.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 5 });
    expect((await call('read')).status).toBe(429);
    await clock.sleep(4_000);
    expect((await call('read')).headers.get('Retry-After')).toBe('1');
    await clock.sleep(1_000);
    expect((await call('read')).status).toBe(200);
  });

  it('counts a refusal inside an injected Retry-After apart from one over a limit', async () => {
    const { clock, gateway, call } = setup();
    gateway.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 5 });
    expect((await call('write')).status).toBe(429);
    // A request already on its way when the 429 was answered: refused, but within every limit.
    await clock.sleep(1);
    expect((await call('write')).status).toBe(429);
    expect(gateway.insideRetryAfterCount).toBe(1);
    expect(gateway.overLimitCount).toBe(0);
    await clock.sleep(5_000);
    expect((await call('write')).status).toBe(200);
    expect((await call('write')).status).toBe(200);
    // Over the write limit (2 a second) is over a limit, whatever else holds.
    expect((await call('write')).status).toBe(429);
    expect(gateway.overLimitCount).toBe(1);
    expect(gateway.insideRetryAfterCount).toBe(1);
  });

  it('does the work before losing or garbling the answer to a write, and none for an early fault', async () => {
    const { gateway, call, worked } = setup();
    gateway.faults.inject({ kind: 'timeout_after_commit', scope: 'write' });
    expect((await call('write')).type).toBe('error');
    expect(worked()).toBe(1);
    gateway.faults.inject({ kind: 'malformed_body', scope: 'write' });
    expect(await (await call('write')).text()).toBe('<html>');
    expect(worked()).toBe(2);
    gateway.faults.inject({ kind: 'server_error', status: 502 });
    expect((await call('read')).status).toBe(502);
    expect(worked()).toBe(2);
    expect(gateway.requests.map((request) => request.status)).toEqual([0, 200, 502]);
  });

  it('asks the vendor’s authorisation before the route, and the route does not run when it refuses', async () => {
    const { call, worked } = setup();
    const refused = await call('read', () => Response.json({ error: 'who?' }, { status: 401 }));
    expect(refused.status).toBe(401);
    expect(worked()).toBe(0);
  });

  it('forgets its log, windows and faults on reset', async () => {
    const { gateway, call } = setup();
    gateway.faults.inject({ kind: 'server_error', times: Number.POSITIVE_INFINITY });
    await call('read');
    gateway.reset();
    expect(gateway.requests).toEqual([]);
    expect((await call('read')).status).toBe(200);
  });
});

describe('the token store', () => {
  it('accepts a token it issued until it expires, then forgets it', async () => {
    const clock = createVirtualClock();
    const tokens = createTokenStore<{ scope: string }>(clock);
    tokens.issue('t1', { scope: 'read' }, 1000);
    const withToken = (token: string) =>
      new Request('https://x.example', { headers: { authorization: `Bearer ${token}` } });
    expect(tokens.verify(withToken('t1'))).toEqual({ ok: true, grant: { scope: 'read' } });
    expect(tokens.verify(withToken('other'))).toEqual({ ok: false, problem: 'invalid' });
    await clock.sleep(1000);
    expect(tokens.verify(withToken('t1'))).toEqual({ ok: false, problem: 'expired' });
    expect(tokens.verify(withToken('t1'))).toEqual({ ok: false, problem: 'invalid' });
  });
});
