import type { Employee } from './employee.ts';
import { normaliseDate } from './normalise/date.ts';

/**
 * Whether an employee was employed on `date` (ISO, a Japanese calendar day) — what 在籍者のみ keeps:
 * hired on or before it (or no 入社年月日), and not retired before it. A 退職年月日 is the last day
 * employed; without one, 在籍状況 `retired` means retired already. 休職 counts as employed.
 */
export function isEmployedOn(employee: Employee, date: string): boolean {
  const hired = isoOf(employee.hireDate);
  if (hired !== undefined && hired > date) return false;
  const retired = isoOf(employee.retireDate);
  if (retired !== undefined) return retired >= date;
  return employee.status !== 'retired';
}

const isoOf = (value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  const read = normaliseDate(value);
  return read.ok ? (read.value as string | undefined) : undefined;
};
