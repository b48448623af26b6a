import { Employee } from '@renkei/core';
import { describe, expect, it } from 'vitest';
import { addYears, ageOn, fromDays, toDays } from './dates.ts';
import { generateEmployees, REFERENCE_DATE } from './employees.ts';
import {
  DEPARTMENTS,
  EMPLOYEE_CATEGORIES,
  EMPLOYMENT_TYPES,
  findEmploymentType,
  JOB_TITLES,
} from './masters.ts';
import { FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES } from './names.ts';
import { PREFECTURES } from './places.ts';

const KATAKANA = /^[\u30A1-\u30FC]+$/;
const population = generateEmployees({ count: 3000, seed: 42 });
const isIsoDate = (value: string | undefined) => value !== undefined && fromDays(toDays(value)) === value;

describe('generateEmployees', () => {
  it('is deterministic per seed and differs between seeds', () => {
    expect(generateEmployees({ count: 200, seed: 42 })).toEqual(population.slice(0, 200));
    const other = generateEmployees({ count: 200, seed: 43 });
    const same = other.filter((employee, i) => JSON.stringify(employee) === JSON.stringify(population[i]));
    expect(same).toHaveLength(0);
  });

  it('extends a smaller population when asked for more (employee i does not depend on count)', () => {
    expect(generateEmployees({ count: 10, seed: 7 })).toEqual(
      generateEmployees({ count: 25, seed: 7 }).slice(0, 10),
    );
  });

  it('yields canonical employees with unique, zero-padded codes', () => {
    for (const employee of population) expect(Employee.safeParse(employee).success).toBe(true);
    expect(population[0]?.employeeCode).toBe('000001');
    expect(population.at(-1)?.employeeCode).toBe('003000');
    expect(new Set(population.map((e) => e.employeeCode)).size).toBe(population.length);
    const prefixed = generateEmployees({ count: 3, seed: 1, codePrefix: 'E', codeWidth: 4 });
    expect(prefixed.map((e) => e.employeeCode)).toEqual(['E0001', 'E0002', 'E0003']);
  });

  it('gives kanji names with the matching katakana reading', () => {
    const lastReadings = new Map(LAST_NAMES.map((name) => [name.kanji, name.kana]));
    const firstReadings = new Map(
      [...MALE_FIRST_NAMES, ...FEMALE_FIRST_NAMES].map((name) => [name.kanji, name.kana]),
    );
    for (const e of population) {
      expect(e.lastNameKana).toBe(lastReadings.get(e.lastName ?? ''));
      expect(e.firstNameKana).toBe(firstReadings.get(e.firstName ?? ''));
      expect(e.lastNameKana).toMatch(KATAKANA);
      expect(e.firstNameKana).toMatch(KATAKANA);
    }
    expect(LAST_NAMES.length).toBeGreaterThanOrEqual(100);
    expect(MALE_FIRST_NAMES.length + FEMALE_FIRST_NAMES.length).toBeGreaterThanOrEqual(100);
    for (const name of [...LAST_NAMES, ...MALE_FIRST_NAMES, ...FEMALE_FIRST_NAMES])
      expect(name.kana).toMatch(KATAKANA);
  });

  it('matches given names to gender', () => {
    const male = new Set(MALE_FIRST_NAMES.map((name) => name.kanji));
    const female = new Set(FEMALE_FIRST_NAMES.map((name) => name.kanji));
    for (const e of population) {
      if (e.gender === 'male') expect(male.has(e.firstName ?? '')).toBe(true);
      if (e.gender === 'female') expect(female.has(e.firstName ?? '')).toBe(true);
    }
  });

  it('dates are real, ages 18–70, hired after 18 and never after the reference date', () => {
    for (const e of population) {
      expect(isIsoDate(e.birthDate) && isIsoDate(e.hireDate)).toBe(true);
      const birthDate = e.birthDate as string;
      const hireDate = e.hireDate as string;
      expect(ageOn(birthDate, REFERENCE_DATE)).toBeGreaterThanOrEqual(18);
      expect(ageOn(birthDate, REFERENCE_DATE)).toBeLessThanOrEqual(70);
      expect(hireDate >= addYears(birthDate, 18)).toBe(true);
      expect(hireDate <= REFERENCE_DATE).toBe(true);
      if (e.status === 'retired') {
        expect(isIsoDate(e.retireDate)).toBe(true);
        expect((e.retireDate as string) > hireDate && (e.retireDate as string) <= REFERENCE_DATE).toBe(true);
      } else {
        expect(e.retireDate).toBeUndefined();
      }
    }
  });

  it('is mostly employed, with some on leave and some retired', () => {
    const count = (status: string) => population.filter((e) => e.status === status).length;
    expect(count('employed') / population.length).toBeGreaterThan(0.85);
    expect(count('on_leave')).toBeGreaterThan(0);
    expect(count('retired')).toBeGreaterThan(0);
  });

  it('uses only the exported masters, and every entry of them', () => {
    const codes = (list: readonly { code: string; name: string }[]) =>
      list.map(({ code, name }) => `${code}:${name}`);
    const used = (pick: (e: Employee) => { code?: string; name: string } | undefined) =>
      new Set(population.map((e) => `${pick(e)?.code}:${pick(e)?.name}`));
    expect(used((e) => e.department)).toEqual(new Set(codes(DEPARTMENTS)));
    expect(used((e) => e.jobTitle)).toEqual(new Set(codes(JOB_TITLES)));
    expect(used((e) => e.employmentType)).toEqual(new Set(codes(EMPLOYMENT_TYPES)));
    expect(used((e) => e.employeeCategory)).toEqual(new Set(codes(EMPLOYEE_CATEGORIES)));
  });

  it('gives titles only to employees old enough for them', () => {
    for (const e of population) {
      const title = JOB_TITLES.find((t) => t.code === e.jobTitle?.code);
      expect(ageOn(e.birthDate as string, REFERENCE_DATE)).toBeGreaterThanOrEqual(title?.minAge ?? 99);
    }
  });

  it('gives unique e-mails, mobile numbers, real prefectures and postal codes of their city', () => {
    expect(new Set(population.map((e) => e.email)).size).toBe(population.length);
    const cities = new Map(
      PREFECTURES.flatMap((p) => p.cities.map((c) => [`${p.name}${c.name}`, c.postalPrefix])),
    );
    expect(new Set(PREFECTURES.map((p) => p.name)).size).toBe(47);
    for (const e of population) {
      expect(e.email).toMatch(/^[a-z]+\.[a-z]+\d*@example\.co\.jp$/);
      expect(e.phone).toMatch(/^0[789]0-\d{4}-\d{4}$/);
      const address = e.address as NonNullable<Employee['address']>;
      expect(address.postalCode).toMatch(/^\d{3}-\d{4}$/);
      expect(address.postalCode.slice(0, 3)).toBe(cities.get(address.prefecture + address.city));
    }
  });

  it('gives a bank account whose holder is the reading of the name', () => {
    for (const e of population) {
      const [account, ...rest] = e.bankAccounts ?? [];
      expect(rest).toHaveLength(0);
      expect(account?.bankCode).toMatch(/^\d{4}$/);
      expect(account?.branchCode).toMatch(/^\d{3}$/);
      expect(account?.accountNumber).toMatch(/^\d{7}$/);
      expect(account?.holderKana).toBe(`${e.lastNameKana} ${e.firstNameKana}`);
    }
  });

  it('refuses impossible options', () => {
    expect(() => generateEmployees({ count: -1, seed: 1 })).toThrow(RangeError);
    expect(() => generateEmployees({ count: 100, seed: 1, codeWidth: 2 })).toThrow(RangeError);
    expect(() => generateEmployees({ count: 1, seed: 1, referenceDate: '2026/04/01' })).toThrow(RangeError);
  });
});

describe('employment types', () => {
  it('are named as Jobcan names them and found by the HR wording too', () => {
    expect(EMPLOYMENT_TYPES.map((type) => type.name)).toEqual([
      '社員',
      '契約社員',
      'パートタイマー',
      'アルバイト',
      '派遣社員',
    ]);
    expect(findEmploymentType('正社員')?.name).toBe('社員');
    expect(findEmploymentType(' 社員 ')?.code).toBe('1');
    expect(findEmploymentType('パート')?.name).toBe('パートタイマー');
    expect(findEmploymentType('役員')).toBeUndefined();
  });
});
