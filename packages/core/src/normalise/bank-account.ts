import type { BankAccount } from '../employee.ts';
import { enumNormaliser } from './enum.ts';
import { normaliseHolderKana, sameHolderKana } from './kana.ts';
import { fail, type Normalised, ok, quote } from './result.ts';
import { hasOnlyKeys } from './shape.ts';
import { isEmptyValue, normaliseText } from './text.ts';

export const BANK_ACCOUNT_PART_LABELS: Readonly<Record<keyof BankAccount, string>> = {
  bankCode: '銀行コード',
  branchCode: '支店コード',
  accountType: '預金種目',
  accountNumber: '口座番号',
  holderKana: '口座名義（カナ）',
};

export const normaliseAccountType = enumNormaliser(
  { ordinary: '普通', checking: '当座', savings: '貯蓄' },
  { 普通預金: 'ordinary', 当座預金: 'checking', 貯蓄預金: 'savings' },
);

const CODE_WIDTHS = { bankCode: 4, branchCode: 3, accountNumber: 7 } as const;
const DIGITS = /^\d+$/;
const CODE_NOISE = /[\s-]/g;
const ACCOUNT_KEYS = Object.keys(BANK_ACCOUNT_PART_LABELS);
const NORMAL_HOLDER = /^[\u30A1-\u30FE]+(?: [\u30A1-\u30FE]+)*$/;

const isDigits = (value: unknown, width: number): boolean => {
  if (typeof value !== 'string' || value.length !== width) return false;
  for (let i = 0; i < width; i++) {
    const code = value.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
};

const isNormalAccount = (raw: Record<string, unknown>): boolean =>
  isDigits(raw.bankCode, 4) &&
  isDigits(raw.branchCode, 3) &&
  isDigits(raw.accountNumber, 7) &&
  normaliseAccountType.isNormal(raw.accountType) &&
  typeof raw.holderKana === 'string' &&
  NORMAL_HOLDER.test(raw.holderKana) &&
  hasOnlyKeys(raw, ACCOUNT_KEYS);

/** Whether `value` is a list of accounts already in normal form (a quick check: false means "normalise it"). */
export function isNormalBankAccounts(value: unknown): value is BankAccount[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  for (const item of value)
    if (typeof item !== 'object' || item === null || !isNormalAccount(item)) return false;
  return true;
}

/** A numeric code zero-padded to its width (`5` → `0005`); longer or non-numeric is refused. */
function paddedCode(raw: unknown, key: keyof typeof CODE_WIDTHS): Normalised<string> {
  const width = CODE_WIDTHS[key];
  const label = BANK_ACCOUNT_PART_LABELS[key];
  if (raw === undefined || raw === null) return ok(undefined);
  const text =
    typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0
      ? String(raw)
      : typeof raw === 'string'
        ? normaliseText(raw).replace(CODE_NOISE, '')
        : null;
  if (text === '') return ok(undefined);
  if (text === null || !DIGITS.test(text) || text.length > width) {
    return fail(`${label}${quote(raw)}は${width}桁までの数字で入力してください`);
  }
  return ok(text.padStart(width, '0'));
}

function normaliseOne(value: unknown): Normalised<BankAccount> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(`${quote(value)}は口座として読み取れません`);
  }
  if (isEmptyValue(value)) return ok(undefined);
  const raw = value as Record<string, unknown>;
  const bankCode = paddedCode(raw.bankCode, 'bankCode');
  if (!bankCode.ok) return bankCode;
  const branchCode = paddedCode(raw.branchCode, 'branchCode');
  if (!branchCode.ok) return branchCode;
  const accountNumber = paddedCode(raw.accountNumber, 'accountNumber');
  if (!accountNumber.ok) return accountNumber;
  const accountType = normaliseAccountType(raw.accountType);
  if (!accountType.ok) return fail(`${BANK_ACCOUNT_PART_LABELS.accountType}${accountType.message}`);
  const holder = normaliseHolderKana(raw.holderKana);
  if (!holder.ok) return fail(`${BANK_ACCOUNT_PART_LABELS.holderKana}${holder.message}`);
  const required = {
    bankCode: bankCode.value,
    branchCode: branchCode.value,
    accountType: accountType.value,
    accountNumber: accountNumber.value,
  };
  const missing = (Object.keys(required) as (keyof typeof required)[]).filter(
    (key) => required[key] === undefined,
  );
  if (missing.length > 0) {
    return fail(`${missing.map((key) => BANK_ACCOUNT_PART_LABELS[key]).join('・')}がありません`);
  }
  return ok({
    bankCode: bankCode.value as string,
    branchCode: branchCode.value as string,
    accountType: accountType.value as BankAccount['accountType'],
    accountNumber: accountNumber.value as string,
    holderKana: holder.value ?? '',
  });
}

/**
 * 給与振込口座: codes zero-padded (銀行 4 桁, 支店 3 桁, 口座番号 7 桁), 預金種目 as an enum, the
 * holder as kana. One object is read as a list of one; blank accounts are dropped.
 */
export function normaliseBankAccounts(value: unknown): Normalised<BankAccount[]> {
  if (value === undefined || value === null) return ok(undefined);
  if (isNormalBankAccounts(value)) return ok(value);
  const list = Array.isArray(value) ? value : [value];
  const accounts: BankAccount[] = [];
  for (const [index, item] of list.entries()) {
    const result = normaliseOne(item);
    if (!result.ok) return list.length > 1 ? fail(`${index + 1}件目の口座: ${result.message}`) : result;
    if (result.value) accounts.push(result.value);
  }
  return ok(accounts.length === 0 ? undefined : accounts);
}

const sameAccount = (a: BankAccount, b: BankAccount): boolean =>
  a.bankCode === b.bankCode &&
  a.branchCode === b.branchCode &&
  a.accountType === b.accountType &&
  a.accountNumber === b.accountNumber &&
  sameHolderKana(a.holderKana, b.holderKana);

export const sameBankAccounts = (a: readonly BankAccount[], b: readonly BankAccount[]): boolean =>
  a.length === b.length && a.every((account, index) => sameAccount(account, b[index] as BankAccount));

export function formatBankAccount(account: BankAccount): string {
  const type = normaliseAccountType.labels[account.accountType];
  return `${account.bankCode}-${account.branchCode} ${type} ${account.accountNumber} ${account.holderKana}`.trim();
}
