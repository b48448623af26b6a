import type { NotificationPayload, RunStatus } from '../db/schema.ts';
import { directionLabel, RUN_STATUS_TITLES, runCountsSummary } from '../runs/labels.ts';

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
 * The notification (and mail) a run's admin receives, in the app's words: counts, and each failed
 * 社員番号 with why.
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
    lines.push('', '同期できなかった社員番号:');
    for (const failure of failures) lines.push(`- ${failure.employeeCode}: ${failure.message}`);
  }
  return { title: `${RUN_STATUS_TITLES[facts.status]}（${facts.connectionName}）`, body: lines.join('\n') };
}
