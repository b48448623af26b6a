// The words for runs, shared by the notification (and its mail) and the admin app, so both say the
// same thing. A run is a 同期 wherever a user reads about it.
import type { RunOutcome, RunStatus } from '../db/schema.ts';

export const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  queued: '待機中',
  running: '実行中',
  succeeded: '成功',
  partially_failed: '一部失敗',
  failed: '失敗',
  cancelled: '中止',
};

/** A sentence about a run in that status (notification titles). */
export const RUN_STATUS_TITLES: Record<RunStatus, string> = {
  queued: '同期を待機しています',
  running: '同期を実行しています',
  succeeded: '同期が完了しました',
  partially_failed: '同期が一部失敗しました',
  failed: '同期に失敗しました',
  cancelled: '同期を中止しました',
};

export const RUN_OUTCOME_LABELS: Record<RunOutcome, string> = {
  pending: '未処理',
  created: '新規登録',
  updated: '更新',
  stale: 'スキップ（変更検知）',
  failed: '失敗',
  ambiguous: '未確認',
  skipped: '対象外',
  not_attempted: '未実行',
};

/** The outcomes a finished run's summary counts, in the order it names them. */
const SUMMARY_OUTCOMES: readonly RunOutcome[] = [
  'created',
  'updated',
  'failed',
  'ambiguous',
  'stale',
  'skipped',
  'not_attempted',
];

/** 「新規登録 3 名、失敗 1 名」: the outcomes that occurred, or a sentence saying none did. */
export function runCountsSummary(counts: Readonly<Record<RunOutcome, number>>): string {
  const parts = SUMMARY_OUTCOMES.filter((outcome) => counts[outcome] > 0).map(
    (outcome) => `${RUN_OUTCOME_LABELS[outcome]} ${counts[outcome].toLocaleString('ja-JP')} 名`,
  );
  return parts.length > 0 ? parts.join('、') : '同期した従業員はいません。';
}

/** 「<外部> → 従業員リスト」 (import) or 「従業員リスト → <外部>」 (export). */
export function directionLabel(direction: 'import' | 'export', external: string): string {
  return direction === 'import' ? `${external} → 従業員リスト` : `従業員リスト → ${external}`;
}
