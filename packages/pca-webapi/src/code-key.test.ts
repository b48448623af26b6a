import {
  apply,
  applyAll,
  type ConnectorFields,
  type ConnectorSession,
  createVirtualClock,
  type Employee,
  FIELD_KEYS,
  type ListedEmployee,
  plan,
} from '@renkei/core';
import { connectForTest } from '@renkei/testkit/fakes';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { definePcaConnector } from './connector.ts';
import { createPcaFake, FAKE_CREDENTIALS } from './fake/index.ts';
import { PCA_KYUYO as KYUYO } from './products.ts';

const clock = createVirtualClock(Date.UTC(2026, 3, 1), { idleTurns: 20 });
const fake = createPcaFake({ product: KYUYO, clock });
const connector = definePcaConnector(KYUYO);
const server = setupServer(...fake.handlers);
const [, PADDED, UNPADDED] = fake.dataAreas() as [string, string, string];
const HR_FIELDS: ConnectorFields = Object.fromEntries(FIELD_KEYS.map((key) => [key, 'read']));
let session: ConnectorSession;
const open: ConnectorSession[] = [];

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(async () => {
  await Promise.all(open.splice(0).map((opened) => opened.close()));
  fake.reset();
});
afterAll(() => server.close());

async function connect(): Promise<ConnectorSession> {
  session = await connectForTest(connector, FAKE_CREDENTIALS, { clock, random: () => 0.5 });
  open.push(session);
  return session;
}

function person(code: string, lastName = '佐藤'): Employee {
  return {
    employeeCode: code,
    lastName,
    firstName: '花子',
    lastNameKana: 'サトウ',
    firstNameKana: 'ハナコ',
    birthDate: '1991-02-03',
    hireDate: '2019-04-01',
    gender: 'female',
    email: `hanako${code}@example.jp`,
  };
}

/** HR → PCA plan of one area, matched on the key the session gives for it. */
async function planInto(area: string, hr: readonly Employee[], options: { key?: boolean } = {}) {
  const target: ListedEmployee[] = [];
  for await (const listed of session.listEmployees(area)) target.push(listed);
  const codeKey = options.key === false ? undefined : session.employeeCodeKey?.(area);
  return plan(
    { fields: HR_FIELDS, records: hr.map((employee) => ({ ok: true as const, employee })) },
    { fields: connector.fields, records: target },
    codeKey ? { codeKey } : {},
  );
}

const statuses = (result: Awaited<ReturnType<typeof planInto>>) =>
  Object.fromEntries(result.entries.map((entry) => [entry.employeeCode, entry.status]));

async function run(area: string, planned: Awaited<ReturnType<typeof planInto>>) {
  const selection = planned.entries.filter((entry) => entry.selectable).map((entry) => entry.employeeCode);
  return applyAll(apply(planned, selection, { session, area, definition: connector }, { clock }));
}

describe('社員番号 across PCA padding (plan and apply with the session key)', () => {
  it('matches unpadded HR codes to a padding area, writes without duplicates and converges', async () => {
    fake.seed(PADDED, [person('123'), person('124'), person('125')]);
    await connect();
    const hr = [person('123'), person('0124', '鈴木'), person('126')];

    // Exact matching would offer 123 and 0124 as 新規登録; the plan refuses that even without the key.
    expect((await planInto(PADDED, hr, { key: false })).summary).toMatchObject({
      new: 1,
      conflict: 2,
      targetOnly: 3,
    });

    const first = await planInto(PADDED, hr);
    expect(statuses(first)).toEqual({ '123': 'unchanged', '0124': 'changed', '126': 'new' });
    expect(first.targetOnlyCodes).toEqual(['000125']);

    const result = await run(PADDED, first);
    expect(result.outcomes.map(({ employeeCode, status }) => ({ employeeCode, status }))).toEqual([
      { employeeCode: '123', status: 'skipped' },
      { employeeCode: '0124', status: 'updated' },
      { employeeCode: '126', status: 'created' },
    ]);
    expect([...fake.rawRecords(PADDED).keys()].sort()).toEqual(['000123', '000124', '000125', '000126']);
    expect(fake.records(PADDED).find((employee) => employee.employeeCode === '000124')?.lastName).toBe(
      '鈴木',
    );

    const again = await planInto(PADDED, hr);
    expect(again.summary).toMatchObject({ new: 0, changed: 0, unchanged: 3, targetOnly: 1 });
  });

  it("apply's stale check re-reads padded records by the HR code: moved ones are stale, the rest written", async () => {
    fake.seed(PADDED, [person('7'), person('8')]);
    await connect();
    const planned = await planInto(PADDED, [person('7', '高橋'), person('8', '田中')]);
    expect(statuses(planned)).toEqual({ '7': 'changed', '8': 'changed' });

    // Someone edits 000008 in PCA after the preview.
    const [edit] = await session.writeEmployees(PADDED, [
      { op: 'update', employeeCode: '000008', changes: { firstName: '次郎' } },
    ]);
    expect(edit).toMatchObject({ ok: true });

    // The run opens its own session, as the hub's worker does: nothing of the area read yet.
    await connect();
    const result = await run(PADDED, planned);
    expect(result.outcomes.map(({ employeeCode, status }) => ({ employeeCode, status }))).toEqual([
      { employeeCode: '7', status: 'updated' },
      { employeeCode: '8', status: 'stale' },
    ]);
    const stored = fake.records(PADDED);
    expect(stored.map((employee) => [employee.employeeCode, employee.lastName])).toEqual([
      ['000007', '高橋'],
      ['000008', '佐藤'],
    ]);
  });

  it('never creates 123 beside 00123 in a company without ０詰め: shown as 別人の可能性, not 新規登録', async () => {
    fake.seed(UNPADDED, [person('00123')]);
    await connect();
    const hr = [person('123'), person('A0012'), person('ABCDEFGHIJ123')];

    const first = await planInto(UNPADDED, hr);
    expect(session.employeeCodeKey?.(UNPADDED)).toBeUndefined();
    expect(statuses(first)).toEqual({ '123': 'conflict', A0012: 'new', ABCDEFGHIJ123: 'new' });
    expect(first.entries.find((entry) => entry.employeeCode === '123')?.issues[0]?.message).toContain(
      '別人の可能性',
    );
    expect(first.targetOnlyCodes).toEqual(['00123']);

    const result = await run(UNPADDED, first);
    expect(result.outcomes.map(({ employeeCode, status }) => ({ employeeCode, status }))).toEqual([
      { employeeCode: 'A0012', status: 'created' },
      { employeeCode: 'ABCDEFGHIJ123', status: 'created' },
    ]);
    expect([...fake.rawRecords(UNPADDED).keys()].sort()).toEqual(['00123', 'A0012', 'ABCDEFGHIJ123']);

    // An employee already in PCA as A0012 is found and updated, not reported as 「登録されていません」.
    const renamed = await planInto(UNPADDED, [person('A0012', '鈴木')]);
    expect(statuses(renamed)).toEqual({ A0012: 'changed' });
    expect((await run(UNPADDED, renamed)).outcomes).toMatchObject([
      { employeeCode: 'A0012', status: 'updated' },
    ]);
    expect((await planInto(UNPADDED, [person('A0012', '鈴木')])).summary).toMatchObject({ unchanged: 1 });
  });
});
