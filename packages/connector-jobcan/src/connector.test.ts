import {
  type ConnectorSession,
  createVirtualClock,
  describeCredentials,
  type Employee,
  isConnectorError,
  type ListedEmployee,
} from '@renkei/core';
import { connectForTest } from '@renkei/testkit';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createJobcanFake, FAKE_CREDENTIALS, type JobcanFake } from './fake/index.ts';
import jobcan, { JOBCAN } from './index.ts';

const clock = createVirtualClock(Date.UTC(2026, 3, 1));
const fake = createJobcanFake({ clock });
const server = setupServer(...fake.handlers);
const area = 'default';

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(async () => {
  server.resetHandlers(...fake.handlers);
  fake.reset();
  await clock.advance(60_000);
});
afterAll(() => server.close());

const connect = (credentials: object = FAKE_CREDENTIALS) => connectForTest(jobcan, credentials, { clock });

async function list(session: ConnectorSession): Promise<ListedEmployee[]> {
  const listed: ListedEmployee[] = [];
  for await (const entry of session.listEmployees(area)) listed.push(entry);
  return listed;
}

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(isConnectorError(error), `expected a ConnectorError, got ${String(error)}`).toBe(true);
  return error as Error & { kind: string };
}

const people = (count: number): Employee[] =>
  Array.from({ length: count }, (_, i) => ({
    employeeCode: `E${String(i + 1).padStart(4, '0')}`,
    lastName: '佐藤',
    firstName: '一郎',
  }));

const requestsTo = (jobcanFake: JobcanFake, path: string) =>
  jobcanFake.requests.filter((request) => new URL(request.url).pathname === path);

describe('declaration', () => {
  it('declares the SmartHR ⇔ Jobcan fields, 在籍状況 read only, and the modelled limits', () => {
    expect(jobcan.id).toBe('jobcan');
    expect(jobcan.hasDataAreas).toBe(false);
    expect(jobcan.fields).toEqual({
      lastName: 'readWrite',
      firstName: 'readWrite',
      hireDate: 'readWrite',
      employmentType: 'readWrite',
      phone: 'readWrite',
      birthDate: 'readWrite',
      status: 'read',
    });
    expect(jobcan.limits).toMatchObject({ rateLimits: [{ limit: 10, intervalMs: 1000 }], writeBatchSize: 1 });
  });

  it('labels the 連携設定 form in Japanese, marks the secret and offers both environments', () => {
    expect(describeCredentials(jobcan.credentials)).toEqual([
      expect.objectContaining({ key: 'clientId', label: 'APIクライアントID', required: true }),
      expect.objectContaining({ key: 'clientSecret', label: 'シークレットアクセスキー', secret: true }),
      expect.objectContaining({
        key: 'environment',
        label: '環境',
        required: false,
        options: ['本番', 'サンドボックス'],
      }),
    ]);
    expect(jobcan.credentials.parse({ clientId: 'a', clientSecret: 'b' }).environment).toBe('本番');
    expect(jobcan.credentials.safeParse({ clientId: ' ', clientSecret: 'b' }).success).toBe(false);
  });
});

describe('credentials and tokens', () => {
  it('check() refuses a wrong secret with an auth error that says where to look, without the secret', async () => {
    const error = await failure(
      (await connect({ ...FAKE_CREDENTIALS, clientSecret: 'not-the-secret' })).check(),
    );
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('他社システム連携 > APIクライアント発行');
    expect(error.message).not.toContain('not-the-secret');
  });

  it('sends the sandbox environment to the sandbox hosts', async () => {
    const sandbox = createJobcanFake({ clock, environment: 'サンドボックス' });
    server.resetHandlers(...sandbox.handlers);
    const session = await connect({ ...FAKE_CREDENTIALS, environment: 'サンドボックス' });
    await session.check();
    expect(sandbox.requests.map((request) => new URL(request.url).host)).toEqual([
      'sandbox-api-auth-kintai.jobcan.jp',
      'sandbox-api-kintai.jobcan.jp',
    ]);
  });

  it('uses one token per scope, cached until it expires', async () => {
    fake.seed(area, people(3));
    const session = await connect();
    await list(session);
    await list(session);
    await session.writeEmployees(area, [
      { op: 'update', employeeCode: 'E0001', changes: { phone: '03-1111-2222' } },
    ]);
    await session.writeEmployees(area, [
      { op: 'create', employeeCode: 'E0009', values: people(9)[8] as Employee },
    ]);
    expect(fake.tokensIssued).toBe(4); // employees.read, work_kinds.read, employees.update, employees.create
    await clock.advance(JOBCAN.tokenTtlSeconds * 1000);
    await list(session);
    expect(fake.tokensIssued).toBe(5); // employees.read again; the スタッフ種別 stay cached for the session
  });

  it('refetches the token once after a 401, and gives up after a second one', async () => {
    fake.seed(area, people(2));
    const session = await connect();
    await list(session);
    fake.faults.inject({ kind: 'expired_token', scope: 'read' });
    expect(await list(session)).toHaveLength(2);
    fake.faults.inject({ kind: 'expired_token', scope: 'read', times: 2 });
    expect((await failure(list(session))).kind).toBe('auth');
  });

  it('reports a scope the API client was not granted as an auth error', async () => {
    const readOnly = createJobcanFake({ clock, scopes: [JOBCAN.scopes.read, JOBCAN.scopes.workKinds] });
    server.resetHandlers(...readOnly.handlers);
    readOnly.seed(area, people(1));
    const session = await connect();
    await list(session);
    const error = await failure(
      session.writeEmployees(area, [
        { op: 'update', employeeCode: 'E0001', changes: { phone: '03-1111-2222' } },
      ]),
    );
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('権限がありません');
  });
});

describe('reading', () => {
  it.each([
    [250, ['', '100', '200']],
    [200, ['', '100', '200']],
    [99, ['']],
  ])('pages %i staff by last_id, 100 at a time, stopping on a short page', async (count, lastIds) => {
    fake.seed(area, people(count));
    const listed = await list(await connect());
    expect(listed.map((entry) => entry.ok && entry.employee.employeeCode)).toEqual(
      people(count).map((employee) => employee.employeeCode),
    );
    const pages = requestsTo(fake, JOBCAN.paths.employees).map(
      (request) => new URL(request.url).searchParams,
    );
    expect(pages.map((query) => query.get('last_id') ?? '')).toEqual(lastIds);
    expect(pages.every((query) => query.get('count') === '100')).toBe(true);
  });

  it('reads staff by スタッフコード, leaving out those Jobcan does not have', async () => {
    fake.seed(area, people(3));
    const found = await (await connect()).getEmployees(area, ['E0003', 'E0404', 'E0001']);
    expect(found.map((entry) => entry.ok && entry.employee.employeeCode)).toEqual(['E0003', 'E0001']);
  });

  it('lists a record it cannot read as an invalid entry among the valid ones', async () => {
    fake.seed(area, people(2));
    fake.seedInvalid(area, 'BAD-1');
    const listed = await list(await connect());
    expect(listed.filter((entry) => !entry.ok)).toEqual([
      expect.objectContaining({
        employeeCode: 'BAD-1',
        issues: [expect.objectContaining({ field: 'birthDate' })],
      }),
    ]);
  });

  it('has one data area and refuses any other', async () => {
    const session = await connect();
    expect(await session.listDataAreas()).toEqual([{ id: 'default', name: '既定' }]);
    expect((await failure(session.getEmployees('head-office', ['E1']))).kind).toBe('not_found');
  });
});

describe('writing: one result per employee', () => {
  it('fails an 雇用形態 missing from the スタッフ種別 master without sending anything', async () => {
    const session = await connect();
    const [result] = await session.writeEmployees(area, [
      {
        op: 'create',
        employeeCode: 'E1',
        values: {
          employeeCode: 'E1',
          lastName: '佐藤',
          firstName: '一郎',
          employmentType: { name: '正社員' },
        },
      },
    ]);
    expect(result).toEqual({
      employeeCode: 'E1',
      ok: false,
      error: expect.objectContaining({ kind: 'validation', message: expect.stringContaining('「正社員」') }),
    });
    expect(requestsTo(fake, JOBCAN.paths.employees)).toEqual([]);
  });

  it('checkWrites names what writing would refuse, in the same words, with one master read and no write', async () => {
    fake.seed(area, people(2));
    const session = await connect();
    const writes = [
      {
        op: 'create',
        employeeCode: 'E9',
        values: { employeeCode: 'E9', lastName: '佐藤', firstName: '花子' },
      },
      {
        op: 'create',
        employeeCode: '社員9',
        values: { employeeCode: '社員9', lastName: '佐藤', firstName: '花子' },
      },
      { op: 'update', employeeCode: 'E0001', changes: { employmentType: { name: '正社員' } } },
      { op: 'update', employeeCode: 'E0002', changes: { lastName: null, phone: '内線12' } },
    ] satisfies Parameters<ConnectorSession['writeEmployees']>[1];
    const checks = await session.checkWrites?.(area, writes);
    expect(checks?.map((check) => [check.employeeCode, check.issues.map((issue) => issue.field)])).toEqual([
      ['社員9', ['employeeCode']],
      ['E0001', ['employmentType']],
      ['E0002', ['lastName', 'phone']],
    ]);
    expect(requestsTo(fake, JOBCAN.paths.employees)).toEqual([]);
    expect(requestsTo(fake, JOBCAN.paths.workKinds)).toHaveLength(1);

    const results = await session.writeEmployees(area, writes);
    expect(results.map((result) => result.ok)).toEqual([true, false, false, false]);
    for (const check of checks ?? []) {
      const result = results.find((candidate) => candidate.employeeCode === check.employeeCode);
      for (const issue of check.issues)
        expect(result?.ok === false && result.error.message).toContain(issue.message);
    }
    expect(requestsTo(fake, JOBCAN.paths.workKinds)).toHaveLength(1);
  });

  it('reports Jobcan’s 400 as validation with its message, and 409 as conflict', async () => {
    fake.seed(area, people(1));
    const session = await connect();
    const [impossibleDate, duplicate] = [
      ...(await session.writeEmployees(area, [
        {
          op: 'create',
          employeeCode: 'E2',
          values: { employeeCode: 'E2', lastName: '佐藤', firstName: '花子', hireDate: '2020-02-30' },
        },
      ])),
      ...(await session.writeEmployees(area, [
        { op: 'create', employeeCode: 'E0001', values: people(1)[0] as Employee },
      ])),
    ];
    expect(impossibleDate).toMatchObject({
      ok: false,
      error: {
        kind: 'validation',
        status: 400,
        vendorCode: 'validation_error',
        message: expect.stringContaining('入社日はYYYY-MM-DD形式の正しい日付'),
      },
    });
    expect(duplicate).toMatchObject({
      ok: false,
      error: { kind: 'conflict', status: 409, vendorCode: 'duplicate_code' },
    });
  });

  it('reports an update of staff Jobcan does not have as not_found', async () => {
    const [result] = await (await connect()).writeEmployees(area, [
      { op: 'update', employeeCode: 'E404', changes: { lastName: '鈴木' } },
    ]);
    expect(result).toMatchObject({ ok: false, error: { kind: 'not_found', status: 404 } });
  });

  it('throws a lost create answer as ambiguous, for apply to look the employee up', async () => {
    fake.faults.inject({ kind: 'timeout_after_commit', scope: 'write' });
    const error = await failure(
      (await connect()).writeEmployees(area, [
        { op: 'create', employeeCode: 'E0001', values: people(1)[0] as Employee },
      ]),
    );
    expect(error).toMatchObject({ kind: 'transient', ambiguous: true });
    expect(fake.records(area)).toHaveLength(1);
  });

  it('waits out a 429 as Jobcan asks and then writes', async () => {
    fake.faults.inject({ kind: 'rate_limit', scope: 'write', retryAfterSeconds: 3 });
    const started = clock.now();
    const [result] = await (await connect()).writeEmployees(area, [
      { op: 'create', employeeCode: 'E0001', values: people(1)[0] as Employee },
    ]);
    expect(result).toMatchObject({ ok: true, op: 'create' });
    expect(clock.now() - started).toBeGreaterThanOrEqual(3000);
    expect(fake.overLimitCount).toBe(0);
  });

  it('throws a garbled answer to a committed create as ambiguous, for apply to look it up', async () => {
    fake.faults.inject({ kind: 'malformed_body', scope: 'write' });
    const error = await failure(
      (await connect()).writeEmployees(area, [
        { op: 'create', employeeCode: 'E0001', values: people(1)[0] as Employee },
      ]),
    );
    expect(error).toMatchObject({ kind: 'protocol', ambiguous: true });
    expect(fake.records(area)).toHaveLength(1);
  });

  it('reads a malformed answer as a protocol error', async () => {
    fake.seed(area, people(1));
    fake.faults.inject({ kind: 'malformed_body', scope: 'read', times: Infinity });
    expect((await failure(list(await connect()))).kind).toBe('protocol');
  });
});
