import {
  type ConnectorSession,
  createVirtualClock,
  type Employee,
  type EmployeeWrite,
  type ListedEmployee,
  type LoginHold,
  type LoginHoldState,
} from '@renkei/core';
import { connectForTest } from '@renkei/testkit/fakes';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { definePcaConnector } from './connector.ts';
import { japanTime, LOGIN_ANSWER_LOST } from './errors.ts';
import { createPcaFake, FAKE_CREDENTIALS } from './fake/index.ts';
import { tokyoDate } from './mapper.ts';
import { PCA_KYUYO as KYUYO } from './products.ts';
import { PCA } from './vendor.ts';

const clock = createVirtualClock(Date.UTC(2026, 3, 1), { idleTurns: 20 });
const fake = createPcaFake({ product: KYUYO, clock });
const connector = definePcaConnector(KYUYO);
const server = setupServer(...fake.handlers);
const [AREA_2025, AREA_2026, UNPADDED] = fake.dataAreas() as [string, string, string];
const open: ConnectorSession[] = [];

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(async () => {
  await Promise.all(open.splice(0).map((session) => session.close()));
  fake.reset();
});
afterAll(() => server.close());

async function connect(
  signal = new AbortController().signal,
  loginHold?: LoginHold,
): Promise<ConnectorSession> {
  const session = await connectForTest(connector, FAKE_CREDENTIALS, {
    clock,
    signal,
    random: () => 0.5,
    ...(loginHold ? { loginHold } : {}),
  });
  open.push(session);
  return session;
}

function person(code: string, extra: Partial<Employee> = {}): Employee {
  return {
    employeeCode: code,
    lastName: '佐藤',
    firstName: '花子',
    lastNameKana: 'サトウ',
    firstNameKana: 'ハナコ',
    birthDate: '1991-02-03',
    hireDate: '2019-04-01',
    gender: 'female',
    email: `hanako${code}@example.jp`,
    phone: '090-1111-2222',
    department: { code: '200', name: '営業部' },
    jobTitle: { name: '主任' },
    employmentType: { name: '社員' },
    address: {
      postalCode: '100-0005',
      prefecture: '東京都',
      city: '千代田区',
      street: '丸の内1-1-1',
      building: 'れんけいビル5F',
    },
    bankAccounts: [
      {
        bankCode: '0005',
        branchCode: '001',
        accountType: 'ordinary',
        accountNumber: '1234567',
        holderKana: 'サトウ ハナコ',
      },
    ],
    ...extra,
  };
}
const creates = (employees: Employee[]): EmployeeWrite[] =>
  employees.map((employee) => ({ op: 'create', employeeCode: employee.employeeCode, values: employee }));

async function collect(iterable: AsyncIterable<ListedEmployee>): Promise<ListedEmployee[]> {
  const out: ListedEmployee[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
const codesOf = (listed: ListedEmployee[]) =>
  listed.map((item) => (item.ok ? item.employee.employeeCode : item.employeeCode));
const writeCalls = () => fake.requests.filter((request) => request.requestClass === 'write');
const logouts = () => fake.requests.filter((request) => request.url.endsWith(`/${PCA.paths.logout}`));

describe('PCA session', () => {
  it('lists the data areas of every company', async () => {
    const session = await connect();
    const areas = await session.listDataAreas();
    expect(areas.map((area) => area.id)).toEqual([AREA_2025, AREA_2026, UNPADDED]);
    // Named by 処理年度, not 第N期; the company and period let the wizard preselect the current year.
    expect(areas[1]).toEqual({
      id: AREA_2026,
      name: '株式会社れんけい商事 2026年度（2026/01〜12）',
      description: `第12期 / ${AREA_2026}`,
      group: '081',
      period: { start: '2026-01-01', end: '2026-12-31' },
    });
    expect(areas[0]?.name).toBe('株式会社れんけい商事 2025年度（2025/01〜12）');
  });

  it('round-trips every field it declares', async () => {
    const session = await connect();
    const results = await session.writeEmployees(UNPADDED, creates([person('501')]));
    expect(results).toEqual([{ employeeCode: '501', ok: true, op: 'create' }]);
    const [listed] = await collect(session.listEmployees(UNPADDED));
    expect(listed).toEqual({
      ok: true,
      employee: {
        ...person('501'),
        status: 'employed',
        jobTitle: { code: '50', name: '主任' },
        employmentType: { code: '1', name: '社員' },
      },
    });
  });

  it('binds each data area to its own login and keeps two areas of one company apart', async () => {
    fake.seed(AREA_2025, [person('1', { lastName: '旧年度' })]);
    const session = await connect();
    await session.writeEmployees(AREA_2026, creates([person('1', { lastName: '新年度' }), person('2')]));
    const older = await collect(session.listEmployees(AREA_2025));
    const newer = await collect(session.listEmployees(AREA_2026));
    expect(older.map((item) => item.ok && item.employee.lastName)).toEqual(['旧年度']);
    expect(newer.map((item) => item.ok && item.employee.lastName)).toEqual(['新年度', '佐藤']);
    expect(fake.records(AREA_2025)).toHaveLength(1);
    expect(fake.activeLicences()).toBe(2);
  });

  it('logs out after success', async () => {
    const session = await connect();
    await collect(session.listEmployees(AREA_2026));
    expect(fake.activeLicences()).toBe(1);
    await session.close();
    expect(fake.activeLicences()).toBe(0);
    expect(logouts()).toHaveLength(1);
  });

  it('logs out after an error', async () => {
    const session = await connect();
    await expect(collect(session.listEmployees('P20V01C999KYU0001'))).rejects.toMatchObject({
      kind: 'not_found',
    });
    fake.faults.inject({ kind: 'server_error', scope: 'read', times: Number.POSITIVE_INFINITY });
    await expect(collect(session.listEmployees(AREA_2026))).rejects.toMatchObject({ kind: 'transient' });
    fake.faults.clear();
    expect(fake.activeLicences()).toBe(1);
    await session.close();
    expect(fake.activeLicences()).toBe(0);
  });

  it('logs out when the run is cancelled, without waiting for close()', async () => {
    fake.seed(
      UNPADDED,
      Array.from({ length: 450 }, (_, i) => person(String(1000 + i))),
    );
    const controller = new AbortController();
    const session = await connect(controller.signal);
    const seen: ListedEmployee[] = [];
    await expect(
      (async () => {
        for await (const item of session.listEmployees(UNPADDED)) {
          seen.push(item);
          if (seen.length === 250) controller.abort();
        }
      })(),
    ).rejects.toMatchObject({ kind: 'cancelled' });
    await clock.advance(1_000);
    expect(fake.activeLicences()).toBe(0);
    expect(logouts()).toHaveLength(1);
  });

  it('reads 退職 against the day in Japan, not in UTC', () => {
    // 00:59 JST on 4/2 is still 4/1 in UTC: an employee retiring on 4/2 has retired.
    expect(tokyoDate(Date.UTC(2026, 3, 1, 15, 59))).toBe('2026-04-02');
    expect(tokyoDate(Date.UTC(2026, 3, 1, 14, 59))).toBe('2026-04-01');
  });

  it('logs out when the run is cancelled even if the token must be refreshed first', async () => {
    const controller = new AbortController();
    const session = await connect(controller.signal);
    await collect(session.listEmployees(AREA_2026));
    expect(fake.activeLicences()).toBe(1);
    // The Logout is answered 401: the refresh it needs must not run on the aborted signal.
    fake.faults.inject({ kind: 'expired_token', scope: 'any' });
    controller.abort();
    await clock.advance(1_000);
    await session.close();
    expect(fake.activeLicences()).toBe(0);
  });

  it('a second concurrent connection is refused clearly while the licences are held', async () => {
    const sessions = [await connect(), await connect(), await connect()];
    await sessions[0]?.check();
    await sessions[1]?.check();
    await expect(sessions[2]?.check()).rejects.toMatchObject({
      kind: 'auth',
      message: expect.stringContaining('同時接続数の上限'),
    });
  });

  it('after a login whose answer was lost, stops with what to do and never logs in again blind', async () => {
    // Two lost answers in a row used to take both licences for good.
    fake.faults.inject({ kind: 'lost_auth_answer', times: 2 });
    const session = await connect();
    const since = clock.now();
    const until = since + PCA.sessionTimeoutMs;
    const lost = {
      kind: 'auth',
      retryable: false,
      vendorCode: LOGIN_ANSWER_LOST,
      message:
        `PCAクラウド給与へのログインの応答が${japanTime(since)}に届かなかったため、同期を中止しました。` +
        'PCAクラウド給与ではログインが成立し、同時接続（ライセンス）を1つ使用している可能性があります。' +
        `このライセンスはPCAのセッションタイムアウトにより、遅くとも${japanTime(until)}（日本時間）に自動で解放されます。` +
        'それまでこの連携はPCAにログインしません（ライセンスを使い切らないためです）。' +
        `${japanTime(until)}以降に再実行してください。すぐに再実行する場合は、PCAクラウド給与の画面で使用中の接続をログアウトし、` +
        '連携設定の「接続テスト」が成功してから再実行してください。',
    };
    await expect(session.check()).rejects.toMatchObject(lost);
    await expect(collect(session.listEmployees(AREA_2026))).rejects.toMatchObject(lost);
    await expect(session.getEmployees(AREA_2025, ['1'])).rejects.toMatchObject(lost);
    await expect(session.writeEmployees(AREA_2025, creates([person('7')]))).rejects.toMatchObject(lost);
    const grants = fake.requests.filter((request) => request.requestClass === 'auth');
    expect(grants).toHaveLength(1);
    await session.close();
    // The orphaned login holds one licence; the contract's other one is still free for the next run.
    expect(fake.activeLicences()).toBe(1);
    expect(fake.loginsRefused()).toBe(0);
    fake.faults.clear();
    const next = await connect();
    await next.check();
    expect(fake.activeLicences()).toBe(PCA.concurrentSessions);
    expect(fake.loginsRefused()).toBe(0);
  });

  it('a lost login answer holds every later session of the connection (another chunk or worker) until PCA times the login out', async () => {
    // The connection's one record, as the hub keeps it in its database for every worker.
    let held: LoginHoldState | undefined;
    const loginHold: LoginHold = {
      current: async () => (held && held.until > clock.now() ? held : undefined),
      place: async (hold) => {
        held = {
          since: Math.max(held?.since ?? 0, hold.since),
          until: Math.max(held?.until ?? 0, hold.until),
        };
      },
    };
    fake.faults.inject({ kind: 'lost_auth_answer', times: 1 });
    const grants = () => fake.requests.filter((request) => request.requestClass === 'auth').length;
    const first = await connect(undefined, loginHold);
    const since = clock.now();
    await expect(first.check()).rejects.toMatchObject({ vendorCode: LOGIN_ANSWER_LOST });
    await first.close();
    expect(held).toEqual({ since, until: since + PCA.sessionTimeoutMs });
    // The next chunk, on this worker or another: no login at all, and the admin is told until when.
    const second = await connect(undefined, loginHold);
    const refused = second.writeEmployees(AREA_2025, creates([person('8')]));
    await expect(refused).rejects.toMatchObject({
      kind: 'auth',
      retryable: false,
      vendorCode: LOGIN_ANSWER_LOST,
    });
    const { message } = (await refused.catch((error: Error) => error)) as Error;
    expect(message).toContain(`${japanTime(since)}にPCAクラウド給与へのログインの応答が届かなかった`);
    expect(message).toContain(
      `遅くとも${japanTime(since + PCA.sessionTimeoutMs)}（日本時間）に自動で解放されます`,
    );
    expect(message).toContain(
      'PCAクラウド給与の画面で使用中の接続をログアウトし、連携設定の「接続テスト」が成功してから',
    );
    await second.close();
    const third = await connect(undefined, loginHold);
    await expect(third.check()).rejects.toMatchObject({ vendorCode: LOGIN_ANSWER_LOST });
    await third.close();
    expect(grants()).toBe(1);
    // The orphaned login still holds its licence; nobody took another.
    expect(fake.activeLicences()).toBe(1);
    expect(fake.loginsRefused()).toBe(0);

    // PCA's session timeout passes: the orphan's licence is free, and the connection logs in again.
    await clock.advance(PCA.sessionTimeoutMs);
    expect(fake.activeLicences()).toBe(0);
    const later = await connect(undefined, loginHold);
    await later.check();
    expect(grants()).toBe(2);
    expect(fake.activeLicences()).toBe(1);
    expect(fake.loginsRefused()).toBe(0);
  });

  it('splits 23 writes into 3 calls of at most 10', async () => {
    const session = await connect();
    const employees = Array.from({ length: 23 }, (_, i) => person(String(200 + i)));
    const results = await session.writeEmployees(UNPADDED, creates(employees));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(writeCalls()).toHaveLength(3);
    expect(fake.records(UNPADDED)).toHaveLength(23);
  });

  it('fails one bad record of a batch alone, with the reason', async () => {
    const session = await connect();
    const batch = Array.from({ length: 10 }, (_, i) => person(String(300 + i)));
    batch[4] = person('304', { email: 'not-an-address' });
    batch[7] = person('307', { department: { name: '存在しない部' } });
    const results = await session.writeEmployees(UNPADDED, creates(batch));
    expect(results.filter((result) => !result.ok).map((result) => result.employeeCode)).toEqual([
      '304',
      '307',
    ]);
    expect(results[4]).toMatchObject({
      ok: false,
      error: { kind: 'validation', message: expect.stringContaining('メールアドレス') },
    });
    expect(results[7]).toMatchObject({
      ok: false,
      error: { kind: 'validation', message: expect.stringContaining('部門「存在しない部」は') },
    });
    expect(fake.records(UNPADDED)).toHaveLength(8);
    expect(fake.masters(UNPADDED).department.some((entry) => entry.name === '存在しない部')).toBe(false);
  });

  it('updates only the changed fields: 姓 alone, leaving 名 as PCA holds it', async () => {
    fake.seed(UNPADDED, [person('77')]);
    const session = await connect();
    const [result] = await session.writeEmployees(UNPADDED, [
      { op: 'update', employeeCode: '77', changes: { lastName: '鈴木', phone: '03-5555-6666' } },
    ]);
    expect(result).toEqual({ employeeCode: '77', ok: true, op: 'update' });
    expect(fake.rawRecords(UNPADDED).get('77')).toMatchObject({
      Sei: '鈴木',
      Mei: '花子',
      TelNo: '03-5555-6666',
    });
    expect(fake.records(UNPADDED)[0]).toMatchObject({
      ...person('77'),
      lastName: '鈴木',
      phone: '03-5555-6666',
    });
  });

  it('refreshes an expired token mid-run and continues on the same licence', async () => {
    fake.seed(
      UNPADDED,
      Array.from({ length: 20 }, (_, i) => person(String(400 + i))),
    );
    const session = await connect();
    await session.getEmployees(UNPADDED, ['400']);
    await clock.advance(PCA.accessTokenTtlMs + 1);
    const results = await session.writeEmployees(UNPADDED, [
      { op: 'update', employeeCode: '401', changes: { phone: '03-0000-0001' } },
    ]);
    expect(results[0]?.ok).toBe(true);
    fake.faults.inject({ kind: 'expired_token', scope: 'read' });
    expect(await collect(session.listEmployees(UNPADDED))).toHaveLength(20);
    const tokenRequests = fake.requests.filter((request) => request.requestClass === 'auth');
    expect(tokenRequests).toHaveLength(3);
    expect(fake.activeLicences()).toBe(1);
  });

  it('pages across one snapshot while writes happen', async () => {
    fake.seed(
      UNPADDED,
      Array.from({ length: 450 }, (_, i) => person(String(1000 + i))),
    );
    const session = await connect();
    const writer = await connect();
    const seen: string[] = [];
    for await (const item of session.listEmployees(UNPADDED)) {
      seen.push(item.ok ? item.employee.employeeCode : '?');
      if (seen.length === 1) {
        await writer.writeEmployees(UNPADDED, creates([person('1'), person('9999')]));
      }
    }
    expect(seen).toHaveLength(450);
    expect(new Set(seen).size).toBe(450);
    expect(seen).not.toContain('9999');
    expect(fake.requests.filter((request) => request.url.includes('SnapshotId='))).toHaveLength(2);
  });

  it('normalises 社員コード per the area: 00123 ⇔ 123 only where the area pads', async () => {
    const session = await connect();
    await session.writeEmployees(AREA_2026, creates([person('123')]));
    expect([...fake.rawRecords(AREA_2026).keys()]).toEqual(['000123']);
    expect(codesOf(await collect(session.listEmployees(AREA_2026)))).toEqual(['000123']);
    // Found whatever padding the caller uses, and returned under the caller's code.
    expect(codesOf(await session.getEmployees(AREA_2026, ['123', '0123', '999']))).toEqual(['123', '0123']);
    const duplicate = await session.writeEmployees(AREA_2026, creates([person('00123')]));
    expect(duplicate[0]).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('既に登録') },
    });
    const updated = await session.writeEmployees(AREA_2026, [
      { op: 'update', employeeCode: '0123', changes: { phone: '03-1' } },
    ]);
    expect(updated[0]).toMatchObject({ ok: true, op: 'update' });
    const tooLong = await session.writeEmployees(AREA_2026, creates([person('1234567')]));
    expect(tooLong[0]).toMatchObject({ ok: false, error: { message: expect.stringContaining('6桁') } });

    await session.writeEmployees(UNPADDED, creates([person('123'), person('00123')]));
    expect(codesOf(await collect(session.listEmployees(UNPADDED)))).toEqual(['00123', '123']);
    expect(codesOf(await session.getEmployees(UNPADDED, ['123']))).toEqual(['123']);
    expect(codesOf(await session.getEmployees(UNPADDED, ['0123']))).toEqual([]);
  });

  it('tells how each area compares 社員番号: without leading zeros where it pads, exactly elsewhere', async () => {
    const fresh = await connect();
    const early = fresh.employeeCodeKey?.(AREA_2026);
    expect(() => early?.('123')).toThrow(/not known before it is read/);
    await fresh.getEmployees(AREA_2026, []);
    expect(early?.('123')).toBe(early?.('00123'));
    const unpadded = fresh.employeeCodeKey?.(UNPADDED);
    await fresh.getEmployees(UNPADDED, []);
    expect(unpadded?.('0123')).not.toBe(unpadded?.('123'));
    await fresh.close();

    const session = await connect();
    await session.getEmployees(AREA_2026, []);
    await session.getEmployees(UNPADDED, []);
    const key = session.employeeCodeKey?.(AREA_2026);
    expect(key).toBeTypeOf('function');
    expect(new Set(['123', '00123', '000123', '０１２３'].map((code) => key?.(code)))).toEqual(
      new Set(['000123']),
    );
    expect(key?.('124')).not.toBe(key?.('123'));
    expect(key?.('E-123')).toBe('E-123');
    expect(session.employeeCodeKey?.(UNPADDED)).toBeUndefined();
  });

  it('refuses codes PCA cannot hold before sending them', async () => {
    const session = await connect();
    const [result] = await session.writeEmployees(UNPADDED, creates([person('E-001')]));
    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'validation', message: expect.stringContaining('半角英数字・半角カナ') },
    });
    expect(writeCalls()).toHaveLength(0);
  });

  it('checkWrites names what the mapper refuses, in the write path’s words, reading current records in bulk', async () => {
    const existing = Array.from({ length: 24 }, (_, i) => person(String(100 + i)));
    fake.seed(UNPADDED, existing);
    const session = await connect();
    const savings = { ...(person('0').bankAccounts?.[0] as NonNullable<Employee['bankAccounts']>[number]) };
    const writes: EmployeeWrite[] = [
      ...creates([
        person('90', { gender: 'unspecified' }),
        person('91', { bankAccounts: [{ ...savings, accountType: 'savings' }] }),
        person('92', { department: { name: '存在しない部' } }),
        person('E-1'),
        person('93'),
      ]),
      // Only 名 changes: the stored 姓 is kept, so this passes.
      { op: 'update', employeeCode: '100', changes: { firstName: '次郎' } },
      { op: 'update', employeeCode: '101', changes: { lastName: null } },
      // PCA's own rules (here the address format) and a vanished record show only when writing.
      { op: 'update', employeeCode: '102', changes: { email: 'not-an-address' } },
      { op: 'update', employeeCode: '999', changes: { lastName: '鈴木' } },
      ...existing.slice(3).map(
        (employee): EmployeeWrite => ({
          op: 'update',
          employeeCode: employee.employeeCode,
          changes: { phone: '03-0000-0000' },
        }),
      ),
    ];
    const checks = await session.checkWrites?.(UNPADDED, writes);
    expect(checks?.map((check) => [check.employeeCode, check.issues.map((issue) => issue.field)])).toEqual([
      ['90', ['gender']],
      ['91', ['bankAccounts']],
      ['92', ['department']],
      ['E-1', ['employeeCode']],
      ['101', ['lastName']],
    ]);
    expect(writeCalls()).toHaveLength(0);
    const bulkReads = fake.requests.filter((request) => request.url.includes('FindByCondition'));
    expect(bulkReads).toHaveLength(1);

    const results = await session.writeEmployees(UNPADDED, writes.slice(0, 9));
    for (const check of checks ?? []) {
      const result = results.find((candidate) => candidate.employeeCode === check.employeeCode);
      expect(result?.ok === false && result.error.kind).toBe('validation');
      for (const issue of check.issues) {
        expect(result?.ok === false && result.error.message).toContain(issue.message);
      }
    }
    expect(results.filter((result) => result.ok).map((result) => result.employeeCode)).toEqual(['93', '100']);
    expect(results.find((result) => result.employeeCode === '102')).toMatchObject({
      ok: false,
      error: { kind: 'validation' },
    });
    expect(results.find((result) => result.employeeCode === '999')).toMatchObject({
      ok: false,
      error: { kind: 'not_found' },
    });
  });

  it('stays under every limit through a burst of work', async () => {
    const session = await connect();
    for (let batch = 0; batch < 30; batch++) {
      await session.writeEmployees(
        UNPADDED,
        creates(Array.from({ length: 10 }, (_, i) => person(String(5000 + batch * 10 + i)))),
      );
      await session.getEmployees(UNPADDED, [String(5000 + batch * 10)]);
    }
    expect(fake.records(UNPADDED)).toHaveLength(300);
    expect(fake.overLimitCount).toBe(0);
  });
});
