import {
  type ConnectorErrorInfo,
  type Employee,
  type EmployeePatch,
  FIELD_CATALOG,
  type FieldIssue,
  type FieldKey,
  type ListedEmployee,
  normaliseEmployee,
  normaliseText,
  type OrgRef,
} from '@renkei/core';
import { type EmployeeCreateBody, type EmployeeUpdateBody, JobcanEmployee, type WorkKind } from './api.ts';
import { JOBCAN } from './vendor.ts';

/**
 * Pure functions between Jobcan's staff records and the canonical employee. Exactly the fields
 * SmartHR documents for its Jobcan integration are carried; e-mail is required by Jobcan but never
 * synced (a create gets a placeholder), and 姓名のフリガナ are not carried.
 */

/** Canonical field ⇔ Jobcan property, and the property's name on Jobcan's screens. */
export const JOBCAN_PROPERTY = {
  lastName: { property: 'last_name', label: '姓' },
  firstName: { property: 'first_name', label: '名' },
  hireDate: { property: 'hire_date', label: '入社日' },
  employmentType: { property: 'work_kind', label: 'スタッフ種別' },
  phone: { property: 'tel', label: '電話番号' },
  birthDate: { property: 'birthday', label: '生年月日' },
  retireDate: { property: 'retire_date', label: '退職日' },
  status: { property: 'status', label: 'ステータス（在職・休職・退職）' },
} as const satisfies { [K in FieldKey]?: { property: keyof JobcanEmployee; label: string } };
/** 社員番号 is Jobcan's スタッフコード. */
export const STAFF_CODE = { property: 'code', label: 'スタッフコード' } as const;

type CarriedField = keyof typeof JOBCAN_PROPERTY;
/**
 * Written fields. 在籍状況 and 退職日 are written too: Jobcan bills by 在職 staff, so a retiree must
 * reach it as 退職, never as active staff (a create without a status is 在職).
 */
const WRITTEN: readonly CarriedField[] = [
  'lastName',
  'firstName',
  'hireDate',
  'employmentType',
  'phone',
  'birthDate',
  'retireDate',
  'status',
];

/** The canonical field a write payload's property carries, if any (for the fake's bookkeeping). */
export function canonicalFieldOf(property: string): FieldKey | undefined {
  const found = Object.entries(JOBCAN_PROPERTY).find(([, entry]) => entry.property === property);
  return found?.[0] as FieldKey | undefined;
}

/** The address a create carries because Jobcan requires one: `<社員番号>@example.jp`. */
export const placeholderEmail = (employeeCode: string, domain: string = JOBCAN.placeholderEmailDomain) =>
  `${employeeCode}@${domain}`;

/** 在職, 休職, 退職 both ways (Renkei writes 休職, so it reads it back). */
const STATUS_FROM_JOBCAN: Record<number, Employee['status']> = {
  [JOBCAN.status.employed]: 'employed',
  [JOBCAN.status.onLeave]: 'on_leave',
  [JOBCAN.status.retired]: 'retired',
};
const STATUS_TO_JOBCAN = {
  employed: JOBCAN.status.employed,
  on_leave: JOBCAN.status.onLeave,
  retired: JOBCAN.status.retired,
} as const;

/** What is read of a record: a problem elsewhere (e.g. in the kana) does not make it unreadable. */
const CarriedProperties = JobcanEmployee.pick({
  code: true,
  last_name: true,
  first_name: true,
  hire_date: true,
  birthday: true,
  retire_date: true,
  tel: true,
  work_kind: true,
  status: true,
});

const isUnclassified = (kind: WorkKind) => kind.name === JOBCAN.unclassifiedWorkKind;

/** One Jobcan record as a canonical employee, or an invalid entry naming every problem. Never throws. */
export function toListedEmployee(raw: unknown, workKinds: readonly WorkKind[]): ListedEmployee {
  const parsed = CarriedProperties.safeParse(raw);
  const code = (raw as { code?: unknown } | null)?.code;
  const employeeCode = typeof code === 'string' && code !== '' ? { employeeCode: code } : {};
  if (!parsed.success) {
    const properties = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? '')))];
    const message = `レコード: ジョブカンのスタッフ情報を読み取れません（${properties.join('、')}）`;
    return { ok: false, ...employeeCode, issues: [{ field: 'record', message }], raw };
  }
  const record = parsed.data;
  const issues: FieldIssue[] = [];
  const kind = workKinds.find((candidate) => candidate.id === record.work_kind);
  if (!kind) {
    issues.push({
      field: 'employmentType',
      message: `${FIELD_CATALOG.employmentType.label}: ジョブカンのスタッフ種別（ID ${record.work_kind}）がマスタにありません`,
      value: record.work_kind,
    });
  }
  const normalised = normaliseEmployee({
    employeeCode: record.code,
    lastName: record.last_name,
    firstName: record.first_name,
    hireDate: record.hire_date,
    birthDate: record.birthday,
    retireDate: record.retire_date,
    phone: record.tel,
    employmentType: kind && !isUnclassified(kind) ? { name: kind.name } : undefined,
    status: STATUS_FROM_JOBCAN[record.status],
  });
  issues.push(...normalised.issues);
  if (!normalised.employee || issues.length > 0) return { ok: false, ...employeeCode, issues, raw };
  return { ok: true, employee: normalised.employee };
}

/** What 連携設定 gives every new staff member (ids in Jobcan's own masters). */
export interface NewStaffDefaults {
  mainGroup?: number;
  workKind?: number;
}

/** A body to send, or every reason Jobcan would refuse it (the error carries them all, joined). */
export type Mapped<T> =
  | { ok: true; body: T }
  | { ok: false; error: ConnectorErrorInfo; issues: FieldIssue[] };

const refused = (issues: FieldIssue[]): Mapped<never> => ({
  ok: false,
  error: { kind: 'validation', retryable: false, message: issues.map((issue) => issue.message).join(' ') },
  issues,
});

/** The スタッフ種別 id of an 雇用形態, matched by name (clearing it means 【未分類】), or why not. */
function workKindId(ref: OrgRef | null, workKinds: readonly WorkKind[]): number | FieldIssue {
  const wanted = ref === null ? JOBCAN.unclassifiedWorkKind : normaliseText(ref.name);
  const kind = workKinds.find((candidate) => normaliseText(candidate.name) === wanted);
  if (kind) return kind.id;
  return {
    field: 'employmentType',
    message: `雇用形態「${wanted}」はジョブカンのスタッフ種別にありません。ジョブカンの管理画面でスタッフ種別を登録するか、従業員リストの雇用形態を見直してください。`,
    value: ref,
  };
}

/** Jobcan's own rules for the written values (the fake enforces the same, from vendor.ts). */
function brokenRules(values: EmployeePatch, create: boolean): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const field of ['lastName', 'firstName'] as const) {
    const value = values[field];
    if (value === null || (value !== undefined && value.trim() === '') || (create && value === undefined)) {
      const label = JOBCAN_PROPERTY[field].label;
      issues.push({
        field,
        message: `ジョブカンでは${label}は必須です。従業員リストの${label}を入力してください。`,
      });
    }
  }
  if (values.phone && !JOBCAN.tel.test(values.phone)) {
    issues.push({
      field: 'phone',
      message: `電話番号「${values.phone}」はジョブカンに登録できません。半角の数字・ハイフン・括弧・+で20文字以内にしてください。`,
      value: values.phone,
    });
  }
  return issues;
}

/** The written fields of a record or patch as Jobcan properties (`null` clears), or why not. */
function toProperties(
  values: EmployeePatch,
  workKinds: readonly WorkKind[],
  create: boolean,
): Mapped<EmployeeUpdateBody> {
  const body: Record<string, unknown> = {};
  const issues = brokenRules(values, create);
  for (const field of WRITTEN) {
    const value = values[field];
    if (value === undefined) continue;
    if (field === 'employmentType') {
      const id = workKindId(value as OrgRef | null, workKinds);
      if (typeof id === 'number') body.work_kind = id;
      else issues.push(id);
    } else if (field === 'status') {
      // Cleared means nothing to say: Jobcan keeps its status.
      if (value !== null) body.status = STATUS_TO_JOBCAN[value as keyof typeof STATUS_TO_JOBCAN];
    } else body[JOBCAN_PROPERTY[field].property] = value;
  }
  return issues.length > 0 ? refused(issues) : { ok: true, body: body as EmployeeUpdateBody };
}

/**
 * A create: the written fields, the スタッフコード and the placeholder e-mail Jobcan requires. A
 * retiree (退職 or a 退職日 on or before `today`) is created as 退職 even when its 在籍状況 is not
 * compared: a create without a status would be an active, billed staff member.
 */
export function toCreateBody(
  employee: Employee,
  workKinds: readonly WorkKind[],
  emailDomain: string = JOBCAN.placeholderEmailDomain,
  today?: string,
  defaults: NewStaffDefaults = {},
): Mapped<EmployeeCreateBody> {
  const { employeeCode } = employee;
  const mapped = toProperties(employee, workKinds, true);
  if (!JOBCAN.staffCode.test(employeeCode)) {
    const issue: FieldIssue = {
      field: 'employeeCode',
      message: `社員番号「${employeeCode}」はジョブカンのスタッフコードに使えません。半角英数字・ハイフン・アンダースコア50文字以内にしてください。`,
      value: employeeCode,
    };
    return refused([issue, ...(mapped.ok ? [] : mapped.issues)]);
  }
  if (!mapped.ok) return mapped;
  const retiredBefore =
    employee.status === undefined &&
    today !== undefined &&
    employee.retireDate !== undefined &&
    employee.retireDate <= today;
  return {
    ok: true,
    body: {
      code: employeeCode,
      ...mapped.body,
      ...(retiredBefore ? { status: JOBCAN.status.retired } : {}),
      // 連携設定's defaults: a メイングループ always (the HR master has none), a スタッフ種別 where
      // the employee has no 雇用形態 to match.
      ...(defaults.mainGroup !== undefined ? { main_group: defaults.mainGroup } : {}),
      ...(defaults.workKind !== undefined && employee.employmentType === undefined
        ? { work_kind: defaults.workKind }
        : {}),
      email: placeholderEmail(employeeCode, emailDomain),
    },
  };
}

/** An update: only the changed written fields; the e-mail is never touched. */
export const toUpdateBody = (
  changes: EmployeePatch,
  workKinds: readonly WorkKind[],
): Mapped<EmployeeUpdateBody> => toProperties(changes, workKinds, false);
