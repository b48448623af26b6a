import { describe, expect, it } from 'vitest';
import { withBusinessName } from './business-name.ts';

const legal = {
  employeeCode: '1001',
  lastName: '山田',
  firstName: '花子',
  lastNameKana: 'ヤマダ',
  firstNameKana: 'ハナコ',
};

describe('withBusinessName', () => {
  it('keeps an employee without a ビジネスネーム as it is (the same object)', () => {
    expect(withBusinessName(legal)).toBe(legal);
    expect(withBusinessName({ ...legal, businessLastName: '  ' })).toEqual({
      ...legal,
      businessLastName: '  ',
    });
  });

  it('writes the ビジネスネーム and its フリガナ in place of the legal name', () => {
    const employee = {
      ...legal,
      businessLastName: '鈴木',
      businessFirstName: 'はな',
      businessLastNameKana: 'スズキ',
      businessFirstNameKana: 'ハナ',
    };
    expect(withBusinessName(employee)).toMatchObject({
      lastName: '鈴木',
      firstName: 'はな',
      lastNameKana: 'スズキ',
      firstNameKana: 'ハナ',
    });
  });

  it('replaces only the part that has one (a 旧姓 keeps the legal 名) and drops a reading that would not match', () => {
    const result = withBusinessName({ ...legal, businessLastName: '鈴木' });
    expect(result).toMatchObject({ lastName: '鈴木', firstName: '花子', firstNameKana: 'ハナコ' });
    expect(result.lastNameKana).toBeUndefined();
    expect(legal.lastName).toBe('山田');
  });
});
