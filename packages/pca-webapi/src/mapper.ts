import type {
  Address,
  BankAccount,
  Employee,
  EmployeePatch,
  FieldIssue,
  FieldKey,
  ListedEmployee,
  OrgRef,
} from '@renkei/core';
import { ACCOUNT_TYPES, BANK_SLOTS, type BEMasterSyain, type SyainField } from './api.ts';
import { canonicalCode, vendorCode } from './codes.ts';
import { PREFECTURES } from './prefectures.ts';
import type { MasterEntry, PcaProduct } from './product.ts';

/** Pure functions PCA `BEMasterSyain` ⇔ canonical employee. No I/O: masters and today are given. */

export type MasterKind = 'department' | 'jobTitle' | 'employmentType' | 'employeeCategory';
export type Masters = Record<MasterKind, readonly MasterEntry[]>;

export const MASTER_LABELS: Record<MasterKind, string> = {
  department: '部門',
  jobTitle: '役職',
  employmentType: '雇用区分',
  employeeCategory: '社員区分',
};

export interface MapperContext {
  product: PcaProduct;
  /** The area's 社員コード桁数 (0 = no padding). */
  codeWidth: number;
  masters: Masters;
  /** ISO date; a 退職年月日 on or before it means retired. */
  today: string;
}

const NAME_SEPARATOR = '\u3000';

/** Which PCA fields carry each canonical field (for `writtenFields()` and partial modifies). */
export function vendorFieldsOf(product: PcaProduct): Partial<Record<FieldKey, readonly SyainField[]>> {
  const bank = BANK_SLOTS.slice(0, product.bankAccountSlots).flatMap((slot) => Object.values(slot));
  return {
    lastName: ['Name'],
    firstName: ['Name'],
    lastNameKana: ['Kana'],
    firstNameKana: ['Kana'],
    birthDate: ['BirthDate'],
    hireDate: ['NyusyaDate'],
    retireDate: ['TaisyokuDate'],
    gender: ['Sex'],
    email: ['MailAddress'],
    phone: ['TelNo'],
    employmentType: ['KoyoKubun'],
    department: ['BumonCode'],
    jobTitle: ['YakusyokuCode'],
    ...(product.employeeCategories ? { employeeCategory: ['SyainKubun'] as SyainField[] } : {}),
    address: ['ZipCode', 'Address1', 'Address2'],
    bankAccounts: bank,
  };
}

// ---------------------------------------------------------------------------------------------
// PCA → canonical

export function fromPca(record: BEMasterSyain, ctx: MapperContext): ListedEmployee {
  const issues: FieldIssue[] = [];
  const employeeCode = canonicalCode(record.Code, ctx.codeWidth);
  const [lastName, firstName] = splitPair(record.Name);
  const [lastNameKana, firstNameKana] = splitPair(record.Kana);
  const date = (field: 'birthDate' | 'hireDate' | 'retireDate', value: number | undefined) => {
    if (!value) return undefined;
    const iso = isoFromPca(value);
    if (!iso) issues.push({ field, message: `日付「${value}」が正しくありません。`, value });
    return iso;
  };
  const retireDate = date('retireDate', record.TaisyokuDate);
  const employee: Employee = {
    employeeCode,
    lastName,
    firstName,
    lastNameKana,
    firstNameKana,
    birthDate: date('birthDate', record.BirthDate),
    hireDate: date('hireDate', record.NyusyaDate),
    retireDate,
    gender: record.Sex === 1 ? 'male' : record.Sex === 2 ? 'female' : undefined,
    status: retireDate && retireDate <= ctx.today ? 'retired' : 'employed',
    email: nonEmpty(record.MailAddress),
    phone: nonEmpty(record.TelNo),
    employmentType: refFromPca(record.KoyoKubun, ctx.masters.employmentType),
    department: refFromPca(record.BumonCode, ctx.masters.department),
    jobTitle: refFromPca(record.YakusyokuCode, ctx.masters.jobTitle),
    employeeCategory: ctx.product.employeeCategories
      ? refFromPca(record.SyainKubun, ctx.product.employeeCategories)
      : undefined,
    address: addressFromPca(record),
    bankAccounts: banksFromPca(record, ctx.product.bankAccountSlots),
  };
  if (issues.length > 0) return { ok: false, employeeCode, issues, raw: record };
  return { ok: true, employee: dropUndefined(employee) };
}

function splitPair(value: string | undefined): [string | undefined, string | undefined] {
  const text = nonEmpty(value);
  if (!text) return [undefined, undefined];
  const match = /^(.*?)[\u3000 ]+(.*)$/.exec(text);
  if (!match) return [text, undefined];
  return [nonEmpty(match[1]), nonEmpty(match[2])];
}

function refFromPca(code: string | undefined, master: readonly MasterEntry[]): OrgRef | undefined {
  const value = nonEmpty(code);
  if (!value) return undefined;
  return { code: value, name: master.find((entry) => entry.code === value)?.name ?? value };
}

function addressFromPca(record: BEMasterSyain): Address | undefined {
  const line1 = nonEmpty(record.Address1);
  const postalCode = nonEmpty(record.ZipCode);
  if (!line1 && !postalCode) return undefined;
  const prefecture = PREFECTURES.find((name) => line1?.startsWith(name)) ?? '';
  const city = (line1 ?? '').slice(prefecture.length);
  const [street, building] = splitOnce(record.Address2);
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
  const code = vendorCode(employee.employeeCode, ctx.codeWidth);
  const issues: FieldIssue[] = [];
  if (!code.ok) issues.push({ field: 'employeeCode', message: code.message, value: employee.employeeCode });
  if (!employee.lastName) issues.push({ field: 'lastName', message: '氏名（姓）は必須です。' });
  const { employeeCode: _, ...values } = employee;
  const mapped = toPcaFields(values, undefined, ctx);
  issues.push(...mapped.issues);
  if (issues.length > 0 || !code.ok) return { ok: false, issues };
  return { ok: true, record: { Code: code.code, ...mapped.fields } };
}

/** A modify of `current`: its Code, Id and BEVersion plus only the changed PCA fields. */
export function toPcaModify(current: BEMasterSyain, changes: EmployeePatch, ctx: MapperContext): ToPcaResult {
  const listed = fromPca(current, ctx);
  const base = listed.ok ? listed.employee : undefined;
  const mapped = toPcaFields(changes, base, ctx);
  if (mapped.issues.length > 0) return { ok: false, issues: mapped.issues };
  return {
    ok: true,
    record: { Code: current.Code, Id: current.Id, BEVersion: current.BEVersion, ...mapped.fields },
  };
}

function toPcaFields(
  values: EmployeePatch,
  base: Employee | undefined,
  ctx: MapperContext,
): { fields: Partial<BEMasterSyain>; issues: FieldIssue[] } {
  const fields: Partial<BEMasterSyain> = {};
  const issues: FieldIssue[] = [];
  const has = (key: FieldKey) => key in values && values[key] !== undefined;
  const pick = <K extends FieldKey>(key: K): Employee[K] | null | undefined =>
    has(key) ? values[key] : base?.[key];

  if (has('lastName') || has('firstName')) {
    const last = pick('lastName');
    if (!last) issues.push({ field: 'lastName', message: '氏名（姓）は空にできません。' });
    else fields.Name = joinPair(last, pick('firstName'));
  }
  if (has('lastNameKana') || has('firstNameKana')) {
    fields.Kana = joinPair(pick('lastNameKana'), pick('firstNameKana'));
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
    fields.ZipCode = address?.postalCode ?? '';
    fields.Address1 = address ? `${address.prefecture}${address.city}` : '';
    fields.Address2 = address
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

function joinPair(first: string | null | undefined, second: string | null | undefined): string {
  return [first ?? '', second ?? ''].filter(Boolean).join(NAME_SEPARATOR);
}

// ---------------------------------------------------------------------------------------------
// dates and small helpers

/** The date in Japan (PCA's 退職年月日 is a Japanese calendar day), as `YYYY-MM-DD`. */
const tokyoDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' });
export const tokyoDate = (epochMs: number): string => tokyoDay.format(epochMs);

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

function nonEmpty(value: string | undefined | null): string | undefined {
  const text = value?.trim();
  return text ? text : undefined;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
