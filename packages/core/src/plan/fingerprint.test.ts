import { describe, expect, it } from 'vitest';
import { fieldValuesEqual } from './compare.ts';
import { canonicalJson, fingerprintEmployee, hashText } from './fingerprint.ts';

describe('hashText', () => {
  it('gives 16 hex digits that tell texts apart', () => {
    const hashes = ['', 'a', 'b', 'ab', 'ba', '山田', 'ヤマダ'].map(hashText);
    for (const hash of hashes) expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(hashes).size).toBe(hashes.length);
    expect(hashText('山田')).toBe(hashText('山田'));
  });
});

describe('canonicalJson', () => {
  it('sorts keys and leaves out undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: undefined, c: ['x'] } })).toBe('{"a":{"c":["x"]},"b":1}');
  });
});

describe('fingerprintEmployee', () => {
  const employee = {
    employeeCode: 'E1',
    lastName: '山田',
    lastNameKana: 'ヤマダ',
    birthDate: '1990-04-01',
    department: { code: 'D1', name: '営業部' },
  };

  it('is null for an absent record', () => {
    expect(fingerprintEmployee(undefined, ['lastName'])).toBeNull();
  });

  it('is stable across key order, field order and cosmetic variants', () => {
    const reordered = {
      department: { name: '営業部', code: 'D1' },
      birthDate: '平成2年4月1日',
      lastNameKana: 'ﾔﾏﾀﾞ',
      lastName: '山田\u3000',
      employeeCode: 'E1',
    };
    const fields = ['lastName', 'lastNameKana', 'birthDate', 'department'] as const;
    const fingerprint = fingerprintEmployee(employee, fields);
    expect(fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprintEmployee(reordered, [...fields].reverse())).toBe(fingerprint);
  });

  it('moves when a compared value moves, not when another one does', () => {
    const fields = ['lastName', 'birthDate'] as const;
    const fingerprint = fingerprintEmployee(employee, fields);
    expect(fingerprintEmployee({ ...employee, birthDate: '1990-04-02' }, fields)).not.toBe(fingerprint);
    expect(fingerprintEmployee({ ...employee, lastNameKana: 'ヤマモト' }, fields)).toBe(fingerprint);
    expect(fingerprintEmployee({ ...employee, birthDate: undefined }, fields)).not.toBe(fingerprint);
  });

  it('fingerprints an unreadable value as read, distinct from empty', () => {
    const fields = ['birthDate'] as const;
    const broken = fingerprintEmployee({ employeeCode: 'E1', birthDate: '2023-02-30' }, fields);
    expect(broken).not.toBe(fingerprintEmployee({ employeeCode: 'E1' }, fields));
    expect(broken).toBe(fingerprintEmployee({ employeeCode: 'E1', birthDate: '2023-02-30' }, fields));
  });
});

describe('fieldValuesEqual', () => {
  it('compares normalised raw values', () => {
    expect(fieldValuesEqual('lastNameKana', 'ﾔﾏﾀﾞ', 'やまだ')).toBe(true);
    expect(fieldValuesEqual('birthDate', '1990/4/1', '1990-04-01')).toBe(true);
    expect(fieldValuesEqual('phone', '03-1234-5678', '0312345678')).toBe(true);
    expect(fieldValuesEqual('birthDate', '1990/4/1', '1990-04-02')).toBe(false);
  });

  it('treats null, undefined and blank as the same empty', () => {
    expect(fieldValuesEqual('email', null, undefined)).toBe(true);
    expect(fieldValuesEqual('email', '', null)).toBe(true);
    expect(fieldValuesEqual('email', '', 'a@b.jp')).toBe(false);
  });

  it('equals an unreadable value only to itself', () => {
    expect(fieldValuesEqual('birthDate', '2023-02-30', '2023-02-30')).toBe(true);
    expect(fieldValuesEqual('birthDate', '2023-02-30', '2023-03-02')).toBe(false);
    expect(fieldValuesEqual('birthDate', '2023-02-30', undefined)).toBe(false);
  });
});
