// The words for runs, shared by the run page, the notification and its mail, so all three say the
// same thing. A run is a 同期 wherever a user reads about it.
import { runStatus } from '@renkei/core';
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

/**
 * The tallies a run reports, as the vendor would count them. 既に登録済み: a create that found the
 * employee already holding the values (nothing was created). 失敗 includes employees not written
 * because the target changed after the preview (stale): they need the admin, like any failure.
 * 未実行 only occurs in a cancelled run.
 */
export const RUN_TALLIES = [
  'created',
  'updated',
  'already_present',
  'skipped',
  'failed',
  'ambiguous',
  'not_attempted',
] as const;
export type RunTally = (typeof RUN_TALLIES)[number];

export const RUN_TALLY_LABELS: Record<RunTally, string> = {
  created: '新規登録',
  updated: '更新',
  already_present: '既に登録済み',
  skipped: 'スキップ',
  failed: '失敗',
  ambiguous: '未確認',
  not_attempted: '未実行',
};

/** Which tally each recorded outcome counts under. */
export const OUTCOME_TALLY: Record<Exclude<RunOutcome, 'pending'>, RunTally> = {
  created: 'created',
  updated: 'updated',
  already_present: 'already_present',
  skipped: 'skipped',
  stale: 'failed',
  failed: 'failed',
  ambiguous: 'ambiguous',
  not_attempted: 'not_attempted',
};

/** Per employee: the tally's word (a stale employee is 失敗; its reason says why). */
export const RUN_OUTCOME_LABELS: Record<RunOutcome, string> = {
  pending: '未処理',
  ...(Object.fromEntries(
    Object.entries(OUTCOME_TALLY).map(([outcome, tally]) => [outcome, RUN_TALLY_LABELS[tally]]),
  ) as Record<Exclude<RunOutcome, 'pending'>, string>),
};

/** The reason shown for an employee not written because the target moved after the preview. */
export const STALE_REASON = 'プレビュー後に連携先のデータが変更されたため、書き込みませんでした。';

export function runTallies(counts: Readonly<Partial<Record<RunOutcome, number>>>): Record<RunTally, number> {
  const tallies = Object.fromEntries(RUN_TALLIES.map((tally) => [tally, 0])) as Record<RunTally, number>;
  for (const [outcome, tally] of Object.entries(OUTCOME_TALLY)) {
    tallies[tally] += counts[outcome as RunOutcome] ?? 0;
  }
  return tallies;
}

/**
 * The honest status of a finished run (core's rule): 中止 when cancelled; 成功 when nothing failed,
 * went stale or stayed unconfirmed; else 失敗 when nothing was written, 一部失敗 otherwise. An
 * employee already holding the values counts as written; skips never make a run fail.
 */
export function finishedRunStatus(counts: Readonly<Record<RunOutcome, number>>): RunStatus {
  return runStatus({
    created: counts.created + counts.already_present,
    updated: counts.updated,
    stale: counts.stale,
    failed: counts.failed,
    ambiguous: counts.ambiguous,
    skipped: counts.skipped,
    not_attempted: counts.not_attempted,
  });
}

/** 「新規登録 3 名、失敗 1 名」: the tallies that occurred, or a sentence saying none did. */
export function runCountsSummary(counts: Readonly<Partial<Record<RunOutcome, number>>>): string {
  const tallies = runTallies(counts);
  const parts = RUN_TALLIES.filter((tally) => tallies[tally] > 0).map(
    (tally) => `${RUN_TALLY_LABELS[tally]} ${tallies[tally].toLocaleString('ja-JP')} 名`,
  );
  return parts.length > 0 ? parts.join('、') : '同期した従業員はいません。';
}

/** 「<外部> → 従業員リスト」 (import) or 「従業員リスト → <外部>」 (export). */
export function directionLabel(direction: 'import' | 'export', external: string): string {
  return direction === 'import' ? `${external} → 従業員リスト` : `従業員リスト → ${external}`;
}
