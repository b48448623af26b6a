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
});
