import { type Employee, normaliseEmployee } from '@renkei/core';
import { PREFECTURES } from '@renkei/testkit/fakes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Crew } from './api.ts';
import { WRITABLE } from './connector.ts';
import { createStore } from './fake/store.ts';
import { type Masters, toCrewBody, toListedEmployee, withEmployeeCode } from './mapper.ts';

const masters: Masters = createStore().masters();
const orgRef = (entries: Masters[keyof Masters]) =>
  fc.constantFrom(...entries).map(({ code, name }) => ({ name, ...(code ? { code } : {}) }));
const date = fc
  .date({ min: new Date('1940-01-01'), max: new Date('2039-12-31'), noInvalidDate: true })
  .map((value) => value.toISOString().slice(0, 10));
const kanji = (max: number) => fc.stringMatching(new RegExp(`^[一-龠]{1,${max}}$`));
const katakana = (max: number) => fc.stringMatching(new RegExp(`^[ア-ン]{1,${max}}$`));

/** Every field SmartHR carries, with values SmartHR can hold (性別 is 男性 or 女性). */
const employee: fc.Arbitrary<Employee> = fc.record(
  {
    employeeCode: fc.stringMatching(/^[A-Za-z0-9-]{1,12}$/),
    lastName: kanji(4),
    firstName: kanji(4),
    lastNameKana: katakana(8),
    firstNameKana: katakana(8),
    businessLastName: kanji(4),
    businessFirstName: kanji(4),
    businessLastNameKana: katakana(8),
    businessFirstNameKana: katakana(8),
    birthDate: date,
    hireDate: date,
    retireDate: date,
    gender: fc.constantFrom('male', 'female'),
    status: fc.constantFrom('employed', 'on_leave', 'retired'),
    email: fc.stringMatching(/^[a-z][a-z0-9.]{0,10}@example\.(jp|com)$/),
    phone: fc.stringMatching(/^0\d{1,3}-\d{2,4}-\d{4}$/),
    employmentType: orgRef(masters.employmentType),
    department: orgRef(masters.department),
    jobTitle: orgRef(masters.jobTitle),
    address: fc.record(
      {
        postalCode: fc.stringMatching(/^\d{3}-\d{4}$/),
        prefecture: fc.constantFrom(...PREFECTURES.map((prefecture) => prefecture.name)),
        city: kanji(5),
        street: fc.stringMatching(/^[一-龠]{1,4}[1-9]-[1-9]{1,2}$/),
        building: kanji(6),
      },
      { requiredKeys: ['postalCode', 'prefecture', 'city'] },
    ),
    bankAccounts: fc.array(
      fc.record({
        bankCode: fc.stringMatching(/^\d{4}$/),
        branchCode: fc.stringMatching(/^\d{3}$/),
        accountType: fc.constantFrom('ordinary', 'checking', 'savings'),
        accountNumber: fc.stringMatching(/^\d{7}$/),
        holderKana: fc.tuple(katakana(6), katakana(6)).map(([last, first]) => `${last} ${first}`),
      }),
      { minLength: 1, maxLength: 2 },
    ),
  },
  { requiredKeys: ['employeeCode', 'lastName', 'firstName'] },
);

/** The employee through SmartHR: canonical → POST body → the crew SmartHR stores → canonical. */
function throughSmartHR(value: Employee) {
  const store = createStore();
  const mapped = toCrewBody(value, masters, WRITABLE, true);
  if (!mapped.ok) throw new Error(mapped.error.message);
  const email = value.email ? { email: value.email } : {};
  const stored = store.create({ ...withEmployeeCode(mapped.body, value.employeeCode), ...email });
  if (!stored.ok) throw new Error(JSON.stringify(stored.errors));
  return { crew: stored.crew, store, listed: toListedEmployee(stored.crew) };
}

describe('mapper: round trip through SmartHR’s shapes', () => {
  it('every field survives canonical → SmartHR body → stored crew → canonical', () => {
    fc.assert(
      fc.property(employee, (value) => {
        const { listed } = throughSmartHR(value);
        expect(listed).toEqual({ ok: true, employee: normaliseEmployee(value).employee });
      }),
    );
  });

  it('an update written back from a crew’s own reading changes nothing', () => {
    fc.assert(
      fc.property(employee, (value) => {
        const { crew, store, listed } = throughSmartHR(value);
        const before = structuredClone(crew);
        if (!listed.ok) throw new Error('unreadable');
        const patch = toCrewBody(listed.employee, masters, WRITABLE);
        expect(patch.ok && store.update(crew.id, patch.body)).toMatchObject({ ok: true, crew: before });
      }),
    );
  });

  it('never writes the e-mail address, which SmartHR owns', () => {
    fc.assert(
      fc.property(employee, (value) => {
        const mapped = toCrewBody({ ...value, email: 'someone@example.jp' }, masters, WRITABLE, true);
        expect(mapped.ok && 'email' in mapped.body).toBe(false);
      }),
    );
  });
});

const crew = (overrides: Partial<Crew> = {}): unknown => {
  const store = createStore();
  return { ...store.insert({ emp_code: 'E001', last_name: '山田', first_name: '花子' }), ...overrides };
};

describe('mapper: reading crews', () => {
  it('reads emp_status absent as 休職 and keeps the first 部署 and 役職', () => {
    const [first, second] = masters.department;
    const listed = toListedEmployee(
      crew({ emp_status: 'absent', departments: [first ?? null, second ?? null] }),
    );
    expect(listed).toMatchObject({
      ok: true,
      employee: { status: 'on_leave', department: { code: first?.code, name: first?.name } },
    });
  });

  it('reads the ビジネスネーム and its ヨミガナ beside the legal name', () => {
    const listed = toListedEmployee(
      crew({
        business_last_name: '鈴木',
        business_first_name: null,
        business_last_name_yomi: 'スズキ',
        business_first_name_yomi: null,
      }),
    );
    expect(listed).toMatchObject({
      ok: true,
      employee: {
        lastName: '山田',
        firstName: '花子',
        businessLastName: '鈴木',
        businessLastNameKana: 'スズキ',
      },
    });
    expect(listed.ok && 'businessFirstName' in listed.employee).toBe(false);
  });

  it('reports a crew without 社員番号 as invalid, naming the person', () => {
    expect(toListedEmployee(crew({ emp_code: null }))).toEqual({
      ok: false,
      issues: [{ field: 'employeeCode', message: expect.stringContaining('山田 花子') }],
      raw: expect.anything(),
    });
  });

  it('reports an impossible date and a record that is not a crew, without throwing', () => {
    const impossible = toListedEmployee(crew({ birth_at: '1990-02-30' }));
    expect(!impossible.ok && impossible.issues.map((issue) => issue.field)).toEqual(['birthDate']);
    expect(toListedEmployee({ emp_code: 'E002' })).toMatchObject({ ok: false, employeeCode: 'E002' });
    expect(toListedEmployee(null)).toMatchObject({ ok: false });
  });
});

describe('mapper: what SmartHR would refuse', () => {
  const refusedFields = (values: Parameters<typeof toCrewBody>[0], create = false) => {
    const mapped = toCrewBody(values, masters, WRITABLE, create);
    return mapped.ok ? [] : mapped.issues.map((issue) => issue.field);
  };

  it('requires 姓 and 名 on a create, and refuses clearing them', () => {
    expect(refusedFields({ lastName: '山田' }, true)).toEqual(['firstName']);
    expect(refusedFields({ lastName: null, firstName: ' ' })).toEqual(['lastName', 'firstName']);
  });

  it('refuses 性別 未設定 and a 部署 that is not in SmartHR’s master', () => {
    expect(refusedFields({ gender: 'unspecified', department: { name: '存在しない部' } })).toEqual([
      'gender',
      'department',
    ]);
  });

  it('matches a master by code when both have one, else by name, and clears with null', () => {
    const [type] = masters.employmentType;
    const byName = toCrewBody({ employmentType: { name: ` ${type?.name}` } }, masters, WRITABLE);
    expect(byName).toEqual({ ok: true, body: { employment_type_id: type?.id } });
    const byCode = toCrewBody({ department: { code: '300', name: '改称前の名前' } }, masters, WRITABLE);
    expect(byCode).toEqual({ ok: true, body: { department_ids: ['dep-300'] } });
    const cleared = toCrewBody({ jobTitle: null, bankAccounts: null, address: null }, masters, WRITABLE);
    expect(cleared).toEqual({ ok: true, body: { position_ids: [], bank_accounts: [], address: null } });
  });
});
