import { createVirtualClock, type Employee } from '@renkei/core';
import { connectForTest } from '@renkei/testkit';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createJobcanFake, FAKE_CREDENTIALS } from './fake/index.ts';
import jobcan from './index.ts';

const clock = createVirtualClock(Date.UTC(2026, 3, 1));
const fake = createJobcanFake({ clock });
const server = setupServer(...fake.handlers);
const area = 'default';
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => fake.reset());
afterAll(() => server.close());

const connect = (settings: Record<string, string> = {}) =>
  connectForTest(jobcan, { ...FAKE_CREDENTIALS, ...settings }, { clock });
const person = (code: string, extra: Partial<Employee> = {}): Employee => ({
  employeeCode: code,
  lastName: '佐藤',
  firstName: '花子',
  ...extra,
});
const stored = (code: string) => fake.rawRecords().find((record) => record.code === code);

describe('新規登録時の既定値 (連携設定)', () => {
  it("offers Jobcan's own groups and スタッフ種別, and names the ones set", async () => {
    const session = await connect({ newMainGroup: '2', newWorkKind: '4' });
    const defaults = await session.newEmployeeDefaults?.();
    expect(defaults?.map(({ key, label, value, valueLabel }) => ({ key, label, value, valueLabel }))).toEqual(
      [
        { key: 'newMainGroup', label: 'メイングループ', value: '2', valueLabel: '営業部' },
        { key: 'newWorkKind', label: 'スタッフ種別', value: '4', valueLabel: '社員' },
      ],
    );
    expect(defaults?.[0]?.choices).toContainEqual({ value: '1', label: '本社' });
    await session.close();
  });

  it('creates staff in the chosen メイングループ, with the スタッフ種別 only where there is no 雇用形態', async () => {
    const session = await connect({ newMainGroup: '2', newWorkKind: '4' });
    const results = await session.writeEmployees(area, [
      { op: 'create', employeeCode: 'N1', values: person('N1') },
    ]);
    expect(results).toMatchObject([{ ok: true }]);
    await session.writeEmployees(area, [
      { op: 'create', employeeCode: 'N2', values: person('N2', { employmentType: { name: 'アルバイト' } }) },
    ]);
    expect(stored('N1')).toMatchObject({ main_group: 2, work_kind: 4 });
    expect(stored('N2')).toMatchObject({ main_group: 2, work_kind: 2 });
    // Without settings: no group, and 【未分類】 (Jobcan's own default).
    const plain = await connect();
    await plain.writeEmployees(area, [{ op: 'create', employeeCode: 'N3', values: person('N3') }]);
    expect(stored('N3')).toMatchObject({ main_group: null, work_kind: 6 });
  });

  it('refuses creates in the preview when a chosen default is gone from Jobcan, and still updates', async () => {
    fake.seed(area, [person('U1')]);
    const session = await connect({ newMainGroup: '99' });
    const checks = await session.checkWrites?.(area, [
      { op: 'create', employeeCode: 'N9', values: person('N9') },
      { op: 'update', employeeCode: 'U1', changes: { firstName: '華子' } },
    ]);
    expect(checks).toEqual([
      {
        employeeCode: 'N9',
        issues: [
          expect.objectContaining({
            message: expect.stringContaining('新規登録時のメイングループ」（ID 99）'),
          }),
        ],
      },
    ]);
  });
});
