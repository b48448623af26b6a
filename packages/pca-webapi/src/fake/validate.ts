import {
  ACCOUNT_TYPES,
  BANK_SLOTS,
  type BankSlot,
  type BEMasterSyain,
  BEMasterSyain as SyainSchema,
} from '../api.ts';
import type { CodeRule } from '../codes.ts';
import { halfWidthUnits, isHalfWidthKana } from '../halfwidth.ts';
import { isoFromPca } from '../mapper.ts';
import type { PcaProduct } from '../product.ts';
import { PCA } from '../vendor.ts';
import type { FakeMasters } from './seed.ts';

/** What the fake knows about the area a record is written to. */
export interface AreaRules {
  product: PcaProduct;
  masters: FakeMasters;
}

const KATAKANA = /^[\u30A1-\u30FA\u30FC\u30FB\uFF66-\uFF9F\u3000 ]*$/;

/** Parses a written record the way PCA does: unknown fields and wrong types are refused. */
export function parseRecord(
  raw: unknown,
  product: PcaProduct,
): { record: BEMasterSyain } | { error: string } {
  if (typeof raw !== 'object' || raw === null) return { error: '社員データの形式が正しくありません。' };
  const known = new Set(Object.keys(SyainSchema.shape));
  const allowed = (key: string) =>
    known.has(key) &&
    !(key === 'SyainKubun' && !product.employeeCategories) &&
    !isExtraBankSlot(key, product);
  const unknown = Object.keys(raw).filter((key) => !allowed(key));
  if (unknown.length > 0)
    return { error: `項目 ${unknown.join(', ')} は${product.displayName}にありません。` };
  const parsed = SyainSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { error: `項目 ${issue?.path.join('.') ?? ''} の値が正しくありません。` };
  }
  return { record: parsed.data };
}

function isExtraBankSlot(key: string, product: PcaProduct): boolean {
  return BANK_SLOTS.slice(product.bankAccountSlots).some((slot) =>
    (Object.values(slot) as string[]).includes(key),
  );
}

/**
 * The code as the company stores it (半角英数カナ, at most 桁数; numeric codes ０詰め where the
 * company fills zeros), or PCA's error message.
 */
export function storedCode(code: string, rule: CodeRule): { code: string } | { error: string } {
  if (!PCA.employeeCode.characters.test(code))
    return { error: `社員コード「${code}」は半角英数カナで入力してください。` };
  const stored =
    rule.fillZero && /^\d+$/.test(code) ? code.replace(/^0+(?=\d)/, '').padStart(rule.width, '0') : code;
  if (stored.length > rule.width)
    return { error: `社員コード「${code}」は${rule.width}桁以内で入力してください。` };
  return { code: stored };
}

/**
 * PCA's optimistic lock on Modify (modelled): every entity carries BEVersion, and a modify must send
 * the one it read, or a write made since would be overwritten unnoticed.
 */
export function versionProblem(sent: number | undefined, stored: number | undefined): string | undefined {
  if (sent === undefined) return 'BEVersion を指定してください。最新のデータを取得してから更新してください。';
  if (sent !== stored) return '他の操作で更新されています。最新のデータを取得してから更新してください。';
  return undefined;
}

/** Every rule PCA applies to a complete employee record; the first broken one is reported. */
export function validateRecord(record: BEMasterSyain, rules: AreaRules): string | undefined {
  const errors: string[] = [];
  if (!record.Sei?.trim()) errors.push('姓は必須です。');
  for (const [field, label] of [
    ['Sei', '姓'],
    ['Mei', '名'],
  ] as const) {
    const value = record[field] ?? '';
    if (halfWidthUnits(value) > PCA.nameMaxUnits)
      errors.push(
        `${label}は全角${PCA.nameMaxUnits / 2}文字（半角${PCA.nameMaxUnits}文字）以内で入力してください。`,
      );
  }
  for (const [field, label] of [
    ['SeiKana', 'フリガナ（姓）'],
    ['MeiKana', 'フリガナ（名）'],
  ] as const) {
    const value = record[field] ?? '';
    if (!isHalfWidthKana(value)) errors.push(`${label}は半角カナで入力してください。`);
    else if (value.length > PCA.kanaMaxLength)
      errors.push(`${label}は半角${PCA.kanaMaxLength}文字以内で入力してください。`);
  }
  const kubun = record.TaisyokuKubun;
  if (kubun !== undefined && kubun !== PCA.retireKubun.employed && kubun !== PCA.retireKubun.retired)
    errors.push('退職区分は 0（在籍）または 1（退職）で入力してください。');
  for (const [field, label] of [
    ['BirthDate', '生年月日'],
    ['NyusyaDate', '入社年月日'],
    ['TaisyokuDate', '退職年月日'],
  ] as const) {
    const value = record[field];
    if (value && !isoFromPca(value))
      errors.push(`${label}「${value}」は YYYYMMDD 形式の正しい日付で入力してください。`);
  }
  if (record.TaisyokuDate && record.NyusyaDate && record.TaisyokuDate < record.NyusyaDate) {
    errors.push('退職年月日は入社年月日より後の日付にしてください。');
  }
  if (record.Sex !== undefined && record.Sex !== 1 && record.Sex !== 2) {
    errors.push('性別は 1（男）または 2（女）で入力してください。');
  }
  const reference = (value: string | undefined, entries: readonly { code: string }[], label: string) => {
    if (value && !entries.some((entry) => entry.code === value)) {
      errors.push(`${label}コード「${value}」は${label}マスタに登録されていません。`);
    }
  };
  reference(record.BumonCode, rules.masters.department, '部門');
  reference(record.YakusyokuCode, rules.masters.jobTitle, '役職');
  reference(record.KoyoKubun, rules.masters.employmentType, '雇用区分');
  if (rules.product.employeeCategories)
    reference(record.SyainKubun, rules.product.employeeCategories, '社員区分');
  if (record.ZipCode && !/^\d{3}-?\d{4}$/.test(record.ZipCode))
    errors.push('郵便番号は 123-4567 の形式で入力してください。');
  if (record.TelNo && !/^[\d\-()+]{1,20}$/.test(record.TelNo))
    errors.push('電話番号は数字とハイフンで入力してください。');
  if (record.MailAddress && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(record.MailAddress)) {
    errors.push('メールアドレスの形式が正しくありません。');
  }
  BANK_SLOTS.slice(0, rules.product.bankAccountSlots).forEach((slot, index) => {
    const problem = validateBank(record, slot, `振込口座${index + 1}`);
    if (problem) errors.push(problem);
  });
  return errors.length > 0 ? errors.join(' ') : undefined;
}

function validateBank(record: BEMasterSyain, slot: BankSlot, label: string): string | undefined {
  const value = (key: keyof BankSlot) => record[slot[key]];
  const set = [value('bankCode'), value('branchCode'), value('accountNumber'), value('holderKana')].filter(
    Boolean,
  );
  if (set.length === 0 && !value('accountType')) return undefined;
  if (!/^\d{4}$/.test(String(value('bankCode') ?? '')))
    return `${label}の銀行コードは4桁の数字で入力してください。`;
  if (!/^\d{3}$/.test(String(value('branchCode') ?? '')))
    return `${label}の支店コードは3桁の数字で入力してください。`;
  const type = value('accountType');
  if (type !== ACCOUNT_TYPES.ordinary && type !== ACCOUNT_TYPES.checking) {
    return `${label}の預金種目は 1（普通）または 2（当座）で入力してください。`;
  }
  if (!/^\d{7}$/.test(String(value('accountNumber') ?? '')))
    return `${label}の口座番号は7桁の数字で入力してください。`;
  const holder = String(value('holderKana') ?? '');
  if (!holder || !KATAKANA.test(holder)) return `${label}の口座名義はカタカナで入力してください。`;
  return undefined;
}
