import type { AddressInfo } from 'node:net';
import { type HttpBindings, serve } from '@hono/node-server';
import { type Clock, systemClock } from '@renkei/core';
import {
  createFakeStateFile,
  demoPopulation,
  FAULT_KINDS,
  type FakeStateFile,
  seedDemoFakes,
} from '@renkei/testkit/fakes';
import { Hono } from 'hono';
import { getResponse } from 'msw';
import { z } from 'zod';
import { createServedFakes, type ServedFake, VENDOR_ORIGINS } from './vendors.ts';

export interface FakeServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** A loopback address (default 127.0.0.1). */
  hostname?: string;
  /** JSON file the fakes' state lives in; a restart with the same file finds the vendors as they were. */
  stateFile?: string;
  /** Seeds demo-like employees when the state is new (no state file yet). */
  seed?: boolean;
}

/** What a test or `renkei serve` needs to talk to the fakes. */
export interface FakeServerInfo {
  /** `RENKEI_VENDOR_BASE_URLS`: comma-separated `<vendor origin>=<base URL>` pairs. */
  baseUrls: string;
  vendors: { id: string; credentials: Record<string, unknown> }[];
}

export interface FakeServer extends FakeServerInfo {
  /** The server's own origin, e.g. `http://127.0.0.1:43210`. */
  url: string;
  fakes: readonly ServedFake[];
  close(): Promise<void>;
}

export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

const FaultSpecBody = z.strictObject({
  kind: z.enum(FAULT_KINDS),
  scope: z.enum(['read', 'write', 'auth', 'any']).optional(),
  times: z.number().int().positive().max(1_000_000).optional(),
  probability: z.number().min(0).max(1).optional(),
  seed: z.number().int().optional(),
  employeeCodes: z.array(z.string().max(50)).max(1000).optional(),
  retryAfterSeconds: z.number().int().nonnegative().max(3600).optional(),
  status: z.number().int().min(200).max(599).optional(),
  delayMs: z.number().int().nonnegative().max(600_000).optional(),
});

/** Moves the fakes' clock forward (a vendor's session timeout passing), never back. */
const ClockBody = z.strictObject({
  advanceMs: z
    .number()
    .int()
    .nonnegative()
    .max(30 * 24 * 60 * 60_000),
});

/**
 * The vendor fakes as one real HTTP server on loopback. A vendor URL is reached by putting its host
 * in front of the path: `https://east02.pcawebapi.jp/v1/…` is served at `<url>/east02.pcawebapi.jp/v1/…`,
 * so a client rewrites a URL by replacing its origin with the base URL. The request is handed to the
 * fakes' msw handlers under its original URL; `/__fakes/…` lets a test look at them and inject faults.
 */
export async function startFakeServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  const hostname = options.hostname ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(hostname)) throw new Error(`fakes: ${hostname} is not a loopback address`);
  // Real time, which a test may move forward (POST /__fakes/clock) to let a vendor's timeouts pass.
  let offsetMs = 0;
  const clock: Clock = {
    now: () => systemClock.now() + offsetMs,
    sleep: (ms, signal) => systemClock.sleep(ms, signal),
  };
  const fakes = createServedFakes(clock);
  const handlers = fakes.flatMap(({ fake }) => fake.handlers);
  const byId = new Map(fakes.map((served) => [served.id, served]));
  const state = loadState(fakes, options);
  const vendorHosts = new Map(VENDOR_ORIGINS.map((origin) => [new URL(origin).host, origin]));

  const app = new Hono<{ Bindings: HttpBindings }>();
  app.get('/__fakes', (c) => c.json(info));
  app.get('/__fakes/:id/requests', (c) => {
    const served = byId.get(c.req.param('id'));
    return served ? c.json(served.fake.requests) : c.json({ error: 'unknown fake' }, 404);
  });
  app.post('/__fakes/clock', async (c) => {
    const body = ClockBody.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return c.json({ error: 'invalid clock move', issues: body.error.issues }, 400);
    offsetMs += body.data.advanceMs;
    return c.json({ now: clock.now() });
  });
  app.get('/__fakes/:id/stats', (c) => {
    const served = byId.get(c.req.param('id'));
    if (!served) return c.json({ error: 'unknown fake' }, 404);
    return c.json({
      overLimit: served.fake.overLimitCount,
      insideRetryAfter: served.fake.insideRetryAfterCount,
      rateLimitsInjected: served.fake.faults.served.rate_limit,
      openSessions: served.openSessions ? served.openSessions() : null,
    });
  });
  app.get('/__fakes/:id/records/:area', (c) => {
    const served = byId.get(c.req.param('id'));
    const area = c.req.param('area');
    if (!served?.fake.dataAreas().includes(area)) return c.json({ error: 'unknown fake or area' }, 404);
    return c.json(served.fake.records(area));
  });
  app.post('/__fakes/:id/faults', async (c) => {
    const served = byId.get(c.req.param('id'));
    if (!served) return c.json({ error: 'unknown fake' }, 404);
    const spec = FaultSpecBody.safeParse(await c.req.json().catch(() => undefined));
    if (!spec.success) return c.json({ error: 'invalid fault', issues: spec.error.issues }, 400);
    served.fake.faults.inject(spec.data);
    return c.body(null, 204);
  });
  app.delete('/__fakes/:id/faults', (c) => {
    const served = byId.get(c.req.param('id'));
    if (!served) return c.json({ error: 'unknown fake' }, 404);
    served.fake.faults.clear();
    return c.body(null, 204);
  });
  app.all('*', async (c) => {
    const url = new URL(c.req.url);
    const [, host = '', ...rest] = url.pathname.split('/');
    const origin = vendorHosts.get(host);
    if (!origin) return c.json({ error: `no fake vendor at /${host}` }, 404);
    const method = c.req.method;
    const body = method === 'GET' || method === 'HEAD' ? undefined : await c.req.raw.arrayBuffer();
    const request = new Request(`${origin}/${rest.join('/')}${url.search}`, {
      method,
      headers: c.req.raw.headers,
      ...(body ? { body } : {}),
    });
    const response = await getResponse(handlers, request);
    state?.save();
    if (!response) return c.json({ error: `the fake does not serve ${method} ${request.url}` }, 404);
    if (response.type === 'error') {
      // A network error: the connection drops without an answer.
      c.env.incoming.socket.destroy();
      return c.body(null, 500);
    }
    return response;
  });

  const server = serve({ fetch: app.fetch, port: options.port ?? 0, hostname });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname}:${port}`;
  const info: FakeServerInfo = {
    baseUrls: VENDOR_ORIGINS.map((origin) => `${origin}=${url}/${new URL(origin).host}`).join(','),
    vendors: fakes.map(({ id, credentials }) => ({ id, credentials })),
  };
  return {
    ...info,
    url,
    fakes,
    async close() {
      if ('closeAllConnections' in server) server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      state?.save();
    },
  };
}

/** Restores the fakes from the state file, or starts them afresh (seeded when asked) and writes it. */
function loadState(fakes: readonly ServedFake[], options: FakeServerOptions): FakeStateFile | undefined {
  const state = options.stateFile
    ? createFakeStateFile(options.stateFile, Object.fromEntries(fakes.map(({ id, fake }) => [id, fake])))
    : undefined;
  if (state?.load()) return state;
  if (options.seed)
    seedDemoFakes(
      fakes.map(({ fake }) => fake),
      demoPopulation(),
    );
  state?.save();
  return state;
}
