import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIELD_KEYS, type FieldKey } from './employee.ts';
import { FIELD_CATALOG, fieldLabel, formatFieldValue, normaliseEmployee, normaliseField } from './fields.ts';

const toHalfWidthAscii = (text: string) =>
  text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
const toFullWidthAscii = (text: string) =>
  text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const toHiragana = (text: string) =>
  text.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
const toHalfWidthKana = (text: string) => {
  // Derived from NFKC itself: every half-width katakana (and +ﾞ/ﾟ) maps back from its full-width form.
  const map = new Map<string, string>();
  for (let code = 0xff66; code <= 0xff9d; code++) {
    const half = String.fromCharCode(code);
    map.set(half.normalize('NFKC'), half);
    for (const mark of ['ﾞ', 'ﾟ']) {
      const voiced = (half + mark).normalize('NFKC');
      if (voiced.length === 1) map.set(voiced, half + mark);
    }
  }
  return Array.from(text, (c) => map.get(c) ?? c).join('');
};
const spaced = (text: string) => `\u3000${text}  `;

const kana = fc
  .array(
    fc.constantFrom(
      ...'アイウエオカガキギサザシジタダチツテトナニヌネノハバパマミムメモヤユヨラリルレロワヲンャュョッー',
    ),
    {
      minLength: 1,
      maxLength: 6,
    },
  )
  .map((chars) => chars.join(''));
const kanjiName = fc.constantFrom('山田', '佐藤', '髙橋', '渡邊', '太郎', '花子', 'ＡＩ子', '一 郎');
const isoDate = fc
  .date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));
const wareki = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
  era: 'long',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  timeZone: 'UTC',
});
const dateVariant = (iso: string, pick: number) => {
  const [y, m, d] = iso.split('-');
  const parts = Object.fromEntries(
    wareki.formatToParts(new Date(`${iso}T00:00:00Z`)).map((p) => [p.type, p.value]),
  );
  return [
    iso,
    `${y}/${Number(m)}/${Number(d)}`,
    `${y}${m}${d}`,
    `${parts.era}${parts.year}年${parts.month}月${parts.day}日`,
  ][pick % 4];
};
const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^\\d{${min},${max}}$`));

/** Per field: a canonical-looking value and a cosmetic variant of it (width, spaces, script, notation). */
const VALUE_AND_VARIANT: { [K in FieldKey]: fc.Arbitrary<[unknown, unknown]> } = {
  lastName: kanjiName.map((name) => [name, spaced(toFullWidthAscii(name))]),
  firstName: kanjiName.map((name) => [name, spaced(name.replace(' ', '\u3000\u3000'))]),
  lastNameKana: kana.map((k) => [k, toHalfWidthKana(k)]),
  firstNameKana: kana.map((k) => [k, spaced(toHiragana(k))]),
  businessLastName: kanjiName.map((name) => [name, spaced(toFullWidthAscii(name))]),
  businessFirstName: kanjiName.map((name) => [name, spaced(name.replace(' ', '\u3000\u3000'))]),
  businessLastNameKana: kana.map((k) => [k, toHalfWidthKana(k)]),
  businessFirstNameKana: kana.map((k) => [k, spaced(toHiragana(k))]),
  birthDate: fc.tuple(isoDate, fc.nat()).map(([iso, pick]) => [iso, dateVariant(iso, pick)]),
  hireDate: isoDate.map((iso) => [iso, Number(iso.replaceAll('-', ''))]),
  retireDate: fc
    .tuple(isoDate, fc.nat())
    .map(([iso, pick]) => [dateVariant(iso, pick + 1), dateVariant(iso, pick)]),
  gender: fc.constantFrom<[unknown, unknown]>(
    ['male', '男性'],
    ['female', '女'],
    ['unspecified', '未設定'],
    ['male', 'Male'],
  ),
  status: fc.constantFrom<[unknown, unknown]>(
    ['employed', '在籍'],
    ['on_leave', '休職中'],
    ['retired', ' 退職 '],
  ),
  email: fc
    .tuple(fc.stringMatching(/^[a-z][a-z0-9.]{0,8}$/), fc.constantFrom('example.co.jp', 'renkei.dev'))
    .map(([local, domain]) => [`${local}@${domain}`, spaced(`${local}@${domain.toUpperCase()}`)]),
  phone: fc
    .tuple(digits(2, 4), digits(4, 4), digits(4, 4))
    .map(([a, b, c]) => [`0${a}-${b}-${c}`, toFullWidthAscii(`0${a}${b}${c}`)]),
  employmentType: fc
    .constantFrom('正社員', 'ﾊﾟｰﾄ', '契約社員')
    .map((name) => [{ name }, { name: spaced(toHalfWidthAscii(name)) }]),
  department: fc.tuple(digits(1, 3), fc.constantFrom('営業部', '総務部')).map(([code, name]) => [
    { code, name },
    { code: toFullWidthAscii(code), name: `${name}（旧）` },
  ]),
  jobTitle: fc.constantFrom('部長', '課長').map((name) => [{ name }, name]),
  employeeCategory: fc.constantFrom('一般', '管理職').map((name) => [
    { code: 'C1', name },
    { code: ' C1', name: 'x' },
  ]),
  address: fc
    .tuple(digits(7, 7), fc.constantFrom('東京都', '大阪府'), digits(1, 2))
    .map(([postal, pref, n]) => [
      {
        postalCode: `${postal.slice(0, 3)}-${postal.slice(3)}`,
        prefecture: pref,
        city: '中央区',
        street: `${n}-1`,
      },
      {
        postalCode: `〒${toFullWidthAscii(postal)}`,
        prefecture: spaced(pref),
        city: '中央区',
        street: toFullWidthAscii(`${n}-1`),
        building: '',
      },
    ]),
  bankAccounts: fc
    .tuple(digits(1, 4), digits(1, 3), digits(1, 7), kana, kana)
    .map(([bank, branch, number, last, first]) => [
      [
        {
          bankCode: bank.padStart(4, '0'),
          branchCode: branch.padStart(3, '0'),
          accountType: 'ordinary',
          accountNumber: number.padStart(7, '0'),
          holderKana: `${last} ${first}`,
        },
      ],
      {
        bankCode: Number(bank),
        branchCode: branch,
        accountType: '普通預金',
        accountNumber: toFullWidthAscii(number),
        holderKana: toHalfWidthKana(last + first),
      },
    ]),
};

const junk = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.constant(null),
  fc.object({ maxDepth: 1 }),
  fc.array(fc.string(), { maxLength: 2 }),
);

describe('FIELD_CATALOG', () => {
  it('covers every field with its Japanese label', () => {
    expect(Object.keys(FIELD_CATALOG).sort()).toEqual([...FIELD_KEYS].sort());
    expect(FIELD_CATALOG.employeeCategory.label).toBe('社員区分');
    expect(FIELD_CATALOG.bankAccounts.label).toBe('給与振込口座');
    expect(FIELD_CATALOG.lastNameKana.label).toBe('姓（フリガナ）');
    expect(fieldLabel('employeeCode')).toBe('社員番号');
  });

  for (const key of FIELD_KEYS) {
    const field = FIELD_CATALOG[key];
    describe(`${key} (${field.label})`, () => {
      it('normalises idempotently, never throwing', () => {
        fc.assert(
          fc.property(
            fc.oneof(
              VALUE_AND_VARIANT[key].map(([value]) => value),
              VALUE_AND_VARIANT[key].map(([, v]) => v),
              junk,
            ),
            (value) => {
              const once = field.normalise(value);
              if (once.ok && once.value !== undefined) expect(field.normalise(once.value)).toEqual(once);
            },
          ),
          { numRuns: 150 },
        );
      });

      it('vouches with isNormal only for values normalise returns unchanged', () => {
        fc.assert(
          fc.property(
            fc.oneof(
              VALUE_AND_VARIANT[key].map(([value]) => value),
              VALUE_AND_VARIANT[key].map(([, variant]) => variant),
              junk,
            ),
            (value) => {
              if (field.isNormal(value)) expect(field.normalise(value)).toEqual({ ok: true, value });
            },
          ),
          { numRuns: 150 },
        );
        expect(field.isNormal(undefined)).toBe(false);
      });

      it('compares cosmetic variants equal', () => {
        fc.assert(
          fc.property(VALUE_AND_VARIANT[key], ([value, variant]) => {
            const a = field.normalise(value);
            const b = field.normalise(variant);
            if (!a.ok || !b.ok || a.value === undefined || b.value === undefined) {
              throw new Error(`unreadable: ${JSON.stringify([a, b])}`);
            }
            expect(field.equals(a.value as never, b.value as never)).toBe(true);
            expect(field.isEmpty(a.value)).toBe(false);
          }),
          { numRuns: 100 },
        );
      });
    });
  }

  it('formats values for Japanese display', () => {
    expect(formatFieldValue('gender', 'male')).toBe('男性');
    expect(formatFieldValue('gender', 'unspecified')).toBe('未設定');
    expect(formatFieldValue('status', 'on_leave')).toBe('休職');
    expect(formatFieldValue('birthDate', '1990-04-01')).toBe('1990年4月1日');
    expect(formatFieldValue('birthDate', undefined)).toBe('—');
    expect(formatFieldValue('department', { code: 'D1', name: '営業部' })).toBe('営業部（D1）');
    expect(
      formatFieldValue('bankAccounts', [
        {
          bankCode: '0005',
          branchCode: '001',
          accountType: 'checking',
          accountNumber: '0001234',
          holderKana: 'ヤマダ タロウ',
        },
      ]),
    ).toBe('0005-001 当座 0001234 ヤマダ タロウ');
    expect(formatFieldValue('birthDate', '2023-02-30')).toBe('2023-02-30');
  });

  it('prefixes a failure with the label', () => {
    expect(normaliseField('birthDate', '2023年2月30日')).toEqual({
      ok: false,
      message: '生年月日: 「2023年2月30日」は存在しない日付です',
    });
  });
});

describe('normaliseEmployee', () => {
  it('brings a raw record to normal form', () => {
    expect(
      normaliseEmployee({
        employeeCode: ' Ｅ００１ ',
        lastName: '山田　',
        lastNameKana: 'ﾔﾏﾀﾞ',
        birthDate: 'H2.4.1',
        gender: '男',
        phone: '',
        unknownColumn: 'ignored',
      }),
    ).toEqual({
      employee: {
        employeeCode: 'E001',
        lastName: '山田',
        lastNameKana: 'ヤマダ',
        birthDate: '1990-04-01',
        gender: 'male',
      },
      issues: [],
    });
  });

  it('reports every unreadable field, naming it, and returns no employee', () => {
    const result = normaliseEmployee({
      employeeCode: 'E1',
      birthDate: '2023年2月30日',
      email: 'nope',
      gender: 'x',
    });
    expect(result.employee).toBeUndefined();
    expect(result.issues.map((issue) => issue.field)).toEqual(['birthDate', 'gender', 'email']);
    expect(result.issues[0]).toEqual({
      field: 'birthDate',
      message: '生年月日: 「2023年2月30日」は存在しない日付です',
      value: '2023年2月30日',
    });
  });

  it('requires a 社員番号', () => {
    expect(normaliseEmployee({ lastName: '山田' }).issues).toEqual([
      { field: 'employeeCode', message: '社員番号: 社員番号がありません', value: undefined },
    ]);
    expect(normaliseEmployee({ employeeCode: '\u3000' }).issues[0]?.field).toBe('employeeCode');
    expect(normaliseEmployee('E1').issues[0]?.field).toBe('record');
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(
        fc.anything(),
        fc.dictionary(fc.constantFrom('employeeCode', ...FIELD_KEYS), fc.anything()),
        (a, b) => {
          for (const raw of [a, b]) {
            const result = normaliseEmployee(raw);
            expect(result.employee !== undefined || result.issues.length > 0).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
