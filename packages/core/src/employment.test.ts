import { describe, expect, it } from 'vitest';
import { isEmployedOn } from './employment.ts';

const on = '2026-04-01';

describe('isEmployedOn (在籍者のみ, 情報取得基準日)', () => {
  it('keeps who was employed that day, by 入社年月日, 退職年月日 and 在籍状況', () => {
    expect(isEmployedOn({ employeeCode: '1' }, on)).toBe(true);
    expect(isEmployedOn({ employeeCode: '1', status: 'on_leave' }, on)).toBe(true);
    expect(isEmployedOn({ employeeCode: '1', hireDate: '2026-04-01' }, on)).toBe(true);
    expect(isEmployedOn({ employeeCode: '1', hireDate: '2026-04-02' }, on)).toBe(false);
    // The 退職年月日 is the last day employed.
    expect(isEmployedOn({ employeeCode: '1', retireDate: '2026-04-01', status: 'retired' }, on)).toBe(true);
    expect(isEmployedOn({ employeeCode: '1', retireDate: '2026-03-31' }, on)).toBe(false);
    expect(isEmployedOn({ employeeCode: '1', retireDate: '2026/3/31' }, on)).toBe(false);
    // Retiring later: employed on the basis date even if the master already says 退職.
    expect(isEmployedOn({ employeeCode: '1', retireDate: '2026-09-30', status: 'retired' }, on)).toBe(true);
    // A 退職者 without 退職年月日.
    expect(isEmployedOn({ employeeCode: '1', status: 'retired' }, on)).toBe(false);
  });
});
