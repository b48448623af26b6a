import type { Address, BankAccount, Employee } from '@renkei/core';
import { addDays, addYears, fromDays, latest, toDays } from './dates.ts';
import {
  ACCOUNT_TYPES,
  BANKS,
  DEPARTMENT_WEIGHTS,
  DEPARTMENTS,
  EMPLOYEE_CATEGORIES,
  EMPLOYMENT_TYPES,
  JOB_TITLES,
} from './masters.ts';
import { FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES, type NameEntry } from './names.ts';
import { BUILDING_NAMES, PREFECTURES, TOWNS } from './places.ts';
import { createRng, deriveSeed, type Rng } from './random.ts';

/** "Today" for generated data, fixed so the same seed always yields the same employees. */
export const REFERENCE_DATE = '2026-04-01';

export const EMAIL_DOMAIN = 'example.co.jp';

export interface GenerateOptions {
  count: number;
  seed: number;
  /** Put before the zero-padded number: `E` → `E000001`. Default none. */
  codePrefix?: string;
  /** Digits of the number part (default 6). */
  codeWidth?: number;
  /** No date lies after this one (default `REFERENCE_DATE`). */
  referenceDate?: string;
}

/** Claims a unique e-mail local part, adding a number when the plain one is taken. */
export type EmailRegistry = (localPart: string) => string;

export function createEmailRegistry(taken: Iterable<string> = []): EmailRegistry {
  const used = new Set(taken);
  return (localPart) => {
    let address = `${localPart}@${EMAIL_DOMAIN}`;
    for (let n = 2; used.has(address); n++) address = `${localPart}${n}@${EMAIL_DOMAIN}`;
    used.add(address);
    return address;
  };
}

export function formatEmployeeCode(number: number, prefix = '', width = 6): string {
  return `${prefix}${String(number).padStart(width, '0')}`;
}

/**
 * Realistic Japanese employees, deterministic per seed. Employee i is the same whatever `count`
 * is, so a larger population extends a smaller one.
 */
export function generateEmployees(options: GenerateOptions): Employee[] {
  const { count, seed, codePrefix = '', codeWidth = 6, referenceDate = REFERENCE_DATE } = options;
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`count must be a non-negative integer: ${count}`);
  if (!Number.isInteger(codeWidth) || codeWidth < 1)
    throw new RangeError(`codeWidth must be ≥ 1: ${codeWidth}`);
  if (count > 10 ** codeWidth - 1)
    throw new RangeError(`${count} employees do not fit in ${codeWidth} digits`);
  toDays(referenceDate);
  const claimEmail = createEmailRegistry();
  return Array.from({ length: count }, (_, i) =>
    createEmployee(createRng(deriveSeed(seed, i)), {
      employeeCode: formatEmployeeCode(i + 1, codePrefix, codeWidth),
      referenceDate,
      claimEmail,
    }),
  );
}

/** Relative headcount per 雇用形態. */
const EMPLOYMENT_TYPE_WEIGHTS: Readonly<Record<string, number>> = {
  社員: 60,
  契約社員: 12,
  パートタイマー: 12,
  アルバイト: 10,
  派遣社員: 6,
};

export interface CreateEmployeeOptions {
  employeeCode: string;
  referenceDate: string;
  claimEmail: EmailRegistry;
  /** A new hire: employed, hired within the last 90 days. */
  newHire?: boolean;
}

/** One employee from a seeded random source (the generator and drift's new hires share it). */
export function createEmployee(rng: Rng, options: CreateEmployeeOptions): Employee {
  const { employeeCode, referenceDate, claimEmail, newHire = false } = options;
  const gender = rng.weighted([
    ['male', 52],
    ['female', 46],
    ['unspecified', 2],
  ] as const);
  const last = rng.pick(LAST_NAMES);
  const first = rng.pick(
    gender === 'male'
      ? MALE_FIRST_NAMES
      : gender === 'female'
        ? FEMALE_FIRST_NAMES
        : rng.pick([MALE_FIRST_NAMES, FEMALE_FIRST_NAMES]),
  );

  // Two uniforms averaged: ages cluster in the middle of 18–70, as a workforce does.
  const age = 18 + Math.floor(((rng.next() + rng.next()) / 2) * 53);
  const birthDate = randomDate(
    rng,
    addDays(addYears(referenceDate, -(age + 1)), 1),
    addYears(referenceDate, -age),
  );

  const employmentType = rng.weighted(
    EMPLOYMENT_TYPES.map((type) => [type, EMPLOYMENT_TYPE_WEIGHTS[type.name] ?? 1] as const),
  );
  const regular = employmentType.name === '社員';
  const hireDate = newHire
    ? randomDate(rng, latest(addDays(referenceDate, -90), addYears(birthDate, 18)), referenceDate)
    : pickHireDate(rng, birthDate, referenceDate, regular && age >= 23);

  const drawn = newHire
    ? 'employed'
    : rng.weighted([
        ['employed', 93],
        ['on_leave', 3],
        ['retired', 4],
      ] as const);
  // Someone hired on the reference date cannot have left yet.
  const status = drawn === 'retired' && hireDate >= referenceDate ? 'employed' : drawn;
  const retireDate = status === 'retired' ? randomDate(rng, addDays(hireDate, 1), referenceDate) : undefined;

  const titles = JOB_TITLES.filter((title) => title.minAge <= age);
  const jobTitle = regular
    ? rng.weighted(titles.map((title) => [title, title.code === '90' ? 60 : 8] as const))
    : (JOB_TITLES.at(-1) as (typeof JOB_TITLES)[number]);
  const [general, manager, shokutaku] = EMPLOYEE_CATEGORIES as [Category, Category, Category];
  const category = jobTitle.manager
    ? manager
    : employmentType.name === '契約社員' && age >= 60
      ? shokutaku
      : general;

  const employee: Employee = {
    employeeCode,
    lastName: last.kanji,
    firstName: first.kanji,
    lastNameKana: last.kana,
    firstNameKana: first.kana,
    birthDate,
    hireDate,
    gender,
    status,
    email: claimEmail(`${first.romaji}.${last.romaji}`),
    phone: randomMobile(rng),
    employmentType: { code: employmentType.code, name: employmentType.name },
    department: {
      ...rng.weighted(DEPARTMENTS.map((dept) => [dept, DEPARTMENT_WEIGHTS[dept.code] ?? 1] as const)),
    },
    jobTitle: { code: jobTitle.code, name: jobTitle.name },
    employeeCategory: { ...category },
    address: randomAddress(rng),
    bankAccounts: [randomBankAccount(rng, last, first)],
  };
  if (retireDate) employee.retireDate = retireDate;
  return employee;
}

function pickHireDate(rng: Rng, birthDate: string, referenceDate: string, graduate: boolean): string {
  const earliest = addYears(birthDate, graduate ? 22 : 18);
  const date = randomDate(rng, earliest, referenceDate);
  // Most regular hires join on 1 April (新卒一括採用).
  const april = `${date.slice(0, 4)}-04-01`;
  return graduate && rng.chance(0.5) && april >= earliest && april <= referenceDate ? april : date;
}

export function randomDate(rng: Rng, from: string, to: string): string {
  const start = toDays(from);
  const end = toDays(to);
  if (end < start) throw new RangeError(`Empty date range ${from}..${to}`);
  return fromDays(rng.int(start, end));
}

type Category = (typeof EMPLOYEE_CATEGORIES)[number];

const digits = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join('');

export function randomMobile(rng: Rng): string {
  return `${rng.pick(['090', '080', '070'])}-${digits(rng, 4)}-${digits(rng, 4)}`;
}

export function randomAddress(rng: Rng): Address {
  const prefecture = rng.weighted(PREFECTURES.map((p) => [p, p.weight] as const));
  const city = rng.pick(prefecture.cities);
  const address: Address = {
    postalCode: `${city.postalPrefix}-${digits(rng, 4)}`,
    prefecture: prefecture.name,
    city: city.name,
    street: `${rng.pick(TOWNS)}${rng.int(1, 5)}-${rng.int(1, 30)}-${rng.int(1, 20)}`,
  };
  if (rng.chance(0.45)) address.building = `${rng.pick(BUILDING_NAMES)}${rng.int(1, 9)}0${rng.int(1, 9)}`;
  return address;
}

export function randomBankAccount(rng: Rng, last: NameEntry, first: NameEntry): BankAccount {
  const bank = rng.weighted(BANKS.map((b) => [b, b.weight] as const));
  return {
    bankCode: bank.code,
    branchCode: String(rng.int(1, 999)).padStart(3, '0'),
    accountType: rng.weighted(ACCOUNT_TYPES),
    accountNumber: digits(rng, 7),
    holderKana: `${last.kana} ${first.kana}`,
  };
}
