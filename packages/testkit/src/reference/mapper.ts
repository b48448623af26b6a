import type { Employee, EmployeePatch, FieldIssue, FieldKey, ListedEmployee, OrgRef } from '@renkei/core';
import { VendorEmployee, type VendorEmployeeFields, type VendorFieldName, type VendorOrg } from './api.ts';

/** Canonical field ⇔ vendor property, for every field the vendor stores. */
export const VENDOR_FIELD: Readonly<Partial<Record<FieldKey, VendorFieldName>>> = {
  lastName: 'last_name',
  firstName: 'first_name',
  lastNameKana: 'last_name_kana',
  firstNameKana: 'first_name_kana',
  birthDate: 'birth_date',
  hireDate: 'hire_date',
  retireDate: 'retire_date',
  gender: 'gender',
  status: 'status',
  email: 'email',
  phone: 'phone',
  department: 'department',
  jobTitle: 'job_title',
  employmentType: 'employment_type',
};

export const CANONICAL_FIELD = Object.fromEntries(
  Object.entries(VENDOR_FIELD).map(([canonical, vendor]) => [vendor, canonical as FieldKey]),
) as Readonly<Record<VendorFieldName, FieldKey>>;

const GENDER_TO_VENDOR = { male: 'M', female: 'F', unspecified: 'U' } as const;
const GENDER_FROM_VENDOR = { M: 'male', F: 'female', U: 'unspecified' } as const;
const STATUS_TO_VENDOR = { employed: 'active', on_leave: 'leave', retired: 'retired' } as const;
const STATUS_FROM_VENDOR = { active: 'employed', leave: 'on_leave', retired: 'retired' } as const;

const DATE_FIELDS = ['birth_date', 'hire_date', 'retire_date'] as const;

/** A real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const orgFromVendor = (org: VendorOrg | null): OrgRef | undefined =>
  org ? { ...(org.code === null ? {} : { code: org.code }), name: org.name } : undefined;
const orgToVendor = (org: OrgRef): VendorOrg => ({ code: org.code ?? null, name: org.name });

/** One vendor record as a canonical employee, or an invalid entry naming what is wrong. */
export function toListedEmployee(raw: unknown): ListedEmployee {
  const parsed = VendorEmployee.safeParse(raw);
  const code =
    typeof (raw as { code?: unknown })?.code === 'string' ? (raw as { code: string }).code : undefined;
  if (!parsed.success) {
    return {
      ok: false,
      ...(code ? { employeeCode: code } : {}),
      issues: [{ field: 'record', message: '連携先のデータ形式が想定と異なります。' }],
      raw,
    };
  }
  const record = parsed.data;
  const issues: FieldIssue[] = [];
  for (const key of DATE_FIELDS) {
    const value = record[key];
    if (value !== null && !isIsoDate(value)) {
      issues.push({ field: CANONICAL_FIELD[key], message: '日付が正しくありません。', value });
    }
  }
  if (issues.length > 0) return { ok: false, employeeCode: record.code, issues, raw };

  const employee: Record<string, unknown> = { employeeCode: record.code };
  for (const [canonical, vendor] of Object.entries(VENDOR_FIELD) as [FieldKey, VendorFieldName][]) {
    const value = record[vendor];
    if (value === null) continue;
    employee[canonical] = fromVendorValue(vendor, value);
  }
  return { ok: true, employee: employee as Employee };
}

function fromVendorValue(
  vendor: VendorFieldName,
  value: NonNullable<VendorEmployee[VendorFieldName]>,
): unknown {
  if (vendor === 'gender') return GENDER_FROM_VENDOR[value as keyof typeof GENDER_FROM_VENDOR];
  if (vendor === 'status') return STATUS_FROM_VENDOR[value as keyof typeof STATUS_FROM_VENDOR];
  if (typeof value === 'object') return orgFromVendor(value);
  return value;
}

/** A canonical value in the vendor's notation (null clears). */
export function toVendorValue(field: FieldKey, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (field === 'gender') return GENDER_TO_VENDOR[value as keyof typeof GENDER_TO_VENDOR];
  if (field === 'status') return STATUS_TO_VENDOR[value as keyof typeof STATUS_TO_VENDOR];
  if (field === 'department' || field === 'jobTitle' || field === 'employmentType')
    return orgToVendor(value as OrgRef);
  return value;
}

/** The vendor properties for `fields` of a canonical record or patch (other fields are not sent). */
export function toVendorFields(
  values: Employee | EmployeePatch,
  fields: readonly FieldKey[],
): Partial<Omit<VendorEmployeeFields, 'code'>> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const vendor = VENDOR_FIELD[field];
    if (!vendor || !(field in values)) continue;
    const value = (values as Record<string, unknown>)[field];
    if (value === undefined) continue;
    out[vendor] = toVendorValue(field, value);
  }
  return out;
}

/** A canonical employee as a full vendor record body (used by the fake's seed). */
export function toVendorRecord(employee: Employee): VendorEmployeeFields {
  const record: Record<string, unknown> = { code: employee.employeeCode };
  for (const [canonical, vendor] of Object.entries(VENDOR_FIELD) as [FieldKey, VendorFieldName][]) {
    record[vendor] = toVendorValue(canonical, employee[canonical]);
  }
  return record as VendorEmployeeFields;
}
