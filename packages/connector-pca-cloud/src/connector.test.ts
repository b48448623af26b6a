import { createVirtualClock, type Employee, type ListedEmployee } from '@renkei/core';
import { connectForTest } from '@renkei/testkit';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPcaCloudFake, FAKE_CREDENTIALS } from './fake/index.ts';
import pcaCloud from './index.ts';

const clock = createVirtualClock(Date.UTC(2026, 3, 1), { idleTurns: 20 });
const fake = createPcaCloudFake({ clock });
const server = setupServer(...fake.handlers);
const area = fake.dataAreas()[2] as string;

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => fake.reset());
afterAll(() => server.close());

const account = (n: number) => ({
  bankCode: '0009',
  branchCode: '123',
  accountType: 'ordinary' as const,
  accountNumber: `765432${n}`,
  holderKana: 'タナカ イチロウ',
});
const employee = (bankAccounts: Employee['bankAccounts']): Employee => ({
  employeeCode: '2001',
  lastName: '田中',
  firstName: '一郎',
  gender: 'male',
  employeeCategory: { code: '2', name: '管理職' },
  bankAccounts,
});

async function withSession<T>(run: (session: Awaited<ReturnType<typeof pcaCloud.connect>>) => Promise<T>) {
  const session = await connectForTest(pcaCloud, FAKE_CREDENTIALS, { clock });
  try {
    return await run(session);
  } finally {
    await session.close();
  }
}

describe('PCAクラウド給与', () => {
  it('declares its product, data areas and no 社員区分', () => {
    expect(pcaCloud.id).toBe('pca-cloud');
    expect(pcaCloud.hasDataAreas).toBe(true);
    expect(pcaCloud.fields.bankAccounts).toBe('readWrite');
    expect(pcaCloud.fields.employeeCategory).toBeUndefined();
    expect(pcaCloud.limits.writeBatchSize).toBe(10);
  });

  it('labels the 連携設定 form in Japanese and marks the secrets', () => {
    const shape = pcaCloud.credentials.shape;
    expect(shape.serviceId.meta()).toMatchObject({ label: 'サービスID' });
    expect(shape.servicePassword.meta()).toMatchObject({ label: 'サービスパスワード', secret: true });
    expect(shape.password.meta()).toMatchObject({ label: 'アプリパスワード', secret: true });
    expect(shape.clientSecret.meta()).toMatchObject({ label: 'クライアントシークレット', secret: true });
    expect(shape.datacenter.meta()).toMatchObject({ label: 'データセンター' });
    expect(pcaCloud.credentials.safeParse({ ...FAKE_CREDENTIALS, datacenter: 'south99' }).success).toBe(
      false,
    );
  });

  it('writes one bank account and refuses a second one with a clear message', async () => {
    await withSession(async (session) => {
      const [two] = await session.writeEmployees(area, [
        { op: 'create', employeeCode: '2001', values: employee([account(1), account(2)]) },
      ]);
      expect(two).toMatchObject({
        ok: false,
        error: {
          kind: 'validation',
          message: 'PCAクラウド給与に登録できる給与振込口座は1つまでです（2口座が指定されています）。',
        },
      });
      const [one] = await session.writeEmployees(area, [
        { op: 'create', employeeCode: '2001', values: employee([account(1)]) },
      ]);
      expect(one).toMatchObject({ ok: true });
      const listed: ListedEmployee[] = [];
      for await (const item of session.listEmployees(area)) listed.push(item);
      expect(listed[0]).toMatchObject({ ok: true, employee: { bankAccounts: [account(1)] } });
      expect(listed[0]?.ok && listed[0].employee.employeeCategory).toBeUndefined();
    });
    expect(fake.writtenFields().has('employeeCategory')).toBe(false);
  });
});
