import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../testing/hub.ts';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
  for (let i = 1; i <= 30; i++) {
    await t.hub.employees.create(t.admin.id, {
      employeeCode: `E${String(i).padStart(4, '0')}`,
      lastName: i === 7 ? '山田' : '佐藤',
      firstName: i === 7 ? '太郎' : `花子${i}`,
      lastNameKana: i === 7 ? 'ヤマダ' : 'サトウ',
      firstNameKana: i === 7 ? 'タロウ' : 'ハナコ',
      status: 'employed',
    });
  }
});
afterAll(() => t.close());

describe('従業員リスト', () => {
  it('pages in 社員番号 order', async () => {
    const page = await t.hub.employees.list({ page: 2, pageSize: 10 });
    expect(page.total).toBe(30);
    expect(page.items.map((record) => record.employee.employeeCode)).toEqual(
      Array.from({ length: 10 }, (_, i) => `E${String(i + 11).padStart(4, '0')}`),
    );
  });

  it('searches 社員番号, name and kana (width, spacing and hiragana folded)', async () => {
    const codes = async (search: string) =>
      (await t.hub.employees.list({ search })).items.map((record) => record.employee.employeeCode);
    expect(await codes('e0007')).toEqual(['E0007']);
    expect(await codes('Ｅ０００７')).toEqual(['E0007']);
    expect(await codes('山田 太郎')).toEqual(['E0007']);
    expect(await codes('やまだ')).toEqual(['E0007']);
    expect(await codes('ﾔﾏﾀﾞ')).toEqual(['E0007']);
    expect(await codes('100%')).toEqual([]);
    expect((await t.hub.employees.list({ search: 'サトウ' })).total).toBe(29);
  });

  it('updates with a patch, clears with null, and keeps the audit trail', async () => {
    const updated = await t.hub.employees.update(t.admin.id, 'E0001', {
      department: { code: 'D1', name: '人事部' },
      status: null,
    });
    expect(updated.employee.department).toEqual({ code: 'D1', name: '人事部' });
    expect(updated.employee).not.toHaveProperty('status');
    expect(updated.updatedBy).toBe(`user:${t.admin.id}`);
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(updated.createdAt.getTime());
    const history = await t.hub.employees.history('E0001');
    expect(history.map((entry) => entry.op)).toEqual(['update', 'create']);
    expect(history[0]?.changes).toEqual([
      { field: 'status', before: 'employed', after: null },
      { field: 'department', before: null, after: { code: 'D1', name: '人事部' } },
    ]);
  });

  it('refuses invalid input with field issues and loses nothing', async () => {
    await expect(
      t.hub.employees.create(t.admin.id, { employeeCode: 'E0100', gender: 'other' }),
    ).rejects.toMatchObject({ kind: 'validation', issues: [{ field: 'gender' }] });
    await expect(t.hub.employees.create(t.admin.id, { employeeCode: 'E0001' })).rejects.toMatchObject({
      kind: 'conflict',
    });
    await expect(t.hub.employees.update(t.admin.id, 'E9999', { lastName: 'x' })).rejects.toMatchObject({
      kind: 'not_found',
    });
    expect((await t.hub.employees.get('E0001'))?.employee.lastName).toBe('佐藤');
    expect(await t.hub.employees.get('E0100')).toBeNull();
  });

  it('refuses a control character in any field or part rather than dropping it, on create and update', async () => {
    await expect(
      t.hub.employees.create(t.admin.id, { employeeCode: 'E0200', lastName: '山\u0000田' }),
    ).rejects.toMatchObject({
      kind: 'validation',
      issues: [{ field: 'lastName', message: '姓に使えない文字（制御文字 U+0000）が含まれています。' }],
    });
    await expect(
      t.hub.employees.create(t.admin.id, { employeeCode: 'E\u00070201', lastName: '山田' }),
    ).rejects.toMatchObject({
      issues: [
        { field: 'employeeCode', message: '社員番号に使えない文字（制御文字 U+0007）が含まれています。' },
      ],
    });
    await expect(
      t.hub.employees.update(t.admin.id, 'E0002', { address: { city: '\u000C千代田区' } }),
    ).rejects.toMatchObject({
      issues: [
        { field: 'address', message: '住所（市区町村）に使えない文字（制御文字 U+000C）が含まれています。' },
      ],
    });
    const account = {
      bankCode: '0001',
      branchCode: '001',
      accountType: 'ordinary',
      accountNumber: '1234567',
    };
    await expect(
      t.hub.employees.update(t.admin.id, 'E0002', {
        bankAccounts: [
          { ...account, holderKana: 'サトウ' },
          { ...account, holderKana: 'サトウ\u007F' },
        ],
      }),
    ).rejects.toMatchObject({
      issues: [
        {
          field: 'bankAccounts',
          message: '給与振込口座2（口座名義（カナ））に使えない文字（制御文字 U+007F）が含まれています。',
        },
      ],
    });
    expect(await t.hub.employees.get('E0200')).toBeNull();
    expect((await t.hub.employees.get('E0002'))?.employee.address).toBeUndefined();
    // TAB, LF and CR are whitespace, as before.
    const saved = await t.hub.employees.update(t.admin.id, 'E0002', { firstName: '花\t子\r\n' });
    expect(saved.employee.firstName).toBe('花 子');
  });
});
