import type { ConnectorFields, EmployeeWrite } from '../connector.ts';
import { isWriting, type Plan } from '../plan/types.ts';
import { toWrite, toWriteTask } from './entry-writes.ts';

/**
 * The writes a plan's selectable `new`, `changed` and `identity_mismatch` entries would send to a target with `fields`,
 * exactly as apply sends them when nothing moved meanwhile (for `checkWrites` in a preview).
 */
export function plannedWrites(plan: Plan, fields: ConnectorFields): EmployeeWrite[] {
  return plan.entries.flatMap((entry) => {
    if (!entry.selectable || !isWriting(entry)) return [];
    const task = toWriteTask(entry, fields);
    return task.changes.length > 0 ? [toWrite(task, false)] : [];
  });
}
