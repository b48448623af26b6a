import {
  type Employee,
  type EmployeePatch,
  type FieldKey,
  type ListedEmployee,
  normaliseEmployee,
} from '@renkei/core';
import { VendorEmployee, type VendorFields, type VendorStatus } from './api.ts';

/** Canonical field ⇔ vendor property, for every field the vendor stores. Pure: no I/O here. */
export const VENDOR_FIELD = {
  lastName: 'last_name',
  firstName: 'first_name',
  lastNameKana: 'last_name_kana',
  firstNameKana: 'first_name_kana',
  birthDate: 'birth_date',
  hireDate: 'hire_date',
  email: 'email',
  phone: 'tel',
  status: 'status',
} as const satisfies Partial<Record<FieldKey, keyof VendorFields>>;
type MappedField = keyof typeof VENDOR_FIELD;
type Status = NonNullable<Employee['status']>;

const STATUS_TO_VENDOR = {
  employed: 'active',
  on_leave: 'leave',
  retired: 'retired',
} as const satisfies Record<Status, VendorStatus>;
const STATUS_FROM_VENDOR = {
  active: 'employed',
  leave: 'on_leave',
  retired: 'retired',
} as const satisfies Record<VendorStatus, Status>;

const isMapped = (field: FieldKey): field is MappedField => field in VENDOR_FIELD;

/** One vendor record as a canonical employee, or an invalid entry naming what is wrong; never throws. */
export function toListedEmployee(raw: unknown): ListedEmployee {
  const parsed = VendorEmployee.safeParse(raw);
  if (!parsed.success) {
    const code = (raw as { code?: unknown } | null)?.code;
    return {
      ok: false,
      ...(typeof code === 'string' ? { employeeCode: code } : {}),
      issues: [{ field: 'record', message: 'SmartHRのデータ形式が想定と異なります。' }],
      raw,
    };
  }
  const record = parsed.data;
  // core's normaliser checks every value (an impossible date becomes an issue naming the field).
  const { employee, issues } = normaliseEmployee({
    employeeCode: record.code,
    lastName: record.last_name,
    firstName: record.first_name,
    lastNameKana: record.last_name_kana,
    firstNameKana: record.first_name_kana,
    birthDate: record.birth_date,
    hireDate: record.hire_date,
    email: record.email,
    phone: record.tel,
    status: record.status === null ? null : STATUS_FROM_VENDOR[record.status],
  });
  return employee ? { ok: true, employee } : { ok: false, employeeCode: record.code, issues, raw };
}

/** The vendor body for `fields` of a canonical record or patch; any other field is never sent. */
export function toVendorBody(
  values: Employee | EmployeePatch,
  fields: readonly FieldKey[],
): Partial<VendorFields> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field];
    if (!isMapped(field) || value === undefined) continue;
    body[VENDOR_FIELD[field]] =
      field === 'status' && value !== null ? STATUS_TO_VENDOR[value as Status] : value;
  }
  return body as Partial<VendorFields>;
}

/** The canonical fields a vendor body carries (the fake reports them to the contract suite). */
export function canonicalFieldsOf(body: object): FieldKey[] {
  const properties = Object.keys(body);
  return (Object.keys(VENDOR_FIELD) as MappedField[]).filter((field) =>
    properties.includes(VENDOR_FIELD[field]),
  );
}
