// Who sees which personal data of an employee: the one rule pages, exports and notifications apply.
// Admins see everything. Members (閲覧のみ) see 給与振込口座 only as the bank and the last four digits
// of the account number, never 住所 or 生年月日, and cannot download the 従業員リスト.
import { type BankAccount, type FieldKey, formatFieldValue } from '@renkei/core';
import type { Role } from '../users/users.ts';

const HIDDEN_FROM_MEMBERS: ReadonlySet<FieldKey> = new Set(['address', 'birthDate']);

/** Whether `role` may see the field at all (a hidden field is left out, not shown as empty). */
export function canSeeField(role: Role, field: FieldKey): boolean {
  return role === 'admin' || !HIDDEN_FROM_MEMBERS.has(field);
}

/** Whether `role` may download the 従業員リスト (every field, unmasked). */
export const canExportEmployees = (role: Role): boolean => role === 'admin';

function maskedAccount(account: BankAccount): string {
  const digits = account.accountNumber.replace(/\D/g, '');
  return `銀行 ${account.bankCode} 口座番号 ****${digits.slice(-4)}`;
}

/**
 * The field's value as `role` may read it: the full display text for admins, 給与振込口座 masked for
 * members; `undefined` when the field is hidden from `role`.
 */
export function visibleFieldText(role: Role, field: FieldKey, value: unknown): string | undefined {
  if (!canSeeField(role, field)) return undefined;
  if (role !== 'admin' && field === 'bankAccounts' && Array.isArray(value) && value.length > 0) {
    return (value as BankAccount[]).map(maskedAccount).join(' / ');
  }
  return formatFieldValue(field, value);
}
