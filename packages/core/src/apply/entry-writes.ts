import { type ConnectorFields, canWrite, type EmployeeWrite } from '../connector.ts';
import type { Employee, EmployeePatch } from '../employee.ts';
import { fieldValuesEqual, fingerprintEmployee } from '../plan/index.ts';
import type { FieldChange, Plan, PlanEntry } from '../plan/types.ts';

/** A selected plan entry with the changes the target can actually take. */
export interface WriteTask {
  entry: PlanEntry;
  /**
   * The 社員番号 the target holds the record under (`targetEmployeeCode` where plan matched another
   * spelling): reads, updates and answers use it; outcomes keep the entry's code.
   */
  targetCode: string;
  /** The entry's changes narrowed to fields the target writes: exactly what is sent. */
  changes: FieldChange[];
}

export function toWriteTask(entry: PlanEntry, fields: ConnectorFields): WriteTask {
  return {
    entry,
    targetCode: entry.targetEmployeeCode ?? entry.employeeCode,
    changes: entry.changes.filter((change) => canWrite(fields[change.field])),
  };
}

/**
 * The write for a task. Creates carry every value of the `new` entry under the source's 社員番号;
 * updates, under the target's, only the changed
 * fields (`null` clears, which plan produces only under `mirror`). A `new` entry whose record turned
 * up meanwhile (a committed create whose answer was lost) becomes an update, never a second create.
 */
export function toWrite(task: WriteTask, exists: boolean): EmployeeWrite {
  if (task.entry.status === 'new' && !exists) {
    const { employeeCode } = task.entry;
    const values: Record<string, unknown> = { employeeCode };
    for (const change of task.changes) if (change.after !== null) values[change.field] = change.after;
    return { op: 'create', employeeCode, values: values as Employee };
  }
  const changes: Record<string, unknown> = {};
  for (const change of task.changes) changes[change.field] = change.after;
  return { op: 'update', employeeCode: task.targetCode, changes: changes as EmployeePatch };
}

/** Whether the target's current record already holds every value the task would write. */
export function holdsIntendedValues(current: Employee | undefined, task: WriteTask): boolean {
  if (!current) return false;
  return task.changes.every((change) => fieldValuesEqual(change.field, current[change.field], change.after));
}

/** Whether the target moved since the preview: its compared values no longer match the fingerprint. */
export function hasMoved(current: Employee | undefined, entry: PlanEntry, plan: Plan): boolean {
  return fingerprintEmployee(current, plan.fields, plan.orgRefMatch) !== entry.fingerprint;
}
