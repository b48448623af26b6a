import { isDeepStrictEqual } from 'node:util';
import { type Employee, FIELD_KEYS, type FieldKey, fieldValuesEqual } from '@renkei/core';
import { describe, expect, it } from 'vitest';
import { addDays } from './dates.ts';
import { drift } from './drift.ts';
import { generateEmployees, REFERENCE_DATE } from './employees.ts';

const original = generateEmployees({ count: 2000, seed: 11 });
const snapshot = structuredClone(original);
const result = drift(original, { seed: 5 });
const byCode = new Map(original.map((employee) => [employee.employeeCode, employee]));
const drifted = new Map(result.employees.map((employee) => [employee.employeeCode, employee]));

const differingFields = (a: Employee, b: Employee) =>
  (Object.keys({ ...a, ...b }) as (keyof Employee)[]).filter((key) => !isDeepStrictEqual(a[key], b[key]));

describe('drift', () => {
  it('is deterministic per seed and leaves its input alone', () => {
    expect(drift(original, { seed: 5 })).toEqual(result);
    expect(drift(original, { seed: 6 }).changed).not.toEqual(result.changed);
    expect(original).toEqual(snapshot);
  });

  it('changes, retires, adds and re-notates the requested shares', () => {
    expect(result.changed).toHaveLength(100);
    expect(result.retired).toHaveLength(20);
    expect(result.added).toHaveLength(20);
    expect(result.cosmetic).toHaveLength(400);
    expect(result.retired.every((code) => result.changed.includes(code))).toBe(true);
    expect(result.employees).toHaveLength(2020);
    const custom = drift(original, { seed: 5, changed: 0.1, added: 0, retired: 0, cosmetic: 0 });
    expect([
      custom.changed.length,
      custom.added.length,
      custom.retired.length,
      custom.cosmetic.length,
    ]).toEqual([200, 0, 0, 0]);
  });

  it('leaves every employee it does not report untouched', () => {
    const reported = new Set([...result.changed, ...result.cosmetic]);
    for (const employee of original) {
      if (!reported.has(employee.employeeCode)) expect(drifted.get(employee.employeeCode)).toEqual(employee);
    }
  });

  it('reports exactly the fields it changed', () => {
    const cosmetic = new Set(result.cosmetic);
    for (const code of result.changed.filter((c) => !cosmetic.has(c))) {
      const fields = differingFields(byCode.get(code) as Employee, drifted.get(code) as Employee);
      expect(new Set(fields)).toEqual(new Set(result.changedFields[code]));
    }
    const kinds = new Set(Object.values(result.changedFields).flat());
    for (const field of [
      'lastName',
      'department',
      'jobTitle',
      'phone',
      'address',
      'status',
      'retireDate',
    ] satisfies FieldKey[]) {
      expect(kinds.has(field)).toBe(true);
    }
  });

  it('changes the reading and the bank holder with the name on marriage', () => {
    const renamed = result.changed.filter((code) => result.changedFields[code]?.includes('lastName'));
    expect(renamed.length).toBeGreaterThan(0);
    for (const code of renamed.filter((c) => !result.cosmetic.includes(c))) {
      const before = byCode.get(code) as Employee;
      const after = drifted.get(code) as Employee;
      expect(after.lastNameKana).not.toBe(before.lastNameKana);
      expect(after.bankAccounts?.[0]?.holderKana).toBe(`${after.lastNameKana} ${after.firstNameKana}`);
    }
  });

  it('retires recently, after the hire date', () => {
    for (const code of result.retired) {
      const before = byCode.get(code) as Employee;
      const after = drifted.get(code) as Employee;
      expect(before.status).not.toBe('retired');
      expect(after.status).toBe('retired');
      if (!result.cosmetic.includes(code)) {
        expect(after.retireDate && after.retireDate > (before.hireDate as string)).toBe(true);
        expect(after.retireDate && after.retireDate <= REFERENCE_DATE).toBe(true);
      }
    }
  });

  it('hires with the next codes, recently, with e-mails nobody has', () => {
    expect(result.added).toEqual(Array.from({ length: 20 }, (_, i) => String(2001 + i).padStart(6, '0')));
    const emails = new Set(original.map((employee) => employee.email));
    for (const code of result.added) {
      const hire = drifted.get(code) as Employee;
      expect(hire.status).toBe('employed');
      expect((hire.hireDate as string) >= addDays(REFERENCE_DATE, -90)).toBe(true);
      expect(emails.has(hire.email)).toBe(false);
    }
  });

  it('re-notates values without changing what they mean', () => {
    const cosmeticOnly = result.cosmetic.filter((code) => !result.changed.includes(code));
    for (const code of cosmeticOnly) {
      const before = byCode.get(code) as Employee;
      const after = drifted.get(code) as Employee;
      expect(after).not.toEqual(before);
      // Every difference is one of notation: NFKC and katakana folding bring the text back.
      const fold = (value: unknown) =>
        JSON.stringify(value)
          .normalize('NFKC')
          .replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60))
          .replace(/[\s〒-]/g, '')
          .toLowerCase();
      for (const field of differingFields(before, after)) {
        if (field.endsWith('Date')) expect(after[field]).not.toMatch(/^\d{4}-\d{2}-\d{2}$/);
        else expect(fold(after[field])).toBe(fold(before[field]));
      }
    }
  });

  it("differs under core's comparison in exactly the reported fields, notations included", () => {
    const everything = drift(original, { seed: 8, cosmetic: 1 });
    expect(everything.cosmetic).toHaveLength(original.length);
    for (const employee of everything.employees.slice(0, original.length)) {
      const before = byCode.get(employee.employeeCode) as Employee;
      const differing = FIELD_KEYS.filter(
        (field) => !fieldValuesEqual(field, before[field], employee[field]),
      );
      expect(new Set(differing)).toEqual(new Set(everything.changedFields[employee.employeeCode] ?? []));
    }
  });

  it('refuses shares outside 0–1', () => {
    expect(() => drift(original, { seed: 1, changed: 1.5 })).toThrow(RangeError);
    expect(() => drift(original, { seed: 1, cosmetic: -0.1 })).toThrow(RangeError);
  });
});
