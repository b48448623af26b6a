import type { NotificationPayload, RunStatus } from '../db/schema.ts';

const STATUS_TITLES: Record<RunStatus, string> = {
  queued: '連携を待機しています',
  running: '連携を実行しています',
  succeeded: '連携が完了しました',
  partially_failed: '連携が一部失敗しました',
  failed: '連携に失敗しました',
  cancelled: '連携を中止しました',
};

export interface RunSummaryFacts {
  connectionName: string;
  direction: 'import' | 'export';
  dataArea: string;
  status: RunStatus;
  payload: NotificationPayload;
  /** The admin who cancelled the run, if one did. */
  cancelledBy?: string;
}

/** The notification (and mail) a run's admin receives: counts, and each failed 社員番号 with why. */
export function composeRunNotification(facts: RunSummaryFacts): { title: string; body: string } {
  const { counts, failures } = facts.payload;
  const route =
    facts.direction === 'import'
      ? `${facts.connectionName} → 従業員リスト`
      : `従業員リスト → ${facts.connectionName}`;
  const lines = [
    `${route}（データ領域: ${facts.dataArea}）`,
    `結果: ${STATUS_TITLES[facts.status]}`,
    `新規登録 ${counts.created} 件、更新 ${counts.updated} 件、書き込み不要 ${counts.skipped} 件、` +
      `失敗 ${counts.failed} 件、再確認が必要 ${counts.stale} 件、未実行 ${counts.not_attempted} 件`,
  ];
  if (facts.cancelledBy !== undefined) {
    lines.push(
      `${facts.cancelledBy} さんが中止しました。未実行の従業員は、失敗した従業員の再同期で連携できます。`,
    );
  }
  if (failures.length > 0) {
    lines.push('', '連携できなかった社員番号:');
    for (const failure of failures) lines.push(`- ${failure.employeeCode}: ${failure.message}`);
  }
  return { title: `${STATUS_TITLES[facts.status]}（${facts.connectionName}）`, body: lines.join('\n') };
}
