import { type Employee, type ListedEmployee, normaliseEmployee } from '@renkei/core';
import diff from 'microdiff';
import type { Counts } from './subjects.ts';

/**
 * The baseline: the same comparison done naively — a plain key lookup, then a popular deep-diff
 * library per record. It knows no notations, so re-notated values count as differences.
 */
export function naivePlan(source: readonly ListedEmployee[], target: readonly ListedEmployee[]): Counts {
  return naiveArrival(source, target)();
}

/**
 * `naivePlan` as records arrive: each pair is diffed with microdiff the moment its second record is
 * there (the master's records arrive first), so after the last record only the counts are left.
 */
export function naiveArrival(
  source: readonly ListedEmployee[],
  target: readonly ListedEmployee[],
): () => Counts {
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
  return () => ({ ...counts });
}

/**
 * The same comparison done naively *with* the notations, for a like-for-like figure: every record of
 * both sides normalised whole with core's `normaliseEmployee`, then a key lookup and microdiff. It
 * does what plan does per field (normalise, then compare) but without plan's shortcuts; it builds no
 * entries and no fingerprints, and compares structurally (not by the fields' own equality).
 */
export function naiveNormalisedPlan(
  source: readonly ListedEmployee[],
  target: readonly ListedEmployee[],
): Counts {
  const byCode = new Map<string, Employee>();
  for (const record of target) {
    const employee = record.ok ? normaliseEmployee(record.employee).employee : undefined;
    if (employee) byCode.set(employee.employeeCode, employee);
  }
  const counts: Counts = { new: 0, changed: 0, unchanged: 0 };
  for (const record of source) {
    const employee = record.ok ? normaliseEmployee(record.employee).employee : undefined;
    if (!employee) continue;
    const current = byCode.get(employee.employeeCode);
    if (!current) counts.new++;
    else if (diff(current, employee).length > 0) counts.changed++;
    else counts.unchanged++;
  }
  return counts;
}
