import { describe, expect, it } from 'vitest';
import { toListedEmployee, toVendorBody } from './mapper.ts';

const record = {
  id: 1,
  code: 'E001',
  last_name: '山田',
  first_name: '花子',
  last_name_kana: 'ヤマダ',
  first_name_kana: 'ハナコ',
  birth_date: '1990-04-01',
  hire_date: '2015-04-01',
  email: 'hanako@example.jp',
  tel: '03-1234-5678',
  status: 'leave',
};

describe('mapper', () => {
  it('reads a vendor record as a canonical employee', () => {
    expect(toListedEmployee(record)).toEqual({
      ok: true,
      employee: {
        employeeCode: 'E001',
        lastName: '山田',
        firstName: '花子',
        lastNameKana: 'ヤマダ',
        firstNameKana: 'ハナコ',
        birthDate: '1990-04-01',
        hireDate: '2015-04-01',
        email: 'hanako@example.jp',
        phone: '03-1234-5678',
        status: 'on_leave',
      },
    });
  });

  it('reports a record with an impossible date instead of throwing', () => {
    const listed = toListedEmployee({ ...record, birth_date: '1990-02-30' });
    expect(listed.ok).toBe(false);
    expect(!listed.ok && listed.issues.map((issue) => issue.field)).toEqual(['birthDate']);
  });

  it('reports a record that is not the vendor shape', () => {
    expect(toListedEmployee({ code: 'E002' })).toMatchObject({ ok: false, employeeCode: 'E002' });
  });

  it('sends only the fields asked for, in the vendor notation, and null to clear', () => {
    expect(
      toVendorBody({ status: 'retired', email: null, phone: '090-0000-0000' }, ['status', 'email']),
    ).toEqual({
      status: 'retired',
      email: null,
    });
  });
});
