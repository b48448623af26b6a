import { createVirtualClock, type Employee, type ListedEmployee } from '@renkei/core';
import { PCA } from '@renkei/pca-webapi';
import { connectForTest } from '@renkei/testkit';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPcaHyperFake, FAKE_CREDENTIALS } from './fake/index.ts';
import pcaHyper from './index.ts';

const clock = createVirtualClock(Date.UTC(2026, 3, 1), { idleTurns: 20 });
const fake = createPcaHyperFake({ clock });
const server = setupServer(...fake.handlers);
const area = fake.dataAreas()[2] as string;

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => fake.reset());
afterAll(() => server.close());

const account = (n: number, accountType: 'ordinary' | 'checking' = 'ordinary') => ({
  bankCode: `000${n}`,
  branchCode: '123',
  accountType,
  accountNumber: `765432${n}`,
  holderKana: 'タナカ イチロウ',
});
const employee = (code: string, extra: Partial<Employee> = {}): Employee => ({
  employeeCode: code,
  lastName: '田中',
  firstName: '一郎',
  gender: 'male',
  employeeCategory: { code: '2', name: '管理職' },
  ...extra,
});

async function withSession<T>(run: (session: Awaited<ReturnType<typeof pcaHyper.connect>>) => Promise<T>) {
  const session = await connectForTest(pcaHyper, FAKE_CREDENTIALS, { clock });
  try {
    return await run(session);
  } finally {
    await session.close();
  }
}
const list = async (session: Awaited<ReturnType<typeof pcaHyper.connect>>) => {
  const listed: ListedEmployee[] = [];
  for await (const item of session.listEmployees(area)) listed.push(item);
  return listed;
};

describe('PCAクラウド給与 hyper', () => {
  it('declares 社員区分 and its own product', () => {
    expect(pcaHyper.id).toBe('pca-hyper');
    expect(pcaHyper.fields.employeeCategory).toBe('readWrite');
    expect(fake.dataAreas()[0]).toBe('P20V01C081KYH0001');
  });

  it('round-trips three bank accounts and 社員区分, and refuses a fourth account', async () => {
    const accounts = [account(1), account(2, 'checking'), account(3)];
    await withSession(async (session) => {
      const results = await session.writeEmployees(area, [
        { op: 'create', employeeCode: '3001', values: employee('3001', { bankAccounts: accounts }) },
        {
          op: 'create',
          employeeCode: '3002',
          values: employee('3002', { bankAccounts: [...accounts, account(4)] }),
        },
      ]);
      expect(results[0]).toMatchObject({ ok: true });
      expect(results[1]).toMatchObject({
        ok: false,
        error: {
          message: 'PCAクラウド給与 hyperに登録できる給与振込口座は3つまでです（4口座が指定されています）。',
        },
      });
      const [listed] = await list(session);
      expect(listed).toMatchObject({
        ok: true,
        employee: { bankAccounts: accounts, employeeCategory: { code: '2', name: '管理職' } },
      });
      await session.writeEmployees(area, [
        {
          op: 'update',
          employeeCode: '3001',
          changes: { bankAccounts: [account(2)], employeeCategory: { name: '嘱託' } },
        },
      ]);
      const [updated] = await list(session);
      expect(updated).toMatchObject({
        ok: true,
        employee: { bankAccounts: [account(2)], employeeCategory: { code: '3' } },
      });
    });
    expect(fake.rawRecords(area).get('3001')).toMatchObject({ GinkoCode2: '', KozaNo3: '' });
  });

  it('refuses a 社員区分 that hyper does not have, naming it', async () => {
    await withSession(async (session) => {
      const [result] = await session.writeEmployees(area, [
        {
          op: 'create',
          employeeCode: '3003',
          values: employee('3003', { employeeCategory: { name: '顧問' } }),
        },
      ]);
      expect(result).toMatchObject({
        ok: false,
        error: { message: expect.stringContaining('社員区分「顧問」は') },
      });
    });
  });

  it('lists with its larger page size', async () => {
    fake.seed(
      area,
      Array.from({ length: 1500 }, (_, i) => employee(String(10_000 + i))),
    );
    const listed = await withSession(list);
    expect(listed).toHaveLength(1500);
    const pages = fake.requests.filter((request) => request.url.includes(`/Find/${PCA.entities.employee}`));
    expect(pages.map((request) => new URL(request.url).searchParams.get('Limit'))).toEqual(['1000', '1000']);
  });
});
