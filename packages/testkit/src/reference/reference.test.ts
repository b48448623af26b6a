import { type ConnectorSession, createVirtualClock, isConnectorError, silentLogger } from '@renkei/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateEmployees } from '../generate/index.ts';
import { MAX_BATCH_OPERATIONS, REFERENCE_BASE_URL } from './api.ts';
import { referenceConnector } from './connector.ts';
import { createReferenceFake, REFERENCE_CLIENT, type ReferenceFake } from './fake/index.ts';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const AREA = 'head-office';

function setup(): { fake: ReferenceFake; connect: () => Promise<ConnectorSession> } {
  const clock = createVirtualClock(0);
  const fake = createReferenceFake({ clock });
  server.resetHandlers(...fake.handlers);
  const connect = () =>
    referenceConnector.connect(REFERENCE_CLIENT, {
      fetch: (input, init) => globalThis.fetch(input, init),
      logger: silentLogger,
      signal: new AbortController().signal,
      clock,
      random: () => 0.5,
    });
  return { fake, connect };
}

async function post(path: string, body: unknown, token?: string) {
  const response = await fetch(`${REFERENCE_BASE_URL}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function token() {
  const response = await post('/oauth/token', {
    grant_type: 'client_credentials',
    client_id: REFERENCE_CLIENT.clientId,
    client_secret: REFERENCE_CLIENT.clientSecret,
  });
  return response.body.access_token as string;
}

describe('reference vendor fake', () => {
  it('refuses requests without a valid token', async () => {
    setup();
    const response = await fetch(`${REFERENCE_BASE_URL}/areas`, {
      headers: { authorization: 'Bearer forged' },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_token' });
  });

  it('validates each operation of a batch on its own and rejects oversized batches', async () => {
    const { fake } = setup();
    const bearer = await token();
    const answer = await post(
      `/areas/${AREA}/employees/batch`,
      {
        operations: [
          { op: 'create', employee: { code: 'A1', last_name: '山田', birth_date: '1990-02-30' } },
          { op: 'create', employee: { code: 'A2', last_name_kana: 'やまだ' } },
          { op: 'create', employee: { code: 'A3', nickname: 'ヤマ' } },
          { op: 'update', code: 'NOPE', changes: { last_name: '田中' } },
          { op: 'create', employee: { code: 'A4', last_name: '山田', email: 'yamada@example.jp' } },
        ],
      },
      bearer,
    );
    expect(answer.status).toBe(200);
    expect(
      (answer.body.results as { status: string; error?: { code: string; field?: string } }[]).map((r) => [
        r.status,
        r.error?.code,
        r.error?.field,
      ]),
    ).toEqual([
      ['error', 'VALIDATION', 'birth_date'],
      ['error', 'VALIDATION', 'last_name_kana'],
      ['error', 'VALIDATION', 'employee'],
      ['error', 'NOT_FOUND', undefined],
      ['ok', undefined, undefined],
    ]);
    expect(fake.records(AREA).map((employee) => employee.employeeCode)).toEqual(['A4']);

    const tooMany = Array.from({ length: MAX_BATCH_OPERATIONS + 1 }, (_, i) => ({
      op: 'create',
      employee: { code: `B${i}` },
    }));
    expect((await post(`/areas/${AREA}/employees/batch`, { operations: tooMany }, bearer)).status).toBe(400);
  });

  it('refuses requests over its rate limit and counts them', async () => {
    const { fake } = setup();
    const bearer = await token();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await fetch(`${REFERENCE_BASE_URL}/areas`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
      statuses.push(response.status);
    }
    // The token request counts too: 10 per second in all.
    expect(statuses.filter((status) => status === 429)).toHaveLength(3);
    expect(fake.overLimitCount).toBe(3);
  });
});

describe('reference connector', () => {
  it('lists every record across pages with cursors', async () => {
    const { fake, connect } = setup();
    fake.seed(AREA, generateEmployees({ count: 130, seed: 1 }));
    const session = await connect();
    const listed = [];
    for await (const entry of session.listEmployees(AREA)) listed.push(entry);
    expect(listed).toHaveLength(130);
    expect(listed.every((entry) => entry.ok)).toBe(true);
    expect(fake.requests.filter((request) => request.url.includes('/employees')).length).toBe(3);
  });

  it('reports a record it cannot read instead of throwing', async () => {
    const { fake, connect } = setup();
    fake.seed(AREA, generateEmployees({ count: 2, seed: 1 }));
    fake.seedInvalid(AREA, 'X9');
    const session = await connect();
    const listed = [];
    for await (const entry of session.listEmployees(AREA)) listed.push(entry);
    expect(listed.filter((entry) => !entry.ok)).toEqual([
      expect.objectContaining({
        employeeCode: 'X9',
        issues: [expect.objectContaining({ field: 'birthDate' })],
      }),
    ]);
  });

  it('answers one result per write, failing only the rejected record', async () => {
    const { fake, connect } = setup();
    const session = await connect();
    const results = await session.writeEmployees(AREA, [
      {
        op: 'create',
        employeeCode: 'A1',
        values: { employeeCode: 'A1', lastName: '山田', email: 'not-an-email' },
      },
      {
        op: 'create',
        employeeCode: 'A2',
        values: { employeeCode: 'A2', lastName: '田中', phone: '03-1111-2222' },
      },
    ]);
    expect(results).toEqual([
      {
        employeeCode: 'A1',
        ok: false,
        error: expect.objectContaining({ kind: 'validation', vendorCode: 'VALIDATION' }),
      },
      { employeeCode: 'A2', ok: true, op: 'create' },
    ]);
    // 電話番号 is read-only through this connector: never sent.
    expect(fake.records(AREA)).toEqual([{ employeeCode: 'A2', lastName: '田中' }]);
    expect([...fake.writtenFields()].sort()).toEqual(['email', 'lastName']);
  });

  it('refuses wrong credentials with an auth error that does not show the secret', async () => {
    const { fake } = setup();
    const session = await referenceConnector.connect(
      { clientId: REFERENCE_CLIENT.clientId, clientSecret: 'wrong-secret-value' },
      {
        fetch: (input, init) => globalThis.fetch(input, init),
        logger: silentLogger,
        signal: new AbortController().signal,
        clock: fake.clock,
      },
    );
    const error = await session.check().catch((thrown: unknown) => thrown);
    expect(isConnectorError(error) && error.kind).toBe('auth');
    expect(String((error as Error).message)).not.toContain('wrong-secret-value');
  });

  it('renews a token the vendor says has expired', async () => {
    const { fake, connect } = setup();
    fake.seed(AREA, generateEmployees({ count: 2, seed: 1 }));
    const session = await connect();
    expect(await session.getEmployees(AREA, ['000001'])).toHaveLength(1);
    fake.faults.inject({ kind: 'expired_token', scope: 'read' });
    expect(await session.getEmployees(AREA, ['000001', '000002'])).toHaveLength(2);
    expect(fake.tokensIssued).toBe(2);
  });
});
