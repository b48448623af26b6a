import type { ApplyResult, EmployeeOutcome, OutcomeCounts, RunStatus } from './types.ts';

export function countOutcomes(outcomes: readonly EmployeeOutcome[]): OutcomeCounts {
  const counts: OutcomeCounts = {
    created: 0,
    updated: 0,
    stale: 0,
    failed: 0,
    ambiguous: 0,
    skipped: 0,
    not_attempted: 0,
  };
  for (const outcome of outcomes) counts[outcome.status]++;
  return counts;
}

/** The honest run status (see `RunStatus`). */
export function runStatus(counts: OutcomeCounts): RunStatus {
  if (counts.not_attempted > 0) return 'cancelled';
  if (counts.failed + counts.stale + counts.ambiguous === 0) return 'succeeded';
  return counts.created + counts.updated === 0 ? 'failed' : 'partially_failed';
}

export function summarise(outcomes: EmployeeOutcome[], startedAt: number, finishedAt: number): ApplyResult {
  const counts = countOutcomes(outcomes);
  return { status: runStatus(counts), outcomes, counts, startedAt, finishedAt };
}
