import {
  type Address,
  type BankAccount,
  type Employee,
  type EmployeePatch,
  type FieldIssue,
  type FieldKey,
  type ListedEmployee,
  type OrgRef,
  toFullWidthKatakana,
} from '@renkei/core';
import { ACCOUNT_TYPES, BANK_SLOTS, type BEMasterSyain, type SyainField } from './api.ts';
import { type CodeRule, UNKNOWN_RULE_MESSAGE, vendorCode } from './codes.ts';
import { halfWidthUnits, isHalfWidthKana, toHalfWidthKana } from './halfwidth.ts';
import { PREFECTURES } from './prefectures.ts';
import type { MasterEntry, PcaProduct } from './product.ts';
import type { NewEmployeeCodes } from './settings.ts';
import { PCA } from './vendor.ts';

/** Pure functions PCA `BEMasterSyain` ⇔ canonical employee. No I/O: masters and today are given. */

export type MasterKind = 'department' | 'jobTitle' | 'employmentType' | 'employeeCategory';
export type Masters = Record<MasterKind, readonly MasterEntry[]>;

export const MASTER_LABELS: Record<MasterKind, string> = {
  department: '部門',
  jobTitle: '役職',
  employmentType: '雇用区分',
  employeeCategory: '社員区分',
};

/** Which of PCA's two addresses the canonical 住所 is: 現住所 (default) or 住民票住所. */
export type AddressKind = 'current' | 'resident';

export interface MapperContext {
  product: PcaProduct;
  /** The company's 社員コード桁数 and ０詰め; undefined while neither PCA nor the connection says. */
  codeRule: CodeRule | undefined;
  /** The address carried (現住所 unless the connection chose 住民票住所). */
  address?: AddressKind;
  masters: Masters;
  /** 連携設定's 部門 / 社員区分 for new employees the HR master gives none (codes). */
  newEmployee?: NewEmployeeCodes;
  /** ISO date; a 退職年月日 on or before it means retired. */
  today: string;
}

const NAME_SEPARATOR = '\u3000';

/** The PCA fields of each address (both kept; the connection says which one Renkei carries). */
export const ADDRESS_FIELDS = {
  current: { zip: 'ZipCode', line1: 'Address1', line2: 'Address2' },
  resident: { zip: 'JuminZipCode', line1: 'JuminAddress1', line2: 'JuminAddress2' },
} as const satisfies Record<AddressKind, Record<string, SyainField>>;

/** Which PCA fields carry each canonical field (for `writtenFields()` and partial modifies). */
export function vendorFieldsOf(
  product: PcaProduct,
  address: AddressKind = 'current',
): Partial<Record<FieldKey, readonly SyainField[]>> {
  const bank = BANK_SLOTS.slice(0, product.bankAccountSlots).flatMap((slot) => Object.values(slot));
  const { zip, line1, line2 } = ADDRESS_FIELDS[address];
  return {
    lastName: ['Sei'],
    firstName: ['Mei'],
    lastNameKana: ['SeiKana'],
    firstNameKana: ['MeiKana'],
    birthDate: ['BirthDate'],
    hireDate: ['NyusyaDate'],
    retireDate: ['TaisyokuDate', 'TaisyokuKubun'],
    gender: ['Sex'],
    email: ['MailAddress'],
    phone: ['TelNo'],
    employmentType: ['KoyoKubun'],
    department: ['BumonCode'],
    jobTitle: ['YakusyokuCode'],
    ...(product.employeeCategories ? { employeeCategory: ['SyainKubun'] as SyainField[] } : {}),
    address: [zip, line1, line2],
    bankAccounts: bank,
  };
}

// ---------------------------------------------------------------------------------------------
// PCA → canonical

export function fromPca(record: BEMasterSyain, ctx: MapperContext): ListedEmployee {
  const issues: FieldIssue[] = [];
  // The code as PCA stores it: matching spellings (`123` = `000123`) is the session's code key.
  const employeeCode = record.Code.trim();
  const date = (field: 'birthDate' | 'hireDate' | 'retireDate', value: number | undefined) => {
    if (!value) return undefined;
    const iso = isoFromPca(value);
    if (!iso) issues.push({ field, message: `日付「${value}」が正しくありません。`, value });
    return iso;
  };
  const retireDate = date('retireDate', record.TaisyokuDate);
  const employee: Employee = {
    employeeCode,
    lastName: nonEmpty(record.Sei),
    firstName: nonEmpty(record.Mei),
    // PCA keeps フリガナ in 半角カナ; the canonical reading is 全角.
    lastNameKana: fullWidth(record.SeiKana),
    firstNameKana: fullWidth(record.MeiKana),
    birthDate: date('birthDate', record.BirthDate),
    hireDate: date('hireDate', record.NyusyaDate),
    retireDate,
    gender: record.Sex === 1 ? 'male' : record.Sex === 2 ? 'female' : undefined,
    status: statusFromPca(record, retireDate, ctx.today),
    email: nonEmpty(record.MailAddress),
    phone: nonEmpty(record.TelNo),
    employmentType: refFromPca(record.KoyoKubun, ctx.masters.employmentType),
    department: refFromPca(record.BumonCode, ctx.masters.department),
    jobTitle: refFromPca(record.YakusyokuCode, ctx.masters.jobTitle),
    employeeCategory: ctx.product.employeeCategories
      ? refFromPca(record.SyainKubun, ctx.product.employeeCategories)
      : undefined,
    address: addressFromPca(record, ctx.address ?? 'current'),
    bankAccounts: banksFromPca(record, ctx.product.bankAccountSlots),
  };
  if (issues.length > 0) return { ok: false, employeeCode, issues, raw: record };
  return { ok: true, employee: dropUndefined(employee) };
}

/**
 * 在籍状況 from PCA's own 退職区分: a 退職者 stays retired without a 退職日. Only a record that does
 * not carry the 区分 at all falls back to its 退職日.
 */
function statusFromPca(record: BEMasterSyain, retireDate: string | undefined, today: string) {
  if (record.TaisyokuKubun !== undefined) {
    return record.TaisyokuKubun === PCA.retireKubun.retired ? 'retired' : 'employed';
  }
  return retireDate && retireDate <= today ? 'retired' : 'employed';
}

function refFromPca(code: string | undefined, master: readonly MasterEntry[]): OrgRef | undefined {
  const value = nonEmpty(code);
  if (!value) return undefined;
  return { code: value, name: master.find((entry) => entry.code === value)?.name ?? value };
}

function addressFromPca(record: BEMasterSyain, kind: AddressKind): Address | undefined {
  const fields = ADDRESS_FIELDS[kind];
  const line1 = nonEmpty(record[fields.line1]);
  const postalCode = nonEmpty(record[fields.zip]);
  if (!line1 && !postalCode) return undefined;
  const prefecture = PREFECTURES.find((name) => line1?.startsWith(name)) ?? '';
  const city = (line1 ?? '').slice(prefecture.length);
  const [street, building] = splitOnce(record[fields.line2]);
  return dropUndefined({ postalCode: postalCode ?? '', prefecture, city, street, building });
}

function splitOnce(value: string | undefined): [string | undefined, string | undefined] {
  const text = nonEmpty(value);
  if (!text) return [undefined, undefined];
  const at = text.indexOf(NAME_SEPARATOR);
  if (at < 0) return [text, undefined];
  return [nonEmpty(text.slice(0, at)), nonEmpty(text.slice(at + 1))];
}

function banksFromPca(record: BEMasterSyain, slots: number): BankAccount[] | undefined {
  const accounts: BankAccount[] = [];
  for (const slot of BANK_SLOTS.slice(0, slots)) {
    const bankCode = nonEmpty(record[slot.bankCode]);
    if (!bankCode) continue;
    accounts.push({
      bankCode,
      branchCode: record[slot.branchCode] ?? '',
      accountType: record[slot.accountType] === ACCOUNT_TYPES.checking ? 'checking' : 'ordinary',
      accountNumber: record[slot.accountNumber] ?? '',
      holderKana: record[slot.holderKana] ?? '',
    });
  }
  return accounts.length > 0 ? accounts : undefined;
}

// ---------------------------------------------------------------------------------------------
// canonical → PCA

export type ToPcaResult = { ok: true; record: BEMasterSyain } | { ok: false; issues: FieldIssue[] };

/** A new employee as a full `BEMasterSyain` (fields the product cannot hold are not sent). */
export function toPcaCreate(employee: Employee, ctx: MapperContext): ToPcaResult {
  const code = vendorCode(employee.employeeCode, ctx.codeRule);
  const issues: FieldIssue[] = [];
  if (!ctx.codeRule) issues.push({ field: 'employeeCode', message: UNKNOWN_RULE_MESSAGE });
  else if (!code.ok)
    issues.push({ field: 'employeeCode', message: code.message, value: employee.employeeCode });
  if (!employee.lastName?.trim()) issues.push({ field: 'lastName', message: '氏名（姓）は必須です。' });
  const { employeeCode: _, ...values } = employee;
  const mapped = toPcaFields(values, ctx);
  issues.push(...mapped.issues, ...newEmployeeDefaults(employee, ctx, mapped.fields));
  if (issues.length > 0 || !code.ok) return { ok: false, issues };
  // Never created as active staff by mistake: a retiree is created with PCA's own retired state.
  const kubun =
    employee.status === 'retired'
      ? PCA.retireKubun.retired
      : (mapped.fields.TaisyokuKubun ?? PCA.retireKubun.employed);
  return { ok: true, record: { Code: code.code, ...mapped.fields, TaisyokuKubun: kubun } };
}

/**
 * 連携設定's 部門 and 社員区分 for a new employee, each only where the HR master gives none; a code
 * no longer in PCA's master refuses the create (the preview shows it) rather than send it.
 */
function newEmployeeDefaults(employee: Employee, ctx: MapperContext, fields: Partial<BEMasterSyain>) {
  const issues: FieldIssue[] = [];
  const apply = (key: 'department' | 'employeeCategory', target: 'BumonCode' | 'SyainKubun') => {
    const code = ctx.newEmployee?.[key];
    if (code === undefined || employee[key] !== undefined) return;
    if (key === 'employeeCategory' && !ctx.product.employeeCategories) return;
    if (ctx.masters[key].some((entry) => entry.code === code)) fields[target] = code;
    else {
      issues.push({
        field: key,
        message: `連携設定の新規登録時の${MASTER_LABELS[key]}（コード「${code}」）は${ctx.product.displayName}の${MASTER_LABELS[key]}マスタにありません。連携設定で選び直してください。`,
        value: code,
      });
    }
  };
  apply('department', 'BumonCode');
  apply('employeeCategory', 'SyainKubun');
  return issues;
}

/** A modify of `current`: its Code, Id and BEVersion plus only the changed PCA fields. */
export function toPcaModify(current: BEMasterSyain, changes: EmployeePatch, ctx: MapperContext): ToPcaResult {
  const mapped = toPcaFields(changes, ctx);
  if (mapped.issues.length > 0) return { ok: false, issues: mapped.issues };
  return {
    ok: true,
    record: { Code: current.Code, Id: current.Id, BEVersion: current.BEVersion, ...mapped.fields },
  };
}

function toPcaFields(
  values: EmployeePatch,
  ctx: MapperContext,
): { fields: Partial<BEMasterSyain>; issues: FieldIssue[] } {
  const fields: Partial<BEMasterSyain> = {};
  const issues: FieldIssue[] = [];
  const has = (key: FieldKey) => key in values && values[key] !== undefined;

  if ('lastName' in values && values.lastName !== undefined) {
    const last = values.lastName?.trim() ? values.lastName : undefined;
    if (!last) issues.push({ field: 'lastName', message: '氏名（姓）は空にできません。' });
    else fields.Sei = nameField('lastName', last, ctx, issues);
  }
  if ('firstName' in values && values.firstName !== undefined) {
    fields.Mei = values.firstName ? nameField('firstName', values.firstName, ctx, issues) : '';
  }
  for (const [key, target] of [
    ['lastNameKana', 'SeiKana'],
    ['firstNameKana', 'MeiKana'],
  ] as const) {
    if (!(key in values) || values[key] === undefined) continue;
    fields[target] = values[key] ? kanaField(key, values[key], issues) : '';
  }
  const date = (
    key: 'birthDate' | 'hireDate' | 'retireDate',
    target: 'BirthDate' | 'NyusyaDate' | 'TaisyokuDate',
  ) => {
    if (!(key in values)) return;
    const value = values[key];
    if (value === undefined) return;
    if (value === null || value === '') {
      fields[target] = 0;
      return;
    }
    const pca = pcaFromIso(value);
    if (pca === undefined) issues.push({ field: key, message: `日付「${value}」を読み取れません。`, value });
    else fields[target] = pca;
  };
  date('birthDate', 'BirthDate');
  date('hireDate', 'NyusyaDate');
  date('retireDate', 'TaisyokuDate');
  // A past 退職日 written to PCA makes the employee a 退職者 there too; clearing it decides nothing
  // (PCA has 退職者 without 退職日).
  if (fields.TaisyokuDate && fields.TaisyokuDate <= Number(ctx.today.replaceAll('-', ''))) {
    fields.TaisyokuKubun = PCA.retireKubun.retired;
  }

  if (has('gender')) {
    const gender = values.gender;
    if (gender === 'male') fields.Sex = 1;
    else if (gender === 'female') fields.Sex = 2;
    else {
      issues.push({
        field: 'gender',
        message: `${ctx.product.displayName}の性別は「男性」か「女性」のみ登録できます。`,
        value: gender,
      });
    }
  }
  if ('email' in values && values.email !== undefined) fields.MailAddress = values.email ?? '';
  if ('phone' in values && values.phone !== undefined) fields.TelNo = values.phone ?? '';

  const ref = (key: MasterKind, target: SyainField, master: readonly MasterEntry[]) => {
    if (!(key in values) || values[key] === undefined) return;
    const value = values[key];
    if (value === null) {
      (fields as Record<string, unknown>)[target] = '';
      return;
    }
    const resolved = resolveRef(value, master);
    if (resolved) (fields as Record<string, unknown>)[target] = resolved;
    else {
      issues.push({
        field: key,
        message: `${MASTER_LABELS[key]}「${value.name}」は${ctx.product.displayName}の${MASTER_LABELS[key]}マスタに登録されていません。先に${ctx.product.displayName}で登録してください。`,
        value,
      });
    }
  };
  ref('employmentType', 'KoyoKubun', ctx.masters.employmentType);
  ref('department', 'BumonCode', ctx.masters.department);
  ref('jobTitle', 'YakusyokuCode', ctx.masters.jobTitle);
  if (ctx.product.employeeCategories) ref('employeeCategory', 'SyainKubun', ctx.product.employeeCategories);

  if ('address' in values && values.address !== undefined) {
    const address = values.address;
    const target = ADDRESS_FIELDS[ctx.address ?? 'current'];
    fields[target.zip] = address?.postalCode ?? '';
    fields[target.line1] = address ? `${address.prefecture}${address.city}` : '';
    fields[target.line2] = address
      ? [address.street ?? '', address.building ?? ''].filter(Boolean).join(NAME_SEPARATOR)
      : '';
    if (address?.street?.includes(NAME_SEPARATOR)) {
      issues.push({ field: 'address', message: '番地に全角スペースは使えません。', value: address.street });
    }
  }

  if ('bankAccounts' in values && values.bankAccounts !== undefined) {
    const accounts = values.bankAccounts ?? [];
    const slots = ctx.product.bankAccountSlots;
    if (accounts.length > slots) {
      issues.push({
        field: 'bankAccounts',
        message: `${ctx.product.displayName}に登録できる給与振込口座は${slots}つまでです（${accounts.length}口座が指定されています）。`,
        value: accounts.length,
      });
    }
    BANK_SLOTS.slice(0, slots).forEach((slot, index) => {
      const account = accounts[index];
      if (account?.accountType === 'savings') {
        issues.push({
          field: 'bankAccounts',
          message: 'PCAの預金種目は「普通」か「当座」のみ登録できます。',
          value: account,
        });
      }
      fields[slot.bankCode] = account?.bankCode ?? '';
      fields[slot.branchCode] = account?.branchCode ?? '';
      fields[slot.accountType] = account
        ? ACCOUNT_TYPES[account.accountType === 'checking' ? 'checking' : 'ordinary']
        : 0;
      fields[slot.accountNumber] = account?.accountNumber ?? '';
      fields[slot.holderKana] = account?.holderKana ?? '';
    });
  }
  return { fields, issues };
}

/** By code when the master has it, else by name; undefined when neither is there (never created). */
export function resolveRef(ref: OrgRef, master: readonly MasterEntry[]): string | undefined {
  if (ref.code !== undefined && master.some((entry) => entry.code === ref.code)) return ref.code;
  const name = normaliseName(ref.name);
  return master.find((entry) => normaliseName(entry.name) === name)?.code;
}

const normaliseName = (name: string) => name.normalize('NFKC').replace(/\s+/g, ' ').trim();

const NAME_LABELS = {
  lastName: '姓',
  firstName: '名',
  lastNameKana: '姓（フリガナ）',
  firstNameKana: '名（フリガナ）',
};

/** A 姓 or 名 as PCA holds it: 全角10文字（半角20文字）at most. */
function nameField(key: 'lastName' | 'firstName', value: string, ctx: MapperContext, issues: FieldIssue[]) {
  if (halfWidthUnits(value) > PCA.nameMaxUnits) {
    issues.push({
      field: key,
      message: `${NAME_LABELS[key]}「${value}」は長すぎます。${ctx.product.displayName}の${NAME_LABELS[key]}は全角${PCA.nameMaxUnits / 2}文字（半角${PCA.nameMaxUnits}文字）までです。`,
      value,
    });
  }
  return value;
}

/** A フリガナ as PCA holds it: 半角カナ, 20 characters at most (濁点 count as one each). */
function kanaField(key: 'lastNameKana' | 'firstNameKana', value: string, issues: FieldIssue[]) {
  const half = toHalfWidthKana(value);
  if (!isHalfWidthKana(half)) {
    issues.push({
      field: key,
      message: `${NAME_LABELS[key]}「${value}」にはカタカナ以外の文字があります。PCAのフリガナは半角カナで登録されます。`,
      value,
    });
  } else if (half.length > PCA.kanaMaxLength) {
    issues.push({
      field: key,
      message: `${NAME_LABELS[key]}「${value}」は長すぎます。PCAのフリガナは半角${PCA.kanaMaxLength}文字（濁点・半濁点も1文字）までです。`,
      value,
    });
  }
  return half;
}

// ---------------------------------------------------------------------------------------------
// dates and small helpers

/** The date in Japan (PCA's 退職年月日 is a Japanese calendar day), as `YYYY-MM-DD`. */
export { tokyoDate } from '@renkei/core';

/** `20240401` → `2024-04-01`; undefined when it is not a real date. */
export function isoFromPca(value: number): string | undefined {
  const text = String(value);
  if (!/^\d{8}$/.test(text)) return undefined;
  const iso = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
  return isRealDate(iso) ? iso : undefined;
}

/** `2024-04-01` (or `2024/4/1`) → `20240401`. */
export function pcaFromIso(value: string): number | undefined {
  const match = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(value.normalize('NFKC').trim());
  if (!match) return undefined;
  const iso = `${match[1]}-${match[2]!.padStart(2, '0')}-${match[3]!.padStart(2, '0')}`;
  return isRealDate(iso) ? Number(iso.replaceAll('-', '')) : undefined;
}

function isRealDate(iso: string): boolean {
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso);
}

function fullWidth(value: string | undefined): string | undefined {
  const text = nonEmpty(value);
  return text ? toFullWidthKatakana(text) : undefined;
}

function nonEmpty(value: string | undefined | null): string | undefined {
  const text = value?.trim();
  return text ? text : undefined;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
