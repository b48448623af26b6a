import { createVirtualClock } from '@renkei/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JOBCAN } from '../vendor.ts';
import { createJobcanFake, FAKE_CREDENTIALS } from './index.ts';

const clock = createVirtualClock(Date.UTC(2026, 3, 1));
const fake = createJobcanFake({ clock });
const server = setupServer(...fake.handlers);
const { api, auth } = JOBCAN.hosts.production;
const { scopes } = JOBCAN;

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(async () => {
  fake.reset();
  await clock.advance(60_000); // a fresh rate-limit window per test
});
afterAll(() => server.close());

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function requestToken(
  scope: string,
  {
    authorization = basic(FAKE_CREDENTIALS.clientId, FAKE_CREDENTIALS.clientSecret),
    grant = 'client_credentials',
  } = {},
) {
  const response = await fetch(`${auth}/oauth/token`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: grant, scope }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function tokenFor(scope: string): Promise<string> {
  const { body } = await requestToken(scope);
  return body.access_token as string;
}

async function call(method: string, path: string, token: string | undefined, body?: unknown) {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, headers: response.headers, body: json as Record<string, unknown> };
}

const staff = (code: string, extra: Record<string, unknown> = {}) => ({
  code,
  last_name: '佐藤',
  first_name: '一郎',
  email: `${code}@example.jp`,
  ...extra,
});

const create = async (body: unknown) =>
  call('POST', '/master/v1/employees', await tokenFor(scopes.create), body);

describe('token endpoint', () => {
  it('issues a bearer token per scope to the right client', async () => {
    const { status, body } = await requestToken(scopes.read);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: JOBCAN.tokenTtlSeconds,
      scope: scopes.read,
    });
  });

  it('refuses a wrong secret or a missing Basic header with 401 invalid_client', async () => {
    for (const authorization of [basic(FAKE_CREDENTIALS.clientId, 'wrong'), 'Bearer x']) {
      expect(await requestToken(scopes.read, { authorization })).toMatchObject({
        status: 401,
        body: { error: 'invalid_client', message: expect.any(String) },
      });
    }
  });

  it('refuses another grant type and an unknown scope', async () => {
    expect(await requestToken(scopes.read, { grant: 'password' })).toMatchObject({
      status: 400,
      body: { error: 'unsupported_grant_type' },
    });
    expect(await requestToken('employees.delete')).toMatchObject({
      status: 400,
      body: { error: 'invalid_scope' },
    });
  });
});

describe('API authorisation', () => {
  it('answers 401 without a valid token, 403 for a token of another scope', async () => {
    expect(await call('GET', '/master/v1/employees', undefined)).toMatchObject({
      status: 401,
      body: { error: 'invalid_token' },
    });
    expect(await call('GET', '/master/v1/employees', await tokenFor(scopes.create))).toMatchObject({
      status: 403,
      body: { error: 'insufficient_scope' },
    });
  });

  it('expires tokens on the fake’s clock', async () => {
    const token = await tokenFor(scopes.read);
    expect((await call('GET', '/master/v1/employees', token)).status).toBe(200);
    await clock.advance(JOBCAN.tokenTtlSeconds * 1000);
    expect(await call('GET', '/master/v1/employees', token)).toMatchObject({
      status: 401,
      body: { error: 'invalid_token', message: expect.stringContaining('有効期限') },
    });
  });
});

describe('staff writes, validated as Jobcan does', () => {
  it('creates with Jobcan’s defaults and answers the stored record', async () => {
    const { status, body } = await create(staff('E1'));
    expect(status).toBe(201);
    expect(body.employee).toMatchObject({ id: 1, code: 'E1', status: 0, work_kind: 6, main_group: null });
    expect(fake.records('default')).toEqual([
      { employeeCode: 'E1', lastName: '佐藤', firstName: '一郎', status: 'employed' },
    ]);
  });

  it.each([
    ['姓', staff('E1', { last_name: '' }), '姓は必須です。'],
    [
      'スタッフコード',
      { last_name: '佐藤', first_name: '一郎', email: 'a@example.jp' },
      'スタッフコードは必須です。',
    ],
    ['メールアドレス', { code: 'E1', last_name: '佐藤', first_name: '一郎' }, 'メールアドレスは必須です。'],
    ['unknown スタッフ種別', staff('E1', { work_kind: 99 }), 'スタッフ種別（ID 99）は存在しません。'],
    [
      'malformed date',
      staff('E1', { hire_date: '2020/04/01' }),
      '入社日はYYYY-MM-DD形式の正しい日付で入力してください。',
    ],
    [
      'impossible date',
      staff('E1', { birthday: '1990-02-30' }),
      '生年月日はYYYY-MM-DD形式の正しい日付で入力してください。',
    ],
    ['unknown property', staff('E1', { gender: 'male' }), '未対応の項目です: gender'],
    ['bad スタッフコード', staff('E 1'), expect.stringContaining('スタッフコードは半角英数字')],
    ['unknown group', staff('E1', { main_group: 42 }), 'グループ（ID 42）は存在しません。'],
  ])('refuses a create with %s: 400 and nothing stored', async (_case, body, message) => {
    expect(await create(body)).toMatchObject({ status: 400, body: { error: 'validation_error', message } });
    expect(fake.records('default')).toEqual([]);
  });

  it('refuses a duplicate スタッフコード with 409', async () => {
    await create(staff('E1'));
    expect(await create(staff('E1', { last_name: '別人' }))).toMatchObject({
      status: 409,
      body: { error: 'duplicate_code', message: expect.stringContaining('E1') },
    });
    expect(fake.records('default')).toHaveLength(1);
  });

  it('updates by code with PUT, refusing an unknown code with 404 and an emptied 姓 with 400', async () => {
    await create(staff('E1'));
    const token = await tokenFor(scopes.update);
    expect((await call('PUT', '/master/v1/employees/E1', token, { tel: '090-1111-2222' })).status).toBe(200);
    expect(fake.records('default')[0]?.phone).toBe('090-1111-2222');
    expect(await call('PUT', '/master/v1/employees/E9', token, { tel: '1' })).toMatchObject({
      status: 404,
      body: { error: 'not_found' },
    });
    expect(await call('PUT', '/master/v1/employees/E1', token, { last_name: null })).toMatchObject({
      status: 400,
      body: { message: '姓は必須です。' },
    });
  });
});

describe('reads', () => {
  it('pages by last_id and count, at most 100', async () => {
    fake.seed(
      'default',
      Array.from({ length: 5 }, (_, i) => ({
        employeeCode: `E${i + 1}`,
        lastName: '佐藤',
        firstName: '一郎',
      })),
    );
    const token = await tokenFor(scopes.read);
    const page = await call('GET', '/master/v1/employees?last_id=2&count=2', token);
    expect((page.body.employees as { code: string }[]).map((record) => record.code)).toEqual(['E3', 'E4']);
    expect((await call('GET', '/master/v1/employees?count=101', token)).status).toBe(400);
    expect(await call('GET', '/master/v1/employees/E5', token)).toMatchObject({
      status: 200,
      body: { employee: { code: 'E5' } },
    });
    expect(await call('GET', '/master/v1/employees/E6', token)).toMatchObject({
      status: 404,
      body: { error: 'not_found' },
    });
  });

  it('pages records created after an earlier page was served (the id-ordered listing is not stale)', async () => {
    fake.seed('default', [{ employeeCode: 'E1', lastName: '佐藤', firstName: '一郎' }]);
    const token = await tokenFor(scopes.read);
    const codes = async (lastId: number) =>
      (
        (await call('GET', `/master/v1/employees?last_id=${lastId}&count=100`, token)).body.employees as {
          code: string;
          id: number;
        }[]
      ).map((record) => record.code);
    expect(await codes(0)).toEqual(['E1']);
    expect((await create(staff('E2'))).status).toBe(201);
    expect(await codes(0)).toEqual(['E1', 'E2']);
    fake.seed('default', [{ employeeCode: 'E9', lastName: '佐藤', firstName: '一郎' }]);
    expect(await codes(0)).toEqual(['E1', 'E2', 'E9']);
  });

  it('serves the スタッフ種別 master with Jobcan’s defaults', async () => {
    const { body } = await call('GET', '/master/v1/work_kinds', await tokenFor(scopes.workKinds));
    expect((body.work_kinds as { name: string }[]).map((kind) => kind.name)).toEqual([
      'パートタイマー',
      'アルバイト',
      '契約社員',
      '社員',
      '派遣社員',
      '【未分類】',
    ]);
  });
});

describe('rate limit and faults', () => {
  it('answers 429 with Retry-After beyond 10 requests a second, and counts it', async () => {
    const token = await tokenFor(scopes.read);
    const statuses = [];
    for (let i = 0; i < 10; i++) statuses.push((await call('GET', '/master/v1/employees', token)).status);
    const refused = await call('GET', '/master/v1/employees', token);
    expect(statuses.filter((status) => status === 200)).toHaveLength(9); // the token request counted too
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(fake.overLimitCount).toBe(2);
    await clock.advance(1000);
    expect((await call('GET', '/master/v1/employees', token)).status).toBe(200);
  });

  it('commits a write whose answer is lost (timeout after commit)', async () => {
    fake.faults.inject({ kind: 'timeout_after_commit', scope: 'write' });
    await expect(create(staff('E1'))).rejects.toThrow();
    expect(fake.records('default').map((employee) => employee.employeeCode)).toEqual(['E1']);
  });

  it('renders expired_token as Jobcan’s 401 and malformed_body as a 200 that is not JSON', async () => {
    const token = await tokenFor(scopes.read);
    fake.faults.inject({ kind: 'expired_token', scope: 'read' });
    expect(await call('GET', '/master/v1/employees', token)).toMatchObject({
      status: 401,
      body: { error: 'invalid_token' },
    });
    fake.faults.inject({ kind: 'malformed_body', scope: 'read' });
    const garbled = await call('GET', '/master/v1/employees', await tokenFor(scopes.read));
    expect(garbled.status).toBe(200);
    expect(typeof garbled.body).toBe('string');
  });

  it('aims faults at one employee and delays on the fake’s clock', async () => {
    fake.faults.inject({ kind: 'server_error', scope: 'write', employeeCodes: ['E2'], times: Infinity });
    fake.faults.inject({ kind: 'delay', scope: 'write', delayMs: 5000 });
    const started = clock.now();
    expect((await create(staff('E1'))).status).toBe(201);
    expect(clock.now() - started).toBeGreaterThanOrEqual(5000);
    expect(await create(staff('E2'))).toMatchObject({ status: 503, body: { error: 'server_error' } });
  });
});

describe('writtenFields', () => {
  it('maps payload properties back to canonical fields; the placeholder e-mail is not the e-mail', async () => {
    await create(staff('E1', { tel: '03-1111-2222', work_kind: 4 }));
    expect([...fake.writtenFields()].sort()).toEqual(['employmentType', 'firstName', 'lastName', 'phone']);
    await create({ ...staff('E2', { last_name_kana: 'サトウ' }), email: 'ichiro@example.co.jp' });
    expect(fake.writtenFields()).toContain('email');
    expect(fake.writtenFields()).toContain('lastNameKana');
  });
});
