import { type ConnectorSession, createVirtualClock, type ListedEmployee } from '@renkei/core';
import { connectForTest, seededRandom } from '@renkei/testkit/fakes';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Credentials } from './auth.ts';
import { createSmarthrFake, FAKE_CREDENTIALS } from './fake/index.ts';
import { smarthrSample } from './fake/sample.ts';
import connector from './index.ts';
import { baseUrlOf } from './vendor.ts';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const START = Date.UTC(2026, 3, 1, 9, 30);

function setup(options: Parameters<typeof createSmarthrFake>[0] = {}) {
  const clock = createVirtualClock(START);
  const fake = createSmarthrFake({ clock, ...options });
  server.use(...fake.handlers);
  const connect = (credentials: unknown = fake.credentials) =>
    connectForTest(connector, credentials, { clock, random: seededRandom(3) });
  return { clock, fake, connect };
}

async function listAll(session: ConnectorSession): Promise<ListedEmployee[]> {
  const listed: ListedEmployee[] = [];
  for await (const entry of session.listEmployees('default')) listed.push(entry);
  return listed;
}

describe('SmartHR credentials', () => {
  it('accepts a tenant that is a host label and refuses anything that would reach another host', () => {
    expect(Credentials.parse({ tenant: ' acme-01 ', apiToken: 't' })).toEqual({
      tenant: 'acme-01',
      environment: '本番',
      apiToken: 't',
    });
    for (const tenant of ['evil.example.com/', 'a.b', 'x@y', '-acme', 'acme-', 'a'.repeat(64), '']) {
      expect(Credentials.safeParse({ tenant, apiToken: 't' }).success, tenant).toBe(false);
    }
  });

  it('talks to {tenant}.smarthr.jp in 本番 and {tenant}.daruma.space in サンドボックス', async () => {
    const credentials = { ...FAKE_CREDENTIALS, tenant: 'sandbox-co', environment: 'サンドボックス' as const };
    expect(baseUrlOf('sandbox-co', 'sandbox')).toBe('https://sandbox-co.daruma.space/api');
    const { connect } = setup({ credentials });
    await expect((await connect()).check()).resolves.toBeUndefined();
  });

  it('explains a refused token in Japanese without quoting it', async () => {
    const { connect } = setup();
    const session = await connect({ ...FAKE_CREDENTIALS, apiToken: 'not-the-token' });
    const error = await session.check().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'auth', message: expect.stringContaining('共通設定 > API') });
    expect(JSON.stringify(error)).not.toContain('not-the-token');
  });
});

describe('SmartHR listing', () => {
  it('reads every page along Link with per_page 100', async () => {
    const { fake, connect } = setup();
    fake.seed('default', smarthrSample(230, 4));
    const listed = await listAll(await connect());
    expect(listed.filter((entry) => entry.ok)).toHaveLength(230);
    const pages = fake.requests.map((request) => new URL(request.url).searchParams);
    expect(pages.map((query) => [query.get('page'), query.get('per_page')])).toEqual([
      ['1', '100'],
      ['2', '100'],
      ['3', '100'],
    ]);
  });

  it('follows only the page number of a Link, never its host', async () => {
    const { fake, connect } = setup();
    fake.seed('default', smarthrSample(2, 5));
    const seen: string[] = [];
    server.use(
      http.get(`${fake.baseUrl}/v1/crews`, async ({ request }) => {
        seen.push(request.url);
        const page = new URL(request.url).searchParams.get('page');
        if (page !== '1') return HttpResponse.json([]);
        return HttpResponse.json([], {
          headers: { link: '<https://evil.example/api/v1/crews?page=2>; rel="next"' },
        });
      }),
    );
    await listAll(await connect());
    expect(seen.map((url) => new URL(url).host)).toEqual([
      new URL(fake.baseUrl).host,
      new URL(fake.baseUrl).host,
    ]);
  });

  it('stops with a protocol error when Link does not move forward', async () => {
    const { fake, connect } = setup();
    server.use(
      http.get(`${fake.baseUrl}/v1/crews`, () =>
        HttpResponse.json([], { headers: { link: `<${fake.baseUrl}/v1/crews?page=1>; rel="next"` } }),
      ),
    );
    await expect(listAll(await connect())).rejects.toMatchObject({ kind: 'protocol' });
  });

  it('waits for x-rate-limit-reset once SmartHR says no request is left this hour, and is never refused', async () => {
    const { clock, fake, connect } = setup({ hourlyLimit: 3 });
    fake.seed('default', smarthrSample(150, 6));
    const session = await connect();
    await listAll(session);
    await listAll(session);
    expect(fake.overLimitCount).toBe(0);
    expect(fake.requests.every((request) => request.status === 200)).toBe(true);
    const nextHour = Math.ceil(START / 3_600_000) * 3_600_000;
    expect(fake.requests.map((request) => request.time >= nextHour)).toEqual([false, false, false, true]);
    expect(clock.now()).toBeGreaterThanOrEqual(nextHour);
  });
});

describe('SmartHR writes', () => {
  it('creates with POST, updates with PATCH on the crew id, and reports SmartHR’s refusals per employee', async () => {
    const { fake, connect } = setup();
    const [first, second] = smarthrSample(2, 7);
    if (!first || !second) throw new Error('sample');
    fake.seed('default', [second]);
    const session = await connect();
    const results = await session.writeEmployees('default', [
      { op: 'create', employeeCode: first.employeeCode, values: first },
      { op: 'create', employeeCode: second.employeeCode, values: second },
      { op: 'update', employeeCode: second.employeeCode, changes: { phone: '03-1111-2222' } },
      {
        op: 'update',
        employeeCode: 'NOBODY',
        changes: { phone: '03-1111-2222' },
      },
    ]);
    expect(results.map((result) => (result.ok ? result.op : result.error.kind))).toEqual([
      'create',
      'conflict',
      'update',
      'not_found',
    ]);
    const writes = fake.requests.filter((request) => request.requestClass === 'write');
    expect(writes.map((request) => [request.method, request.status])).toEqual([
      ['POST', 201],
      ['POST', 400],
      ['PATCH', 200],
    ]);
    expect(
      fake.records('default').find((employee) => employee.employeeCode === second.employeeCode)?.phone,
    ).toBe('03-1111-2222');
  });

  it('flags what SmartHR would refuse before sending, and refuses the same when writing', async () => {
    const { fake, connect } = setup();
    const session = await connect();
    const writes = [
      { op: 'create' as const, employeeCode: 'E1', values: { employeeCode: 'E1', lastName: '山田' } },
      {
        op: 'create' as const,
        employeeCode: 'E2',
        values: { employeeCode: 'E2', lastName: '山田', firstName: '花子', gender: 'unspecified' as const },
      },
    ];
    const checked = await session.checkWrites?.('default', writes);
    expect(checked?.map((check) => [check.employeeCode, check.issues.map((issue) => issue.field)])).toEqual([
      ['E1', ['firstName']],
      ['E2', ['gender']],
    ]);
    const results = await session.writeEmployees('default', writes);
    expect(results.map((result) => result.ok)).toEqual([false, false]);
    expect(fake.requests.filter((request) => request.requestClass === 'write')).toEqual([]);
  });
});
