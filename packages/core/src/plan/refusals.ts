import type { WriteCheck } from '../connector.ts';
import type { FieldIssue } from '../employee.ts';
import { fieldLabel } from '../fields.ts';
import type { Plan, PlanEntry, PlanSummary } from './types.ts';

export interface RefusalOptions {
  /** Who refuses, in the issue's words (e.g. PCAクラウド給与); default 連携先. */
  targetName?: string;
}

/**
 * The plan with every `new` or `changed` entry the target would refuse (`checkWrites`) turned
 * `invalid` and unselectable, each reason prefixed so the admin sees it is the target's rule:
 * `連携先に書き込めません: 性別: …` (the field's label only where the message does not name it). The entry keeps its changes (what would have been written).
 * Checks are matched on the 社員番号 the write carries (the target's spelling for an update). Pure.
 */
/** `性別: …`, unless the message already names its field (`性別は「男性」か…`) or the whole record. */
function labelled(issue: FieldIssue): string {
  if (issue.field === 'record') return issue.message;
  const label = fieldLabel(issue.field);
  return issue.message.includes(label) ? issue.message : `${label}: ${issue.message}`;
}

export function withRefusals(plan: Plan, checks: readonly WriteCheck[], options: RefusalOptions = {}): Plan {
  if (checks.length === 0) return plan;
  const refused = new Map<string, FieldIssue[]>();
  for (const check of checks)
    refused.set(check.employeeCode, [...(refused.get(check.employeeCode) ?? []), ...check.issues]);
  const prefix = `${options.targetName ?? '連携先'}に書き込めません: `;

  const entries = plan.entries.map((entry): PlanEntry => {
    if (entry.status !== 'new' && entry.status !== 'changed') return entry;
    const issues = refused.get(entry.targetEmployeeCode ?? entry.employeeCode);
    if (!issues) return entry;
    return {
      ...entry,
      status: 'invalid',
      selectable: false,
      issues: [
        ...entry.issues,
        ...issues.map((issue) => ({
          ...issue,
          message: `${prefix}${labelled(issue)}`,
        })),
      ],
    };
  });
  const summary: PlanSummary = {
    new: 0,
    changed: 0,
    unchanged: 0,
    invalid: 0,
    conflict: 0,
    identity_mismatch: 0,
    targetOnly: 0,
  };
  for (const entry of entries) summary[entry.status]++;
  summary.targetOnly = plan.summary.targetOnly;
  return { ...plan, entries, summary };
}
