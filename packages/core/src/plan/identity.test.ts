import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConnectorFields } from '../connector.ts';
import type { Employee } from '../employee.ts';
import { identityMismatch, identityOf } from './identity.ts';
import { plan } from './plan.ts';
import { formatPlanTable } from './table.ts';
import { Plan } from './types.ts';

const hirano: Employee = {
  employeeCode: '000241',
  lastName: '平野',
  firstName: '浩',
  lastNameKana: 'ヒラノ',
  firstNameKana: 'ヒロシ',
  birthDate: '1980-01-02',
};
const iwasaki: Employee = {
  employeeCode: '000241',
  lastName: '岩崎',
  firstName: '彩',
  lastNameKana: 'イワサキ',
  firstNameKana: 'アヤ',
  birthDate: '1992-07-15',
};

describe('identityMismatch — the rule, by example', () => {
  it('flags another person: 氏名, フリガナ and 生年月日 all differ', () => {
    expect(identityMismatch(hirano, iwasaki)).toBe(true);
  });

  it('flags different 生年月日 and 氏名 even where one side has no フリガナ', () => {
    const { lastNameKana: _, firstNameKana: __, ...bare } = iwasaki;
    expect(identityMismatch(hirano, bare)).toBe(true);
  });

  it('flags both 姓 and 名 differing when a 生年月日 is missing', () => {
    const { birthDate: _, ...noBirth } = iwasaki;
    expect(identityMismatch(hirano, noBirth)).toBe(true);
  });

  it('does not flag a marriage: only the 姓 changed (with or without 生年月日)', () => {
    const married = { ...hirano, lastName: '岩崎', lastNameKana: 'イワサキ' };
    expect(identityMismatch(hirano, married)).toBe(false);
    const { birthDate: _, ...noBirth } = married;
    expect(identityMismatch(hirano, noBirth)).toBe(false);
  });

  it('does not flag a corrected 生年月日 under the same name', () => {
    expect(identityMismatch(hirano, { ...hirano, birthDate: '1980-02-01' })).toBe(false);
  });

  it('does not flag a variant kanji read the same (斉藤 / 齋藤 サイトウ), even with another 生年月日', () => {
    const saito = { ...hirano, lastName: '斉藤', lastNameKana: 'サイトウ' };
    expect(identityMismatch(saito, { ...saito, lastName: '齋藤', birthDate: '1981-01-02' })).toBe(false);
  });

  it('does not flag cosmetic differences: widths, spaces, hiragana, date notation', () => {
    const cosmetic = {
      ...hirano,
      lastName: ' 平野\u3000',
      firstNameKana: 'ﾋﾛｼ',
      lastNameKana: 'ひらの',
      birthDate: '1980/1/2',
    };
    expect(identityMismatch(hirano, cosmetic)).toBe(false);
  });

  it('does not flag a side without a name: nothing to compare', () => {
    expect(identityMismatch(hirano, { employeeCode: '000241', birthDate: '1999-09-09' })).toBe(false);
  });
});

// Generated people from small pools, so equal and different parts both occur often.
const LAST = [
  ['平野', 'ヒラノ'],
  ['岩崎', 'イワサキ'],
  ['斉藤', 'サイトウ'],
  ['齋藤', 'サイトウ'],
] as const;
const FIRST = [
  ['浩', 'ヒロシ'],
  ['彩', 'アヤ'],
  ['寛', 'ヒロシ'],
] as const;
const BIRTH = ['1980-01-02', '1992-07-15'];

const personArb: fc.Arbitrary<Employee> = fc
  .record({
    last: fc.constantFrom(...LAST),
    first: fc.constantFrom(...FIRST),
    withKana: fc.boolean(),
    birthDate: fc.option(fc.constantFrom(...BIRTH), { nil: undefined }),
  })
  .map(({ last, first, withKana, birthDate }) => ({
    employeeCode: 'E1',
    lastName: last[0],
    firstName: first[0],
    ...(withKana ? { lastNameKana: last[1], firstNameKana: first[1] } : {}),
    ...(birthDate ? { birthDate } : {}),
  }));

/** A cosmetic variant: spaces, width and script changed, nothing a person is. */
const variant = (employee: Employee): Employee => ({
  ...employee,
  lastName: `\u3000${employee.lastName} `,
  ...(employee.lastNameKana
    ? {
        lastNameKana: employee.lastNameKana
          .normalize('NFKD')
          .replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60)),
      }
    : {}),
  ...(employee.birthDate ? { birthDate: employee.birthDate.replaceAll('-', '/') } : {}),
});

describe('identityMismatch — properties', () => {
  it('is symmetric', () => {
    fc.assert(fc.property(personArb, personArb, (a, b) => identityMismatch(a, b) === identityMismatch(b, a)));
  });

  it('never flags a person against a cosmetic variant of themself', () => {
    fc.assert(fc.property(personArb, (a) => !identityMismatch(a, variant(a))));
  });

  it('never flags records sharing a 生年月日, whatever their names', () => {
    fc.assert(
      fc.property(personArb, personArb, fc.constantFrom(...BIRTH), (a, b, birthDate) => {
        expect(identityMismatch({ ...a, birthDate }, { ...b, birthDate })).toBe(false);
      }),
    );
  });

  it('never flags a changed 姓 alone (a marriage)', () => {
    fc.assert(
      fc.property(personArb, fc.constantFrom(...LAST), (a, [lastName, lastNameKana]) => {
        const married = { ...a, lastName, ...(a.lastNameKana ? { lastNameKana } : {}) };
        expect(identityMismatch(a, married)).toBe(false);
      }),
    );
  });

  it('always flags different 生年月日 plus a 氏名 that differs in text and reading', () => {
    fc.assert(
      fc.property(personArb, personArb, (a, b) => {
        fc.pre(a.birthDate !== undefined && b.birthDate !== undefined && a.birthDate !== b.birthDate);
        const readsApart = (x?: string, y?: string) => x === undefined || y === undefined || x !== y;
        fc.pre(
          (a.lastName !== b.lastName && readsApart(a.lastNameKana, b.lastNameKana)) ||
            (a.firstName !== b.firstName && readsApart(a.firstNameKana, b.firstNameKana)),
        );
        expect(identityMismatch(a, b)).toBe(true);
      }),
    );
  });

  it('with a 生年月日 missing, flags exactly when both 姓 and 名 differ in text and reading', () => {
    fc.assert(
      fc.property(personArb, personArb, (a, b) => {
        const { birthDate: _, ...noBirth } = b;
        const apart = (x: string, y: string, kx?: string, ky?: string) =>
          x !== y && (kx === undefined || ky === undefined || kx !== ky);
        const expected =
          apart(a.lastName as string, b.lastName as string, a.lastNameKana, b.lastNameKana) &&
          apart(a.firstName as string, b.firstName as string, a.firstNameKana, b.firstNameKana);
        expect(identityMismatch(a, noBirth)).toBe(expected);
      }),
    );
  });
});

describe('plan — 別人の可能性', () => {
  const fields: ConnectorFields = {
    lastName: 'readWrite',
    firstName: 'readWrite',
    lastNameKana: 'readWrite',
    firstNameKana: 'readWrite',
    birthDate: 'readWrite',
    email: 'readWrite',
  };
  const side = (records: Employee[]) => ({
    fields,
    records: records.map((employee) => ({ ok: true as const, employee })),
  });

  it('marks the entry identity_mismatch, selectable, with both identities and the changes writing it would make', () => {
    const result = plan(side([hirano]), side([iwasaki]));
    const [entry] = result.entries;
    expect(entry?.status).toBe('identity_mismatch');
    expect(entry?.selectable).toBe(true);
    expect(entry?.identity).toEqual({
      source: { name: '平野 浩', kana: 'ヒラノ ヒロシ', birthDate: '1980-01-02' },
      target: { name: '岩崎 彩', kana: 'イワサキ アヤ', birthDate: '1992-07-15' },
    });
    expect(entry?.changes.map((change) => change.field)).toEqual([
      'lastName',
      'firstName',
      'lastNameKana',
      'firstNameKana',
      'birthDate',
    ]);
    expect(result.summary.identity_mismatch).toBe(1);
    expect(result.summary.changed).toBe(0);
    expect(Plan.parse(JSON.parse(JSON.stringify(result)))).toEqual(result);
    expect(formatPlanTable(result)).toContain(
      '別人の可能性: 連携元 平野 浩（ヒラノ ヒロシ） 1980年1月2日 ／ 連携先 岩崎 彩（イワサキ アヤ） 1992年7月15日',
    );
  });

  it('checks identity even where the identity fields are not compared (an e-mail-only sync)', () => {
    const result = plan(side([{ ...hirano, email: 'a@example.jp' }]), side([iwasaki]), { fields: ['email'] });
    expect(result.entries[0]?.status).toBe('identity_mismatch');
    expect(result.entries[0]?.changes).toEqual([{ field: 'email', before: null, after: 'a@example.jp' }]);
  });

  it('marks an entry identity_mismatch exactly when the rule says so (property)', () => {
    fc.assert(
      fc.property(personArb, personArb, (a, b) => {
        const [entry] = plan(side([a]), side([b])).entries;
        expect(entry?.status === 'identity_mismatch').toBe(identityMismatch(a, b));
        expect(entry?.identity === undefined).toBe(entry?.status !== 'identity_mismatch');
      }),
    );
  });

  it('identityOf shows normalised parts and leaves out what is missing', () => {
    expect(identityOf({ employeeCode: 'E1', lastName: ' 平野 ', lastNameKana: 'ひらの' })).toEqual({
      name: '平野',
      kana: 'ヒラノ',
    });
  });
});
