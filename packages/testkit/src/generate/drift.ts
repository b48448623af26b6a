import type { Employee, FieldKey } from '@renkei/core';
import { addDays, ageOn, latest } from './dates.ts';
import {
  createEmailRegistry,
  createEmployee,
  formatEmployeeCode,
  REFERENCE_DATE,
  randomAddress,
  randomDate,
  randomMobile,
} from './employees.ts';
import { DEPARTMENTS, EMPLOYEE_CATEGORIES, JOB_TITLES } from './masters.ts';
import { LAST_NAMES } from './names.ts';
import {
  DATE_NOTATIONS,
  formatDate,
  toFullWidthDigits,
  toHalfWidthKana,
  toHiragana,
  upperCaseDomain,
  withoutHyphens,
  withStraySpaces,
} from './notation.ts';
import { createRng, type Rng } from './random.ts';

export interface DriftOptions {
  seed: number;
  /** Share of the population meaningfully changed, retirements included (default 0.05). */
  changed?: number;
  /** New hires, as a share of the population (default 0.01). */
  added?: number;
  /** Retirements, as a share of the population; part of `changed` (default a fifth of it). */
  retired?: number;
  /** Share of the population written in other notations that must not count as changes (default 0.2). */
  cosmetic?: number;
  /** Retirements and new hires fall on or before this date (default `REFERENCE_DATE`). */
  referenceDate?: string;
}

export interface DriftResult {
  /** The drifted population: input order, new hires appended. */
  employees: Employee[];
  /** Codes with at least one meaningful change (retirements included), in population order. */
  changed: string[];
  /** Exactly which canonical fields changed meaningfully, per changed code. */
  changedFields: Record<string, FieldKey[]>;
  /** Codes of new hires. */
  added: string[];
  /** Codes that retired (a subset of `changed`). */
  retired: string[];
  /** Codes written in other notations; those not in `changed` must plan as 差分なし. */
  cosmetic: string[];
}

/**
 * Perturbs a population the way an external system's copy drifts from the HR master: renames on
 * marriage, department moves, promotions, leave, new phones and addresses, retirements, new hires —
 * and, on top, notations (ｶﾅ, ひらがな, 和暦, full-width digits, …) that are no difference at all.
 */
export function drift(population: readonly Employee[], options: DriftOptions): DriftResult {
  const { seed, changed = 0.05, added = 0.01, cosmetic = 0.2, referenceDate = REFERENCE_DATE } = options;
  const retired = options.retired ?? changed / 5;
  for (const [name, share] of Object.entries({ changed, added, retired, cosmetic })) {
    if (!(share >= 0 && share <= 1))
      throw new RangeError(`${name} must be a share between 0 and 1: ${share}`);
  }
  const rng = createRng(seed);
  const employees = population.map(cloneEmployee);
  const n = employees.length;
  const changedFields: Record<string, FieldKey[]> = {};
  const record = (employee: Employee, fields: readonly FieldKey[]) => {
    const list = changedFields[employee.employeeCode] ?? [];
    for (const field of fields) if (!list.includes(field)) list.push(field);
    changedFields[employee.employeeCode] = list;
  };

  const retirable = employees.filter(
    (employee) => employee.status !== 'retired' && employee.hireDate && employee.hireDate < referenceDate,
  );
  const retiring = rng.sample(retirable, Math.min(Math.round(retired * n), Math.round(changed * n)));
  for (const employee of retiring) record(employee, retire(rng, employee, referenceDate));

  const retiringCodes = new Set(retiring.map((employee) => employee.employeeCode));
  const others = employees.filter((employee) => !retiringCodes.has(employee.employeeCode));
  for (const employee of rng.sample(others, Math.round(changed * n) - retiring.length)) {
    const kinds = rng.sample(
      CHANGES.filter((change) => change.applies(employee, referenceDate)),
      rng.chance(0.2) ? 2 : 1,
    );
    for (const change of kinds) record(employee, change.apply(rng, employee, referenceDate));
  }

  const cosmeticCodes: string[] = [];
  for (const employee of rng.sample(employees, Math.round(cosmetic * n))) {
    applyCosmeticVariants(rng, employee);
    cosmeticCodes.push(employee.employeeCode);
  }

  const addedEmployees = hire(rng, population, Math.round(added * n), referenceDate);
  const order = new Map(employees.map((employee, index) => [employee.employeeCode, index]));
  const inOrder = (codes: Iterable<string>) =>
    [...codes].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  return {
    employees: [...employees, ...addedEmployees],
    changed: inOrder(Object.keys(changedFields)),
    changedFields,
    added: addedEmployees.map((employee) => employee.employeeCode),
    retired: inOrder(retiringCodes),
    cosmetic: inOrder(cosmeticCodes),
  };
}

/** A deep copy that shares the (immutable) strings: a drifted 100k population stays small. */
function cloneEmployee(employee: Employee): Employee {
  const { employmentType, department, jobTitle, employeeCategory, address, bankAccounts } = employee;
  const copy: Employee = { ...employee };
  if (employmentType) copy.employmentType = { ...employmentType };
  if (department) copy.department = { ...department };
  if (jobTitle) copy.jobTitle = { ...jobTitle };
  if (employeeCategory) copy.employeeCategory = { ...employeeCategory };
  if (address) copy.address = { ...address };
  if (bankAccounts) copy.bankAccounts = bankAccounts.map((account) => ({ ...account }));
  return copy;
}

function retire(rng: Rng, employee: Employee, referenceDate: string): FieldKey[] {
  // Recently: within the last half year, and after the hire date.
  const from = latest(addDays(employee.hireDate ?? referenceDate, 1), addDays(referenceDate, -180));
  employee.status = 'retired';
  employee.retireDate = randomDate(rng, from, referenceDate);
  return ['status', 'retireDate'];
}

interface Change {
  applies(employee: Employee, referenceDate: string): boolean;
  /** Changes the employee in place; returns the fields that now differ. */
  apply(rng: Rng, employee: Employee, referenceDate: string): FieldKey[];
}

const active = (employee: Employee) => employee.status !== 'retired';

const CHANGES: readonly Change[] = [
  {
    // Marriage: a new 姓 and its reading; the bank account holder name follows.
    applies: (employee) => Boolean(employee.lastName),
    apply(rng, employee) {
      const name = rng.pick(
        LAST_NAMES.filter(
          (entry) => entry.kanji !== employee.lastName && entry.kana !== employee.lastNameKana,
        ),
      );
      employee.lastName = name.kanji;
      employee.lastNameKana = name.kana;
      const fields: FieldKey[] = ['lastName', 'lastNameKana'];
      const [main] = employee.bankAccounts ?? [];
      if (main) {
        main.holderKana = `${name.kana} ${employee.firstNameKana ?? ''}`.trim();
        fields.push('bankAccounts');
      }
      return fields;
    },
  },
  {
    applies: active,
    apply(rng, employee) {
      const { code, name } = rng.pick(DEPARTMENTS.filter((dept) => dept.code !== employee.department?.code));
      employee.department = { code, name };
      return ['department'];
    },
  },
  {
    // Promotion or new role, within what the employee's age allows; 社員区分 follows 管理職.
    applies: (employee, referenceDate) =>
      active(employee) && jobTitleCandidates(employee, referenceDate).length > 0,
    apply(rng, employee, referenceDate) {
      const title = rng.pick(jobTitleCandidates(employee, referenceDate));
      const wasManager = JOB_TITLES.find((t) => t.code === employee.jobTitle?.code)?.manager ?? false;
      employee.jobTitle = { code: title.code, name: title.name };
      if (title.manager === wasManager || !employee.employeeCategory) return ['jobTitle'];
      const category = EMPLOYEE_CATEGORIES[title.manager ? 1 : 0] as (typeof EMPLOYEE_CATEGORIES)[number];
      if (category.code === employee.employeeCategory.code) return ['jobTitle'];
      employee.employeeCategory = { ...category };
      return ['jobTitle', 'employeeCategory'];
    },
  },
  {
    applies: () => true,
    apply(rng, employee) {
      let phone = randomMobile(rng);
      while (phone === employee.phone) phone = randomMobile(rng);
      employee.phone = phone;
      return ['phone'];
    },
  },
  {
    applies: () => true,
    apply(rng, employee) {
      let address = randomAddress(rng);
      while (address.postalCode === employee.address?.postalCode) address = randomAddress(rng);
      employee.address = address;
      return ['address'];
    },
  },
  {
    // 休職 or back from it.
    applies: active,
    apply(_rng, employee) {
      employee.status = employee.status === 'on_leave' ? 'employed' : 'on_leave';
      return ['status'];
    },
  },
];

function jobTitleCandidates(employee: Employee, referenceDate: string) {
  const age = employee.birthDate ? ageOn(employee.birthDate, referenceDate) : 18;
  return JOB_TITLES.filter((title) => title.code !== employee.jobTitle?.code && title.minAge <= age);
}

function hire(rng: Rng, population: readonly Employee[], count: number, referenceDate: string): Employee[] {
  if (count === 0) return [];
  const last = population.reduce<{ prefix: string; number: number; width: number } | undefined>(
    (max, employee) => {
      const match = /^(.*?)(\d+)$/.exec(employee.employeeCode);
      if (!match) return max;
      const number = Number(match[2]);
      return max && max.number >= number
        ? max
        : { prefix: match[1] ?? '', number, width: match[2]?.length ?? 6 };
    },
    undefined,
  ) ?? { prefix: '', number: 0, width: 6 };
  const taken = new Set(population.map((employee) => employee.employeeCode));
  const claimEmail = createEmailRegistry(
    population.flatMap((employee) => (employee.email ? [employee.email] : [])),
  );
  const hires: Employee[] = [];
  for (let number = last.number + 1; hires.length < count; number++) {
    const employeeCode = formatEmployeeCode(number, last.prefix, last.width);
    if (taken.has(employeeCode)) continue;
    hires.push(
      createEmployee(createRng(rng.int(0, 2 ** 32 - 1)), {
        employeeCode,
        referenceDate,
        claimEmail,
        newHire: true,
      }),
    );
  }
  return hires;
}

interface Variant {
  applies(employee: Employee): boolean;
  apply(rng: Rng, employee: Employee): void;
}

const has = (key: keyof Employee) => (employee: Employee) => employee[key] !== undefined;

/** Notations external systems really use; none of them may count as a difference. */
const VARIANTS: readonly Variant[] = [
  {
    applies: (employee) => has('lastNameKana')(employee) || has('firstNameKana')(employee),
    apply(rng, employee) {
      const convert = rng.pick([toHalfWidthKana, toHiragana]);
      if (employee.lastNameKana) employee.lastNameKana = convert(employee.lastNameKana);
      if (employee.firstNameKana) employee.firstNameKana = convert(employee.firstNameKana);
    },
  },
  {
    applies: has('lastName'),
    apply(_rng, employee) {
      employee.lastName = withStraySpaces(employee.lastName ?? '');
    },
  },
  ...(['birthDate', 'hireDate', 'retireDate'] as const).map(
    (field): Variant => ({
      applies: has(field),
      apply(rng, employee) {
        employee[field] = formatDate(employee[field] ?? '', rng.pick(DATE_NOTATIONS));
      },
    }),
  ),
  {
    applies: has('phone'),
    apply(rng, employee) {
      employee.phone = rng.pick([withoutHyphens, toFullWidthDigits])(employee.phone ?? '');
    },
  },
  {
    applies: has('email'),
    apply(_rng, employee) {
      employee.email = upperCaseDomain(employee.email ?? '');
    },
  },
  {
    applies: has('address'),
    apply(rng, employee) {
      const address = employee.address;
      if (!address) return;
      address.postalCode = rng.pick([withoutHyphens, (code: string) => `〒${code}`])(address.postalCode);
      if (address.street) address.street = toFullWidthDigits(address.street);
    },
  },
  {
    // Banks print holder names in half-width kana.
    applies: (employee) => Boolean(employee.bankAccounts?.length),
    apply(_rng, employee) {
      for (const account of employee.bankAccounts ?? [])
        account.holderKana = toHalfWidthKana(account.holderKana);
    },
  },
];

/** Rewrites one to three of an employee's values in another notation, in place. */
export function applyCosmeticVariants(rng: Rng, employee: Employee): void {
  const applicable = VARIANTS.filter((variant) => variant.applies(employee));
  for (const variant of rng.sample(applicable, rng.int(1, 3))) variant.apply(rng, employee);
}
