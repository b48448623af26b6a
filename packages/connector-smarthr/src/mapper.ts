import {
  type ConnectorErrorInfo,
  type Employee,
  type EmployeePatch,
  type FieldIssue,
  type FieldKey,
  type ListedEmployee,
  normaliseEmployee,
  normaliseText,
  type OrgRef,
} from '@renkei/core';
import { Crew, type CrewCreateBody, type CrewUpdateBody, type MasterEntry } from './api.ts';

/** Canonical field ⇔ SmartHR property, for every field Renkei carries. Pure: no I/O here. */
export const VENDOR_FIELD = {
  lastName: 'last_name',
  firstName: 'first_name',
  lastNameKana: 'last_name_yomi',
  firstNameKana: 'first_name_yomi',
  businessLastName: 'business_last_name',
  businessFirstName: 'business_first_name',
  businessLastNameKana: 'business_last_name_yomi',
  businessFirstNameKana: 'business_first_name_yomi',
  birthDate: 'birth_at',
  hireDate: 'entered_at',
  retireDate: 'resigned_at',
  gender: 'gender',
  status: 'emp_status',
  email: 'email',
  phone: 'tel_number',
  employmentType: 'employment_type_id',
  department: 'department_ids',
  jobTitle: 'position_ids',
  address: 'address',
  bankAccounts: 'bank_accounts',
} as const satisfies Partial<Record<FieldKey, string>>;
/** 社員番号 is SmartHR's `emp_code`. */
export const EMPLOYEE_CODE_PROPERTY = 'emp_code';
/** A POST: the written fields (names checked by `toCrewBody(…, true)`) and the 社員番号. */
export const withEmployeeCode = (body: CrewUpdateBody, employeeCode: string) =>
  ({ ...body, emp_code: employeeCode }) as CrewCreateBody;

/** The masters a crew's 雇用形態, 部署 and 役職 are chosen from (SmartHR writes their ids). */
export interface Masters {
  employmentType: readonly MasterEntry[];
  department: readonly MasterEntry[];
  jobTitle: readonly MasterEntry[];
}
type MasterField = keyof Masters;
const MASTER_LABEL: Record<MasterField, string> = {
  employmentType: '雇用形態',
  department: '部署',
  jobTitle: '役職',
};

const STATUS_FROM_SMARTHR = { employed: 'employed', absent: 'on_leave', retired: 'retired' } as const;
const STATUS_TO_SMARTHR = { employed: 'employed', on_leave: 'absent', retired: 'retired' } as const;

/** 住所 and 給与振込口座, part by part: canonical name → SmartHR's. */
const ADDRESS = {
  postalCode: 'zip_code',
  prefecture: 'pref',
  city: 'city',
  street: 'street',
  building: 'building',
};
const ACCOUNT = {
  bankCode: 'bank_code',
  branchCode: 'bank_branch_code',
  accountType: 'account_type',
  accountNumber: 'account_number',
  holderKana: 'account_holder_name',
};
/** `value`'s parts under the other side's names (`toCanonical` reads SmartHR's); a missing part is `empty`. */
function renamed(
  value: object,
  names: Record<string, string>,
  toCanonical: boolean,
  empty: null | undefined,
) {
  const parts = value as Record<string, unknown>;
  const pairs = Object.entries(names).map(([canonical, vendor]) =>
    toCanonical ? [canonical, vendor] : [vendor, canonical],
  );
  return Object.fromEntries(pairs.map(([to, from]) => [to, parts[from as string] ?? empty]));
}

const refOf = (entry: MasterEntry | null | undefined): OrgRef | undefined =>
  entry ? { name: entry.name, ...(entry.code ? { code: entry.code } : {}) } : undefined;

/** One crew as a canonical employee, or an invalid entry naming every problem. Never throws. */
export function toListedEmployee(raw: unknown): ListedEmployee {
  const parsed = Crew.safeParse(raw);
  const code = (raw as { emp_code?: unknown } | null)?.emp_code;
  const employeeCode = typeof code === 'string' && code !== '' ? { employeeCode: code } : {};
  if (!parsed.success) {
    const properties = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? '')))];
    const message = `レコード: SmartHRの従業員情報を読み取れません（${properties.join('、')}）`;
    return { ok: false, ...employeeCode, issues: [{ field: 'record', message }], raw };
  }
  const crew = parsed.data;
  if (!crew.emp_code) {
    const message = `社員番号: SmartHRの従業員（${crew.last_name} ${crew.first_name}）に社員番号がありません`;
    return { ok: false, issues: [{ field: 'employeeCode', message }], raw };
  }
  const { address } = crew;
  const { employee, issues } = normaliseEmployee({
    employeeCode: crew.emp_code,
    lastName: crew.last_name,
    firstName: crew.first_name,
    lastNameKana: crew.last_name_yomi,
    firstNameKana: crew.first_name_yomi,
    businessLastName: crew.business_last_name,
    businessFirstName: crew.business_first_name,
    businessLastNameKana: crew.business_last_name_yomi,
    businessFirstNameKana: crew.business_first_name_yomi,
    birthDate: crew.birth_at,
    hireDate: crew.entered_at,
    retireDate: crew.resigned_at,
    gender: crew.gender,
    status: crew.emp_status && STATUS_FROM_SMARTHR[crew.emp_status],
    email: crew.email,
    phone: crew.tel_number,
    employmentType: refOf(crew.employment_type),
    department: refOf(crew.departments[0]),
    jobTitle: refOf(crew.positions[0]),
    address:
      address && Object.values(address).some(Boolean)
        ? renamed(address, ADDRESS, true, undefined)
        : undefined,
    bankAccounts: crew.bank_accounts.length
      ? crew.bank_accounts.map((account) => renamed(account, ACCOUNT, true, undefined))
      : undefined,
  });
  return employee ? { ok: true, employee } : { ok: false, ...employeeCode, issues, raw };
}

/** A body to send, or every reason SmartHR would refuse it. */
export type Mapped<T> =
  | { ok: true; body: T }
  | { ok: false; error: ConnectorErrorInfo; issues: FieldIssue[] };

/** The master entry an OrgRef names: by code when both have one, else by name. */
const findEntry = (entries: readonly MasterEntry[], ref: OrgRef) =>
  entries.find((entry) =>
    entry.code && ref.code ? entry.code === ref.code : normaliseText(entry.name) === normaliseText(ref.name),
  );

/** The written fields of a record or patch as SmartHR properties (`null` clears), or why not. */
export function toCrewBody(
  values: EmployeePatch,
  masters: Masters,
  writable: readonly FieldKey[],
  create = false,
): Mapped<CrewUpdateBody> {
  const body: Record<string, unknown> = {};
  const issues: FieldIssue[] = [];
  const refuse = (field: FieldKey, message: string, value?: unknown) =>
    issues.push({ field, message, value });
  for (const [field, label] of [
    ['lastName', '姓'],
    ['firstName', '名'],
  ] as const) {
    const value = values[field];
    if ((create && !value) || value === null || value?.trim() === '') {
      refuse(field, `SmartHRでは${label}は必須です。従業員リストの${label}を入力してください。`);
    }
  }
  for (const field of writable) {
    const value = values[field];
    if (value === undefined || !(field in VENDOR_FIELD)) continue;
    const property = VENDOR_FIELD[field as keyof typeof VENDOR_FIELD];
    if (field === 'lastName' || field === 'firstName') {
      if (value) body[property] = value;
    } else if (field === 'gender' && value === 'unspecified') {
      refuse(field, 'SmartHRの性別は男性・女性のどちらかです。従業員リストの性別を見直してください。', value);
    } else if (field === 'status') {
      body[property] = value && STATUS_TO_SMARTHR[value as keyof typeof STATUS_TO_SMARTHR];
    } else if (field === 'employmentType' || field === 'department' || field === 'jobTitle') {
      const ref = value as OrgRef | null;
      const entry = ref ? findEntry(masters[field], ref) : undefined;
      if (ref && !entry) {
        const message = `${MASTER_LABEL[field]}「${ref.name}」はSmartHRのマスタにありません。SmartHRで登録するか、従業員リストを見直してください。`;
        refuse(field, message, ref);
      } else if (field === 'employmentType') body[property] = entry?.id ?? null;
      else body[property] = entry ? [entry.id] : [];
    } else if (field === 'address') {
      body[property] = value && renamed(value as object, ADDRESS, false, null);
    } else if (field === 'bankAccounts') {
      body[property] = ((value as Employee['bankAccounts']) ?? []).map((account) =>
        renamed(account, ACCOUNT, false, null),
      );
    } else body[property] = value;
  }
  if (issues.length === 0) return { ok: true, body: body as CrewUpdateBody };
  const message = issues.map((issue) => issue.message).join(' ');
  return { ok: false, error: { kind: 'validation', retryable: false, message }, issues };
}

/** The canonical fields a SmartHR body carries (the fake reports them to the contract suite). */
export function canonicalFieldsOf(body: object): FieldKey[] {
  return (Object.keys(VENDOR_FIELD) as (keyof typeof VENDOR_FIELD)[]).filter(
    (field) => VENDOR_FIELD[field] in body,
  );
}
