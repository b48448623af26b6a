import type { NotificationPayload, RunStatus } from '../db/schema.ts';
import { directionLabel, RUN_OUTCOME_LABELS, RUN_STATUS_TITLES, runCountsSummary } from '../runs/labels.ts';

export interface RunSummaryFacts {
  connectionName: string;
  direction: 'import' | 'export';
  /** The データ領域's name; null for connectors without areas (nothing to name). */
  dataAreaName: string | null;
  status: RunStatus;
  payload: NotificationPayload;
  /** The admin who cancelled the run, if one did. */
  cancelledBy?: string;
}

/**
 * The notification (and mail) a run's admin receives, in the words of the run page (labels.ts):
 * the tallies, and each 社員番号 not written with its outcome and why.
 */
export function composeRunNotification(facts: RunSummaryFacts): { title: string; body: string } {
  const { counts, failures } = facts.payload;
  const route = directionLabel(facts.direction, facts.connectionName);
  const lines = [
    facts.dataAreaName === null ? route : `${route}（データ領域: ${facts.dataAreaName}）`,
    runCountsSummary(counts),
  ];
  if (facts.cancelledBy !== undefined) {
    lines.push(
      `${facts.cancelledBy} さんが中止しました。未実行の従業員は「失敗した従業員を再同期」で同期できます。`,
    );
  }
  if (failures.length > 0) {
    lines.push('', '書き込まなかった社員番号:');
    for (const failure of failures) {
      const label = failure.outcome ? `（${RUN_OUTCOME_LABELS[failure.outcome]}）` : '';
      lines.push(`- ${failure.employeeCode}${label}: ${failure.message}`);
    }
  }
  return { title: `${RUN_STATUS_TITLES[facts.status]}（${facts.connectionName}）`, body: lines.join('\n') };
}
