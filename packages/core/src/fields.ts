import { type Employee, FIELD_KEYS, type FieldIssue, type FieldKey } from './employee.ts';
import {
  ADDRESS_PART_LABELS,
  formatAddress,
  isNormalAddress,
  normaliseAddress,
  sameAddress,
} from './normalise/address.ts';
import {
  BANK_ACCOUNT_PART_LABELS,
  formatBankAccount,
  isNormalBankAccounts,
  normaliseBankAccounts,
  sameBankAccounts,
} from './normalise/bank-account.ts';
import { formatDateJa, isNormalDate, normaliseDate } from './normalise/date.ts';
import { isNormalEmail, normaliseEmail } from './normalise/email.ts';
import { normaliseEmployeeCode } from './normalise/employee-code.ts';
import { type EnumNormaliser, enumNormaliser } from './normalise/enum.ts';
import { isNormalNameKana, normaliseNameKana } from './normalise/kana.ts';
import { formatOrgRef, isNormalOrgRef, normaliseOrgRef, sameOrgRef } from './normalise/org-ref.ts';
import { isNormalPhone, normalisePhone, samePhone } from './normalise/phone.ts';
import type { Normalised } from './normalise/result.ts';
import { isEmptyValue, isNormalText, normaliseTextValue } from './normalise/text.ts';

export type FieldType =
  | 'text'
  | 'kana'
  | 'date'
  | 'enum'
  | 'email'
  | 'phone'
  | 'orgRef'
  | 'address'
  | 'bankAccounts';

/** One field of the canonical employee: how it is labelled, read, compared and shown. */
export interface FieldDefinition<V = unknown> {
  key: FieldKey;
  /** Japanese label, as the UI, CSV headers and messages use it. */
  label: string;
  type: FieldType;
  /** Labels of the parts of a structured value (住所, 給与振込口座, OrgRef). */
  parts?: Readonly<Record<string, string>>;
  /** The allowed values and their labels (enums). */
  options?: Readonly<Record<string, string>>;
  /** The normal form, `undefined` when empty, or a message (without the label) when unreadable. */
  normalise(value: unknown): Normalised<V>;
  /**
   * A quick check that `value` is already in normal form (then `normalise` would return it as it
   * is). False means "normalise to find out", not "invalid". Lets the diff skip work and allocation.
   */
  isNormal(value: unknown): boolean;
  /** Equality on normalised, non-empty values: what the diff calls "no difference". */
  equals(a: V, b: V): boolean;
  /** Whether a raw or normalised value holds nothing (null, undefined, blank text, empty parts). */
  isEmpty(value: unknown): boolean;
  /** Japanese display text; `—` when empty, the raw text when unreadable. */
  format(value: unknown): string;
}

/** What the catalog shows for an empty value. */
export const EMPTY_DISPLAY = '—';
/** The match key is not a FieldKey, but it has a label too. */
export const EMPLOYEE_CODE_LABEL = '社員番号';

const strictEquals = <V>(a: V, b: V): boolean => a === b;

function define<V>(
  key: FieldKey,
  label: string,
  type: FieldType,
  normalise: (value: unknown) => Normalised<V>,
  isNormal: (value: unknown) => boolean,
  extra: {
    equals?: (a: V, b: V) => boolean;
    display?: (value: V) => string;
    parts?: Readonly<Record<string, string>>;
    options?: Readonly<Record<string, string>>;
  } = {},
): FieldDefinition<V> {
  const display = extra.display ?? String;
  return {
    key,
    label,
    type,
    ...(extra.parts ? { parts: extra.parts } : {}),
    ...(extra.options ? { options: extra.options } : {}),
    normalise,
    isNormal,
    equals: extra.equals ?? strictEquals,
    isEmpty: isEmptyValue,
    format(value) {
      if (isEmptyValue(value)) return EMPTY_DISPLAY;
      const result = normalise(value);
      if (!result.ok) return typeof value === 'string' ? value : JSON.stringify(value);
      return result.value === undefined ? EMPTY_DISPLAY : display(result.value);
    },
  };
}

const enumField = <T extends string>(key: FieldKey, label: string, normalise: EnumNormaliser<T>) =>
  define<T>(key, label, 'enum', normalise, normalise.isNormal, {
    display: (value) => normalise.labels[value],
    options: normalise.labels,
  });

const ORG_REF_PARTS = { code: 'コード', name: '名称' } as const;
const orgRefField = (key: FieldKey, label: string) =>
  define(key, label, 'orgRef', normaliseOrgRef, isNormalOrgRef, {
    equals: sameOrgRef,
    display: formatOrgRef,
    parts: ORG_REF_PARTS,
  });
const dateField = (key: FieldKey, label: string) =>
  define(key, label, 'date', normaliseDate, isNormalDate, { display: formatDateJa });

export const normaliseGender = enumNormaliser(
  { male: '男性', female: '女性', unspecified: '未設定' },
  { 男: 'male', 女: 'female', m: 'male', f: 'female', 不明: 'unspecified', 無回答: 'unspecified' },
);
export const normaliseEmploymentStatus = enumNormaliser(
  { employed: '在籍', on_leave: '休職', retired: '退職' },
  {
    在職: 'employed',
    在職中: 'employed',
    在籍中: 'employed',
    休職中: 'on_leave',
    退職済: 'retired',
    退職済み: 'retired',
  },
);

type Catalog = { readonly [K in FieldKey]: FieldDefinition<NonNullable<Employee[K]>> };

/** Every field of the canonical employee, in display order. */
export const FIELD_CATALOG: Catalog = {
  lastName: define('lastName', '姓', 'text', normaliseTextValue, isNormalText),
  firstName: define('firstName', '名', 'text', normaliseTextValue, isNormalText),
  lastNameKana: define('lastNameKana', '姓（フリガナ）', 'kana', normaliseNameKana, isNormalNameKana),
  firstNameKana: define('firstNameKana', '名（フリガナ）', 'kana', normaliseNameKana, isNormalNameKana),
  businessLastName: define(
    'businessLastName',
    'ビジネスネーム（姓）',
    'text',
    normaliseTextValue,
    isNormalText,
  ),
  businessFirstName: define(
    'businessFirstName',
    'ビジネスネーム（名）',
    'text',
    normaliseTextValue,
    isNormalText,
  ),
  businessLastNameKana: define(
    'businessLastNameKana',
    'ビジネスネーム（姓・フリガナ）',
    'kana',
    normaliseNameKana,
    isNormalNameKana,
  ),
  businessFirstNameKana: define(
    'businessFirstNameKana',
    'ビジネスネーム（名・フリガナ）',
    'kana',
    normaliseNameKana,
    isNormalNameKana,
  ),
  birthDate: dateField('birthDate', '生年月日'),
  hireDate: dateField('hireDate', '入社年月日'),
  retireDate: dateField('retireDate', '退職年月日'),
  gender: enumField('gender', '性別', normaliseGender),
  status: enumField('status', '在籍状況', normaliseEmploymentStatus),
  email: define('email', 'メールアドレス', 'email', normaliseEmail, isNormalEmail),
  phone: define('phone', '電話番号', 'phone', normalisePhone, isNormalPhone, { equals: samePhone }),
  employmentType: orgRefField('employmentType', '雇用形態'),
  department: orgRefField('department', '部署'),
  jobTitle: orgRefField('jobTitle', '役職'),
  employeeCategory: orgRefField('employeeCategory', '社員区分'),
  address: define('address', '住所', 'address', normaliseAddress, isNormalAddress, {
    equals: sameAddress,
    display: formatAddress,
    parts: ADDRESS_PART_LABELS,
  }),
  bankAccounts: define(
    'bankAccounts',
    '給与振込口座',
    'bankAccounts',
    normaliseBankAccounts,
    isNormalBankAccounts,
    {
      equals: sameBankAccounts,
      display: (accounts) => accounts.map(formatBankAccount).join(' / '),
      parts: BANK_ACCOUNT_PART_LABELS,
    },
  ),
};

/** The catalog entry of a field, typed loosely for code that handles every field alike. */
export const fieldDefinition = (key: FieldKey): FieldDefinition => FIELD_CATALOG[key] as FieldDefinition;

/** The Japanese label of a field, of 社員番号, or of a whole record (for issues). */
export function fieldLabel(key: FieldIssue['field']): string {
  if (key === 'employeeCode') return EMPLOYEE_CODE_LABEL;
  if (key === 'record') return 'レコード';
  return FIELD_CATALOG[key].label;
}

/** Japanese display text of one value: `formatFieldValue('gender', 'male')` → `男性`. */
export const formatFieldValue = (key: FieldKey, value: unknown): string => fieldDefinition(key).format(value);

/** The normal form of one field's value; a failure's message is prefixed with the field's label. */
export function normaliseField(key: FieldKey, value: unknown): Normalised<unknown> {
  const result = fieldDefinition(key).normalise(value);
  return result.ok ? result : { ok: false, message: `${FIELD_CATALOG[key].label}: ${result.message}` };
}

export interface NormalisedEmployee {
  /** The employee in normal form; present only when there are no issues. */
  employee?: Employee;
  issues: FieldIssue[];
}

/**
 * Reads a raw record (a connector's mapped record, a CSV row) into the canonical employee in normal
 * form. Every unreadable field becomes an issue naming it, in Japanese; unknown keys are ignored.
 * Never throws.
 */
export function normaliseEmployee(raw: unknown): NormalisedEmployee {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { issues: [{ field: 'record', message: 'レコード: 社員データとして読み取れません', value: raw }] };
  }
  const record = raw as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  const code = normaliseEmployeeCode(record.employeeCode);
  if (!code.ok || code.value === undefined) {
    issues.push({
      field: 'employeeCode',
      message: code.ok
        ? `${EMPLOYEE_CODE_LABEL}: 社員番号がありません`
        : `${EMPLOYEE_CODE_LABEL}: ${code.message}`,
      value: record.employeeCode,
    });
  }
  const employee: Record<string, unknown> = { employeeCode: code.ok ? code.value : undefined };
  for (const key of FIELD_KEYS) {
    const value = record[key];
    if (value === undefined) continue;
    const result = normaliseField(key, value);
    if (!result.ok) issues.push({ field: key, message: result.message, value });
    else if (result.value !== undefined) employee[key] = result.value;
  }
  return issues.length > 0 ? { issues } : { employee: employee as Employee, issues };
}
