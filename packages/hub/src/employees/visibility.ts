// Who sees which personal data of an employee: the one rule pages, exports and notifications apply.
// Admins see everything. Members (閲覧のみ) see 給与振込口座 only as the bank and the last four digits
// of the account number, never 住所 or 生年月日, and cannot download the 従業員リスト.
import { type BankAccount, type Employee, type FieldKey, formatFieldValue } from '@renkei/core';
import type { Role } from '../users/users.ts';

const HIDDEN_FROM_MEMBERS: ReadonlySet<FieldKey> = new Set(['address', 'birthDate']);

/** Whether `role` may see the field at all (a hidden field is left out, not shown as empty). */
export function canSeeField(role: Role, field: FieldKey): boolean {
  return role === 'admin' || !HIDDEN_FROM_MEMBERS.has(field);
}

/** Whether `role` may download the 従業員リスト (every field, unmasked). */
export const canExportEmployees = (role: Role): boolean => role === 'admin';

/** What members see of an account number: its last four digits. */
const maskedNumber = (accountNumber: string): string => `****${accountNumber.replace(/\D/g, '').slice(-4)}`;

function maskedAccount(account: BankAccount): string {
  return `銀行 ${account.bankCode} 口座番号 ${maskedNumber(account.accountNumber)}`;
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

/**
 * The employee as `role` may read it as data (the HTTP API): hidden fields left out, and for
 * members each account as pages show it — the bank, and the account number cut to its last four
 * digits (`****1234`); the branch and the holder's name are left empty (the schema's shape is kept).
 */
export function visibleEmployee(role: Role, employee: Employee): Partial<Employee> {
  if (role === 'admin') return employee;
  const visible: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(employee)) {
    if (key !== 'employeeCode' && !canSeeField(role, key as FieldKey)) continue;
    visible[key] =
      key === 'bankAccounts'
        ? // Listed field by field, so a part added to BankAccount later stays hidden until chosen here.
          (value as BankAccount[]).map(
            (account): BankAccount => ({
              bankCode: account.bankCode,
              branchCode: '',
              accountType: account.accountType,
              accountNumber: maskedNumber(account.accountNumber),
              holderKana: '',
            }),
          )
        : value;
  }
  return visible as Partial<Employee>;
}
