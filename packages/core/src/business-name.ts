import { z } from 'zod';
import type { Employee } from './employee.ts';

/** Which name an export writes as 姓/名: the legal one (default) or the ビジネスネーム where set. */
export const NamePreference = z.enum(['legal', 'business']);
export type NamePreference = z.infer<typeof NamePreference>;

const PARTS = [
  ['lastName', 'lastNameKana', 'businessLastName', 'businessLastNameKana'],
  ['firstName', 'firstNameKana', 'businessFirstName', 'businessFirstNameKana'],
] as const;

/**
 * The employee as an export under ビジネスネーム優先 sees it: each of 姓 and 名 that has a ビジネスネーム
 * is replaced by it, with its own フリガナ. A part without a ビジネスネーム keeps the legal name and
 * its フリガナ; a ビジネスネーム without フリガナ carries none (the legal reading would not match it,
 * so the target keeps the reading it has). The business fields themselves are left as they are.
 */
export function withBusinessName(employee: Employee): Employee {
  let result: Employee | undefined;
  for (const [name, kana, businessName, businessKana] of PARTS) {
    const business = employee[businessName]?.trim();
    if (!business) continue;
    result ??= { ...employee };
    result[name] = employee[businessName];
    const reading = employee[businessKana];
    if (reading?.trim()) result[kana] = reading;
    else delete result[kana];
  }
  return result ?? employee;
}
