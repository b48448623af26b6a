import { createVirtualClock, type Employee, withBusinessName } from '@renkei/core';
import { connectForTest } from '@renkei/testkit/fakes';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { definePcaConnector } from './connector.ts';
import { createPcaFake, FAKE_CREDENTIALS } from './fake/index.ts';
import { PCA_KYUYO_HYPER as HYPER, PCA_KYUYO as KYUYO } from './products.ts';

const clock = createVirtualClock(Date.UTC(2026, 3, 1), { idleTurns: 20 });
const fake = createPcaFake({ product: KYUYO, clock });
const hyperFake = createPcaFake({ product: HYPER, clock });
const server = setupServer(...fake.handlers);
const [, AREA_2026, UNPADDED] = fake.dataAreas() as [string, string, string];

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  fake.reset();
  hyperFake.reset();
});
afterAll(() => server.close());

const newcomer = (code: string, extra: Partial<Employee> = {}): Employee => ({
  employeeCode: code,
  lastName: '佐藤',
  firstName: '花子',
  ...extra,
});

async function withSession<T>(
  credentials: Record<string, string>,
  run: (session: Awaited<ReturnType<ReturnType<typeof definePcaConnector>['connect']>>) => Promise<T>,
  product = KYUYO,
) {
  const session = await connectForTest(
    definePcaConnector(product),
    { ...FAKE_CREDENTIALS, ...credentials },
    { clock },
  );
  try {
    return await run(session);
  } finally {
    await session.close();
  }
}

describe('新規登録時の部門 / 社員区分 (連携設定, optional)', () => {
  it('offers PCA’s own 部門 master of the current year, and no 社員区分 where the product has none', async () => {
    const defaults = await withSession({ newDepartment: '120' }, async (session) =>
      session.newEmployeeDefaults?.(),
    );
    expect(defaults?.map((setting) => setting.key)).toEqual(['newDepartment']);
    const [department] = defaults ?? [];
    expect(department).toMatchObject({ label: '部門', value: '120', valueLabel: '人事部' });
    expect(department?.choices).toContainEqual({ value: '120', label: '120 人事部' });
    expect(department?.choices).toHaveLength(fake.masters(AREA_2026).department.length);
    expect(definePcaConnector(KYUYO).credentials.shape.newEmployeeCategory).toBeUndefined();
  });

  it('offers 社員区分 too in 給与 hyper, from the product’s list', async () => {
    server.use(...hyperFake.handlers);
    const defaults = await withSession(
      { newEmployeeCategory: '2' },
      async (session) => session.newEmployeeDefaults?.(),
      HYPER,
    );
    expect(defaults?.map((setting) => [setting.key, setting.valueLabel])).toEqual([
      ['newDepartment', undefined],
      ['newEmployeeCategory', '管理職'],
    ]);
  });

  it('sets the 部門 on create only, and only where the HR master gives none', async () => {
    fake.seed(UNPADDED, [newcomer('500')]);
    await withSession({ newDepartment: '120' }, async (session) => {
      const results = await session.writeEmployees(UNPADDED, [
        { op: 'create', employeeCode: '501', values: newcomer('501') },
        {
          op: 'create',
          employeeCode: '502',
          values: newcomer('502', { department: { code: '130', name: '経理部' } }),
        },
        { op: 'update', employeeCode: '500', changes: { firstName: '次郎' } },
      ]);
      expect(results.map((result) => result.ok)).toEqual([true, true, true]);
    });
    const department = (code: string) => {
      const record = fake.records(UNPADDED).find((listed) => listed.employeeCode === code);
      return record?.department?.code;
    };
    expect(department('501')).toBe('120');
    expect(department('502')).toBe('130');
    expect(department('500')).toBeUndefined();
  });

  it('writes no 部門 when none is set (off by default)', async () => {
    await withSession({}, async (session) => {
      expect((await session.newEmployeeDefaults?.())?.[0]?.value).toBeUndefined();
      await session.writeEmployees(UNPADDED, [
        { op: 'create', employeeCode: '601', values: newcomer('601') },
      ]);
    });
    expect(fake.records(UNPADDED)[0]?.department).toBeUndefined();
  });

  it('refuses creates in the preview when the chosen 部門 is gone from PCA’s master, naming the setting', async () => {
    await withSession({ newDepartment: '999' }, async (session) => {
      const checks = await session.checkWrites?.(UNPADDED, [
        { op: 'create', employeeCode: '701', values: newcomer('701') },
        {
          op: 'create',
          employeeCode: '702',
          values: newcomer('702', { department: { code: '130', name: '経理部' } }),
        },
      ]);
      expect(checks).toEqual([
        {
          employeeCode: '701',
          issues: [
            expect.objectContaining({
              field: 'department',
              message: expect.stringContaining('連携設定の新規登録時の部門（コード「999」）'),
            }),
          ],
        },
      ]);
      expect((await session.newEmployeeDefaults?.())?.[0]?.valueLabel).toBe(
        'コード 999（PCAクラウド給与にありません）',
      );
    });
  });
});

describe('ビジネスネーム優先 through PCA', () => {
  it('checks PCA’s 姓 length on the name actually written, both ways', async () => {
    const employee = newcomer('801', { businessLastName: '寿限無寿限無五劫の擦り切れ' });
    await withSession({}, async (session) => {
      const legal = await session.checkWrites?.(UNPADDED, [
        { op: 'create', employeeCode: '801', values: employee },
      ]);
      expect(legal).toEqual([]);
      const business = await session.checkWrites?.(UNPADDED, [
        { op: 'create', employeeCode: '801', values: withBusinessName(employee) },
      ]);
      expect(business?.[0]?.issues).toEqual([
        expect.objectContaining({
          field: 'lastName',
          message: expect.stringContaining('寿限無寿限無五劫の擦り切れ'),
        }),
      ]);
    });
  });
});
