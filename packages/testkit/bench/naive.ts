import type { Employee, ListedEmployee } from '@renkei/core';
import diff from 'microdiff';
import type { Counts } from './subjects.ts';

/**
 * The baseline: the same comparison done naively — a plain key lookup, then a popular deep-diff
 * library per record. It knows no notations, so re-notated values count as differences.
 */
export function naivePlan(source: readonly ListedEmployee[], target: readonly ListedEmployee[]): Counts {
  const byCode = new Map<string, Employee>();
  for (const record of target) if (record.ok) byCode.set(record.employee.employeeCode, record.employee);
  const counts: Counts = { new: 0, changed: 0, unchanged: 0 };
  for (const record of source) {
    if (!record.ok) continue;
    const current = byCode.get(record.employee.employeeCode);
    if (!current) counts.new++;
    else if (diff(current, record.employee).length > 0) counts.changed++;
    else counts.unchanged++;
  }
  return counts;
}
