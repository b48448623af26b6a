import { type ConnectorSession, createVirtualClock, type Employee, type ListedEmployee } from '@renkei/core';
import { connectForTest } from '@renkei/testkit/fakes';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { definePcaConnector } from './connector.ts';
import { createPcaFake, FAKE_CREDENTIALS } from './fake/index.ts';
import { PCA_KYUYO as KYUYO } from './products.ts';

/** One company whose record (Find/Comp) does not say its 社員コード rule: it stores by 6 digits, ０詰め. */
const clock = createVirtualClock(Date.UTC(2026, 3, 1), { idleTurns: 20 });
const fake = createPcaFake({
  product: KYUYO,
  clock,
  companies: [
    {
      code: '090',
      name: '株式会社だまり',
      kana: 'ﾀﾞﾏﾘ',
      codeLength: 6,
      codeFillZero: true,
      reportsCodeRule: false,
      areas: [{ serial: 1, term: 1, year: 2026 }],
    },
  ],
  writeAnswers: 'integration',
});
const connector = definePcaConnector(KYUYO);
const server = setupServer(...fake.handlers);
const [AREA] = fake.dataAreas() as [string];
const open: ConnectorSession[] = [];

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(async () => {
  await Promise.all(open.splice(0).map((session) => session.close()));
  fake.reset();
});
afterAll(() => server.close());

async function connect(settings: Record<string, string> = {}): Promise<ConnectorSession> {
  const session = await connectForTest(
    connector,
    { ...FAKE_CREDENTIALS, ...settings },
    { clock, random: () => 0.5 },
  );
  open.push(session);
  return session;
}
const person = (code: string, extra: Partial<Employee> = {}): Employee => ({
  employeeCode: code,
  lastName: '佐藤',
  firstName: '花子',
  gender: 'female',
  ...extra,
});
async function collect(iterable: AsyncIterable<ListedEmployee>) {
  const out: ListedEmployee[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('社員コードの桁数・０詰め when PCA does not say', () => {
  it('refuses creates in the preview instead of guessing, and still reads and updates by the exact code', async () => {
    fake.seed(AREA, [person('123')]);
    const session = await connect();
    expect(
      (await collect(session.listEmployees(AREA))).map((item) => item.ok && item.employee.employeeCode),
    ).toEqual(['000123']);
    expect(session.employeeCodeKey?.(AREA)).toBeUndefined();
    const checks = await session.checkWrites?.(AREA, [
      { op: 'create', employeeCode: '124', values: person('124') },
      { op: 'update', employeeCode: '000123', changes: { firstName: '華子' } },
    ]);
    expect(checks).toEqual([
      {
        employeeCode: '124',
        issues: [expect.objectContaining({ message: expect.stringContaining('社員コードの桁数') })],
      },
    ]);
    const [updated] = await session.writeEmployees(AREA, [
      { op: 'update', employeeCode: '000123', changes: { firstName: '華子' } },
    ]);
    expect(updated).toMatchObject({ ok: true });
  });

  it("uses the connection's 桁数 and ０詰め: 123 is the employee stored as 000123", async () => {
    fake.seed(AREA, [person('123')]);
    const session = await connect({ codeLength: '6', codeFillZero: '０詰めする' });
    await collect(session.listEmployees(AREA));
    const key = session.employeeCodeKey?.(AREA);
    expect(key?.('123')).toBe(key?.('000123'));
    const results = await session.writeEmployees(AREA, [
      { op: 'create', employeeCode: '45', values: person('45') },
      { op: 'update', employeeCode: '123', changes: { firstName: '華子' } },
    ]);
    expect(results.map((result) => result.ok)).toEqual([true, true]);
    expect([...fake.rawRecords(AREA).keys()].sort()).toEqual(['000045', '000123']);
  });
});

describe('write answers in the 商魂 shape (InnerStatus; non-200 with BusinessValue)', () => {
  it('fails only the refused record of a non-200 batch; the others are written', async () => {
    const session = await connect({ codeLength: '6', codeFillZero: '０詰めする' });
    const results = await session.writeEmployees(AREA, [
      { op: 'create', employeeCode: '1', values: person('1') },
      { op: 'create', employeeCode: '2', values: person('2', { email: 'not-an-address' }) },
      { op: 'create', employeeCode: '3', values: person('3') },
    ]);
    expect(results.map((result) => [result.employeeCode, result.ok])).toEqual([
      ['1', true],
      ['2', false],
      ['3', true],
    ]);
    expect(results[1]).toMatchObject({
      error: { kind: 'validation', message: expect.stringContaining('メールアドレス') },
    });
    expect(
      fake.requests.filter((request) => request.requestClass === 'write').map((request) => request.status),
    ).toEqual([400]);
    expect([...fake.rawRecords(AREA).keys()].sort()).toEqual(['000001', '000003']);
  });

  it('reads a 200 answer of that shape as every record written', async () => {
    const session = await connect({ codeLength: '6', codeFillZero: '０詰めする' });
    const results = await session.writeEmployees(AREA, [
      { op: 'create', employeeCode: '9', values: person('9') },
    ]);
    expect(results).toEqual([{ employeeCode: '9', ok: true, op: 'create' }]);
  });
});

describe('在籍状況 from PCA', () => {
  it('imports a 退職者 without 退職日 as retired', async () => {
    fake.seed(AREA, [person('7', { status: 'retired' }), person('8')]);
    expect(fake.rawRecords(AREA).get('000007')).toMatchObject({ TaisyokuKubun: 1 });
    expect(fake.rawRecords(AREA).get('000007')).not.toHaveProperty('TaisyokuDate');
    const session = await connect();
    const listed = await collect(session.listEmployees(AREA));
    expect(
      listed.map(
        (item) => item.ok && [item.employee.employeeCode, item.employee.status, item.employee.retireDate],
      ),
    ).toEqual([
      ['000007', 'retired', undefined],
      ['000008', 'employed', undefined],
    ]);
  });
});
