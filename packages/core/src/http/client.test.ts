import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Logger } from '../clock.ts';
import type { ConnectorContext, ConnectorLimits } from '../connector.ts';
import { ConnectorError } from '../errors.ts';
import { createVirtualClock, type VirtualClock } from '../time/virtual-clock.ts';
import { createHttpClient } from './client.ts';
import { createRateLimiter } from './rate-limiter.ts';
import type { AuthHook, HttpClientOptions, HttpRequest, RateLimiter } from './types.ts';

const BASE = 'https://api.vendor.test/v1';
const EPOCH = Date.UTC(2026, 10, 23, 3, 0, 0);
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

interface LogLine {
  level: string;
  message: string;
  data: Record<string, unknown> | undefined;
}

function recordingLogger(lines: LogLine[]): Logger {
  const at =
    (level: string) =>
    (message: string, data?: Record<string, unknown>): void => {
      lines.push({ level, message, data });
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A fixed sequence, so jittered delays are reproducible. */
const steadyRandom = (value: number) => () => value;

interface Setup {
  clock: VirtualClock;
  logs: LogLine[];
  controller: AbortController;
  scheduled: { count: number };
  client: ReturnType<typeof createHttpClient>;
}

function setup(
  overrides: Partial<HttpClientOptions> = {},
  limits: ConnectorLimits = { rateLimits: [], concurrency: 4, writeBatchSize: 1 },
): Setup {
  const clock = createVirtualClock(EPOCH);
  const logs: LogLine[] = [];
  const controller = new AbortController();
  const context: ConnectorContext = {
    fetch: globalThis.fetch,
    logger: recordingLogger(logs),
    signal: controller.signal,
    clock,
    random: steadyRandom(0.5),
  };
  const inner = createRateLimiter(limits, clock);
  const scheduled = { count: 0 };
  const limiter: RateLimiter = {
    schedule(requestClass, task, signal) {
      scheduled.count++;
      return inner.schedule(requestClass, task, signal);
    },
    pauseUntil: (time) => inner.pauseUntil?.(time),
  };
  const client = createHttpClient({ baseUrl: BASE, context, limiter, timeoutMs: 10_000, ...overrides });
  return { clock, logs, controller, scheduled, client };
}

const Employee = z.object({ id: z.string(), name: z.string() });
const EmployeeList = z.object({ employees: z.array(Employee) });
const Ok = z.object({ ok: z.literal(true) });

const getEmployees: HttpRequest<z.infer<typeof EmployeeList>> = {
  path: '/employees',
  requestClass: 'read',
  schema: EmployeeList,
};
const createEmployee: HttpRequest<z.infer<typeof Ok>> = {
  method: 'POST',
  path: '/employees',
  json: { id: 'E001', name: '山田太郎' },
  requestClass: 'write',
  schema: Ok,
};

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectorError);
    return error as ConnectorError;
  }
  throw new Error('expected the request to fail');
}

describe('createHttpClient: requests and responses', () => {
  it('joins the base URL and path, builds the query, and parses the answer with the schema', async () => {
    server.use(
      http.get(`${BASE}/employees`, ({ request }) => {
        const url = new URL(request.url);
        if (request.headers.get('accept') !== 'application/json')
          return new HttpResponse(null, { status: 406 });
        return HttpResponse.json({
          employees: [{ id: url.searchParams.get('dept') ?? '', name: url.searchParams.get('limit') ?? '' }],
          skipped: url.searchParams.has('unused'),
        });
      }),
    );
    const { client } = setup();
    const response = await client.request({
      ...getEmployees,
      query: { dept: '営業部', limit: 200, unused: undefined },
    });
    expect(response.status).toBe(200);
    // Unknown keys are stripped by the schema; undefined query values are not sent.
    expect(response.data).toEqual({ employees: [{ id: '営業部', name: '200' }] });
  });

  it('sends JSON and form bodies with their content types', async () => {
    server.use(
      http.post(`${BASE}/employees`, async ({ request }) => {
        if (request.headers.get('content-type') !== 'application/json')
          return new HttpResponse(null, { status: 415 });
        const body = await request.json();
        return HttpResponse.json({ ok: Employee.safeParse(body).success });
      }),
      http.post(`${BASE}/oauth/token`, async ({ request }) => {
        if (request.headers.get('content-type') !== 'application/x-www-form-urlencoded')
          return new HttpResponse(null, { status: 415 });
        const form = new URLSearchParams(await request.text());
        return HttpResponse.json({
          ok: form.get('grant_type') === 'client_credentials' && form.get('scope') === 'a b',
        });
      }),
    );
    const { client } = setup();
    await expect(client.request(createEmployee)).resolves.toMatchObject({ data: { ok: true } });
    await expect(
      client.request({
        method: 'POST',
        path: 'oauth/token',
        form: { grant_type: 'client_credentials', scope: 'a b' },
        requestClass: 'auth',
        schema: Ok,
      }),
    ).resolves.toMatchObject({ data: { ok: true } });
  });

  it('turns a schema mismatch into a protocol error naming the offending path, without retrying', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/employees`, () => {
        calls++;
        const employees = [0, 1, 2, 3].map((index) => ({ id: `E00${index}`, name: '社員' }));
        return HttpResponse.json({
          employees: employees.map((row, index) => (index === 3 ? { ...row, id: 3 } : row)),
        });
      }),
    );
    const error = await failure(setup().client.request(getEmployees));
    expect(error.kind).toBe('protocol');
    expect(error.message).toContain('employees[3].id');
    expect(error.message).toContain('想定した形式と異なります');
    expect(error.retryable).toBe(false);
    expect(calls).toBe(1);
  });

  it('turns a body that is not JSON into a protocol error', async () => {
    server.use(http.get(`${BASE}/employees`, () => new HttpResponse('{"employees": [', { status: 200 })));
    const error = await failure(setup().client.request(getEmployees));
    expect(error.kind).toBe('protocol');
    expect(error.message).toContain('JSONとして読み取れませんでした');
  });

  it('reports a write whose 2xx answer cannot be read as ambiguous: it may have been committed', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/employees`, () => {
        calls++;
        return new HttpResponse('<html>maintenance</html>', { status: 200 });
      }),
    );
    const error = await failure(setup().client.request(createEmployee));
    expect(error).toMatchObject({ kind: 'protocol', ambiguous: true, retryable: false, attempts: 1 });
    expect(error.message).toContain('書き込まれた可能性があります');
    expect(calls).toBe(1);
    // A read is never ambiguous.
    server.use(http.get(`${BASE}/employees`, () => new HttpResponse('<html>', { status: 200 })));
    expect(await failure(setup().client.request(getEmployees))).toMatchObject({ ambiguous: false });
  });

  it.each([
    [400, 'validation'],
    [422, 'validation'],
    [401, 'auth'],
    [403, 'auth'],
    [404, 'not_found'],
    [409, 'conflict'],
    [429, 'rate_limited'],
    [500, 'transient'],
    [503, 'transient'],
  ] as const)(
    'maps HTTP %i to %s with a Japanese message carrying the vendor detail',
    async (status, kind) => {
      server.use(
        http.get(`${BASE}/employees`, () =>
          HttpResponse.json({ code: 'E42', message: '社員番号が不正です' }, { status }),
        ),
      );
      const error = await failure(setup({ retry: { maxAttempts: 1 } }).client.request(getEmployees));
      expect(error.kind).toBe(kind);
      expect(error.status).toBe(status);
      expect(error.vendorCode).toBe('E42');
      expect(error.message).toContain(`HTTP ${status}`);
      expect(error.message).toContain('社員番号が不正です');
      expect(error.message).toMatch(/してください。/);
    },
  );

  it('lets a vendor classify an error answer itself, including a 2xx that carries an error', async () => {
    server.use(
      http.get(`${BASE}/employees`, () => HttpResponse.json({ ResultCode: 'WEBSV000409' }, { status: 200 })),
    );
    const { client } = setup({
      classifyError: ({ body }) =>
        (body as { ResultCode?: string }).ResultCode === 'WEBSV000409'
          ? new ConnectorError('conflict', '他の利用者が更新中です。', { vendorCode: 'WEBSV000409' })
          : undefined,
    });
    const error = await failure(client.request(getEmployees));
    expect(error).toMatchObject({ kind: 'conflict', vendorCode: 'WEBSV000409', attempts: 1 });
  });
});

describe('createHttpClient: retries', () => {
  /** Answers with `failures` in turn, then with success; records the clock at each request. */
  function flaky(clock: () => VirtualClock, failures: (() => Response)[]) {
    const seenAt: number[] = [];
    server.use(
      http.all(`${BASE}/employees`, () => {
        seenAt.push(clock().now());
        const next = failures.shift();
        return next ? next() : HttpResponse.json({ employees: [], ok: true });
      }),
    );
    return seenAt;
  }

  it('waits exactly the Retry-After seconds before retrying a 429', async () => {
    const env = setup();
    const seenAt = flaky(
      () => env.clock,
      [() => new HttpResponse(null, { status: 429, headers: { 'retry-after': '7' } })],
    );
    await expect(env.client.request(getEmployees)).resolves.toMatchObject({ status: 200 });
    expect(seenAt).toEqual([EPOCH, EPOCH + 7_000]);
    expect(env.scheduled.count).toBe(2);
  });

  it('holds the whole connection for the Retry-After a 429 asked for', async () => {
    const env = setup();
    const seenAt = flaky(
      () => env.clock,
      [() => new HttpResponse(null, { status: 429, headers: { 'retry-after': '5' } })],
    );
    const first = env.client.request(getEmployees);
    await env.clock.sleep(1_000);
    await Promise.all([first, env.client.request(getEmployees)]);
    expect(seenAt.map((at) => at - EPOCH)).toEqual([0, 5_000, 5_000]);
  });

  it('asks the limiter to pause while the 429 still holds its slot, before a shared budget settles it', async () => {
    let env: Setup | undefined;
    flaky(
      () => env?.clock ?? createVirtualClock(EPOCH),
      [() => new HttpResponse(null, { status: 429, headers: { 'retry-after': '5' } })],
    );
    // The limiter settles a slot with the shared budget (a database round trip) once its task is
    // done; a request the budget lets through meanwhile must already see the pause.
    const events: string[] = [];
    const limiter: RateLimiter = {
      async schedule(_requestClass, task) {
        const outcome = await task();
        events.push('slot settled');
        return outcome;
      },
      pauseUntil: (time) => {
        events.push(`pause until +${time - EPOCH}`);
      },
    };
    env = setup({ limiter });
    await expect(env.client.request(getEmployees)).resolves.toMatchObject({ status: 200 });
    expect(events).toEqual(['pause until +5000', 'slot settled', 'slot settled']);
  });

  it('waits until a Retry-After HTTP date', async () => {
    const env = setup();
    const retryAt = new Date(EPOCH + 95_000).toUTCString();
    const seenAt = flaky(
      () => env.clock,
      [() => new HttpResponse(null, { status: 503, headers: { 'retry-after': retryAt } })],
    );
    await env.client.request(getEmployees);
    expect(seenAt).toEqual([EPOCH, EPOCH + 95_000]);
  });

  it('waits until an x-rate-limit-reset epoch time', async () => {
    const env = setup();
    const reset = String((EPOCH + 42_000) / 1000);
    const seenAt = flaky(
      () => env.clock,
      [
        () =>
          new HttpResponse(null, {
            status: 429,
            headers: { 'x-rate-limit-reset': reset, 'x-rate-limit-remaining': '0' },
          }),
      ],
    );
    await env.client.request(getEmployees);
    expect(seenAt).toEqual([EPOCH, EPOCH + 42_000]);
  });

  it('holds the connection until x-rate-limit-reset once a success says none are remaining', async () => {
    const env = setup();
    const reset = String((EPOCH + 30_000) / 1000);
    const seenAt: number[] = [];
    let remaining = 2;
    server.use(
      http.get(`${BASE}/employees`, () => {
        seenAt.push(env.clock.now());
        remaining = Math.max(0, remaining - 1);
        const headers = { 'x-rate-limit-remaining': String(remaining), 'x-rate-limit-reset': reset };
        return HttpResponse.json({ employees: [] }, { headers });
      }),
    );
    for (let i = 0; i < 3; i++) await env.client.request(getEmployees);
    // The first answer leaves one, the second none: the third waits for the reset, unrefused.
    expect(seenAt.map((at) => at - EPOCH)).toEqual([0, 0, 30_000]);
  });

  it('backs off exponentially with full jitter and gives up after maxAttempts', async () => {
    const env = setup({
      retry: { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 3_000, maxTotalWaitMs: 60_000 },
    });
    const seenAt = flaky(
      () => env.clock,
      Array.from({ length: 10 }, () => () => new HttpResponse(null, { status: 500 })),
    );
    const error = await failure(env.client.request(getEmployees));
    expect(error).toMatchObject({ kind: 'transient', attempts: 4, retryable: true });
    expect(error.message).toContain('4回試行しました');
    // random() = 0.5 → half of min(max, base · 2^(n-1)): 500, 1000, then capped at 3000 → 1500.
    expect(seenAt.map((at) => at - EPOCH)).toEqual([0, 500, 1_500, 3_000]);
    expect(env.logs.filter((line) => line.level === 'warn')).toHaveLength(3);
  });

  it('stops when the next wait would exceed maxTotalWaitMs', async () => {
    const env = setup({ retry: { maxAttempts: 10, maxTotalWaitMs: 60_000 } });
    const seenAt = flaky(
      () => env.clock,
      Array.from(
        { length: 10 },
        () => () => new HttpResponse(null, { status: 429, headers: { 'retry-after': '25' } }),
      ),
    );
    const error = await failure(env.client.request(getEmployees));
    expect(error).toMatchObject({ kind: 'rate_limited', attempts: 3, retryAfterMs: 25_000 });
    expect(error.message).toContain('待ち時間の上限');
    expect(seenAt.map((at) => at - EPOCH)).toEqual([0, 25_000, 50_000]);
    expect(env.clock.now() - EPOCH).toBe(50_000);
  });

  it('retries a GET after a network error', async () => {
    const env = setup();
    const seenAt = flaky(() => env.clock, [() => HttpResponse.error()]);
    await expect(env.client.request(getEmployees)).resolves.toMatchObject({ status: 200 });
    expect(seenAt).toHaveLength(2);
  });

  it('does not resend a POST after a network error: ambiguous transient', async () => {
    const env = setup();
    const seenAt = flaky(() => env.clock, [() => HttpResponse.error()]);
    const error = await failure(env.client.request(createEmployee));
    expect(error).toMatchObject({ kind: 'transient', ambiguous: true, attempts: 1 });
    expect(error.message).toContain('連携先のデータを確認してから');
    expect(error.toJSON()).toMatchObject({ ambiguous: true });
    expect(seenAt).toHaveLength(1);
  });

  it('resends a POST marked idempotent, and any request after a 429 or 503', async () => {
    const env = setup();
    const seenAt = flaky(
      () => env.clock,
      [
        () => HttpResponse.error(),
        () => new HttpResponse(null, { status: 429, headers: { 'retry-after': '1' } }),
        () => new HttpResponse(null, { status: 503 }),
      ],
    );
    await expect(env.client.request({ ...createEmployee, idempotent: true })).resolves.toMatchObject({
      data: { ok: true },
    });
    expect(seenAt).toHaveLength(4);
    const plain = flaky(
      () => env.clock,
      [() => new HttpResponse(null, { status: 429 }), () => new HttpResponse(null, { status: 503 })],
    );
    await expect(env.client.request(createEmployee)).resolves.toMatchObject({ data: { ok: true } });
    expect(plain).toHaveLength(3);
  });

  it('does not resend a POST after a 500: the write may have happened', async () => {
    const env = setup();
    const seenAt = flaky(() => env.clock, [() => new HttpResponse(null, { status: 500 })]);
    const error = await failure(env.client.request(createEmployee));
    expect(error).toMatchObject({ kind: 'transient', ambiguous: true, status: 500 });
    expect(seenAt).toHaveLength(1);
  });
});

describe('createHttpClient: timeouts and cancellation', () => {
  /** Answers after `delays` (in turn) on the virtual clock; records each request's arrival. */
  function slow(clock: VirtualClock, delays: number[]) {
    const seenAt: number[] = [];
    server.use(
      http.all(`${BASE}/employees`, async () => {
        seenAt.push(clock.now());
        await clock.sleep(delays.shift() ?? 0);
        return HttpResponse.json({ employees: [], ok: true });
      }),
    );
    return seenAt;
  }

  it('times out an attempt on the injected clock and retries a GET', async () => {
    const env = setup({ timeoutMs: 10_000 });
    const seenAt = slow(env.clock, [60_000, 0]);
    await expect(env.client.request(getEmployees)).resolves.toMatchObject({ status: 200 });
    expect(seenAt[0]).toBe(EPOCH);
    // The second attempt starts after the 10 s timeout plus one backoff wait (0.5 · 500 ms).
    expect(seenAt[1]).toBe(EPOCH + 10_000 + 250);
  });

  it('reports a timed-out POST as ambiguous and transient without resending it', async () => {
    const env = setup({ timeoutMs: 10_000 });
    const seenAt = slow(env.clock, [60_000]);
    const error = await failure(env.client.request(createEmployee));
    expect(error).toMatchObject({ kind: 'transient', ambiguous: true, retryable: true, attempts: 1 });
    expect(error.message).toContain('10秒以内に応答がありませんでした');
    expect(env.clock.now()).toBe(EPOCH + 10_000);
    expect(seenAt).toHaveLength(1);
  });

  it('cancels promptly while waiting for an answer', async () => {
    const env = setup({ timeoutMs: 120_000 });
    slow(env.clock, [60_000]);
    void env.clock.sleep(1_000).then(() => env.controller.abort());
    const error = await failure(env.client.request(getEmployees));
    expect(error.kind).toBe('cancelled');
    expect(env.clock.now()).toBe(EPOCH + 1_000);
  });

  it('cancels promptly while waiting to retry and while queued in the limiter', async () => {
    const env = setup(
      {},
      { rateLimits: [{ limit: 1, intervalMs: 3_600_000 }], concurrency: 1, writeBatchSize: 1 },
    );
    server.use(
      http.get(
        `${BASE}/employees`,
        () => new HttpResponse(null, { status: 429, headers: { 'retry-after': '100' } }),
      ),
    );
    void env.clock.sleep(2_000).then(() => env.controller.abort());
    const [waitingToRetry, queued] = await Promise.all([
      failure(env.client.request(getEmployees)),
      failure(env.client.request(getEmployees)),
    ]);
    expect(waitingToRetry.kind).toBe('cancelled');
    expect(queued.kind).toBe('cancelled');
    expect(env.clock.now()).toBe(EPOCH + 2_000);
  });
});

describe('createHttpClient: authentication', () => {
  function tokenHook() {
    const state = { issued: 0, invalidated: 0, current: undefined as string | undefined };
    const hook: AuthHook = {
      async headers() {
        state.current ??= `token-${++state.issued}-s3cr3t`;
        return { authorization: `Bearer ${state.current}` };
      },
      invalidate() {
        state.invalidated++;
        state.current = undefined;
      },
    };
    return { hook, state };
  }

  it('re-authenticates exactly once after a 401 and then succeeds', async () => {
    const { hook, state } = tokenHook();
    const seen: (string | null)[] = [];
    server.use(
      http.get(`${BASE}/employees`, ({ request }) => {
        seen.push(request.headers.get('authorization'));
        return request.headers.get('authorization') === 'Bearer token-2-s3cr3t'
          ? HttpResponse.json({ employees: [] })
          : HttpResponse.json({ message: 'token expired' }, { status: 401 });
      }),
    );
    const env = setup({ auth: hook, retry: { maxAttempts: 1 } });
    await expect(env.client.request(getEmployees)).resolves.toMatchObject({ status: 200 });
    expect(seen).toEqual(['Bearer token-1-s3cr3t', 'Bearer token-2-s3cr3t']);
    expect(state.invalidated).toBe(1);
  });

  it('fails as auth when the fresh token is refused too', async () => {
    const { hook, state } = tokenHook();
    let calls = 0;
    server.use(
      http.get(`${BASE}/employees`, () => {
        calls++;
        return new HttpResponse(null, { status: 401 });
      }),
    );
    const error = await failure(setup({ auth: hook }).client.request(getEmployees));
    expect(error).toMatchObject({ kind: 'auth', retryable: false, attempts: 2 });
    expect(error.message).toContain('認証情報を確認してください');
    expect(calls).toBe(2);
    expect(state.invalidated).toBe(1);
  });

  it('sends no credentials and does not re-authenticate when a request opts out', async () => {
    const { hook, state } = tokenHook();
    server.use(
      http.get(`${BASE}/employees`, ({ request }) =>
        HttpResponse.json({ message: String(request.headers.has('authorization')) }, { status: 401 }),
      ),
    );
    const error = await failure(setup({ auth: hook }).client.request({ ...getEmployees, auth: false }));
    expect(error).toMatchObject({ kind: 'auth', attempts: 1 });
    expect(error.message).toContain('false');
    expect(state.issued).toBe(0);
  });
});

describe('createHttpClient: secrets', () => {
  it('redacts secrets and tokens from error messages, toJSON() and log lines', async () => {
    const apiKey = 'key-Zx9!/+ q';
    const token = 'tok-8c1f0b2e';
    server.use(
      http.get(`${BASE}/employees`, ({ request }) => {
        const url = new URL(request.url);
        const auth = request.headers.get('authorization') ?? '';
        return HttpResponse.json(
          {
            code: url.searchParams.get('api_key'),
            message: `bad request ${auth} token=${auth.split(' ')[1]} key=${url.searchParams.get('api_key')} ${request.url}`,
          },
          { status: request.headers.has('x-retried') ? 400 : 503 },
        );
      }),
    );
    const env = setup({
      secrets: [apiKey],
      auth: { headers: async () => ({ authorization: `Bearer ${token}` }), invalidate() {} },
      retry: { maxAttempts: 2 },
    });
    const error = await failure(
      env.client.request({ ...getEmployees, path: `/employees`, query: { api_key: apiKey } }),
    );
    const everything = [
      error.message,
      JSON.stringify(error),
      JSON.stringify(error.toJSON()),
      JSON.stringify(env.logs),
    ];
    expect(env.logs.length).toBeGreaterThan(0);
    for (const text of everything) {
      expect(text).not.toContain(apiKey);
      expect(text).not.toContain(encodeURIComponent(apiKey));
      expect(text).not.toContain(new URLSearchParams({ k: apiKey }).toString().slice(2));
      expect(text).not.toContain(token);
    }
    expect(error.message).toContain('***');
    expect(error.vendorCode).toBe('***');
  });
});
