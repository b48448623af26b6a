import { describe, expect, it } from 'vitest';
import type { RunOutcome } from '../db/schema.ts';
import { finishedRunStatus, RUN_OUTCOME_LABELS, runCountsSummary, runTallies } from './labels.ts';

const zero: Record<RunOutcome, number> = {
  pending: 0,
  created: 0,
  updated: 0,
  already_present: 0,
  stale: 0,
  failed: 0,
  skipped: 0,
  ambiguous: 0,
  not_attempted: 0,
};

describe('run labels', () => {
  it('counts as the vendor does: a create that found the employee there is 既に登録済み', () => {
    const counts = { ...zero, created: 9, already_present: 2 };
    expect(runCountsSummary(counts)).toBe('新規登録 9 名、既に登録済み 2 名');
    expect(runTallies(counts).created).toBe(9);
  });

  it('names every tally in one order: 新規登録, 更新, 既に登録済み, スキップ, 失敗, 未確認, 未実行', () => {
    const all = {
      ...zero,
      created: 1,
      updated: 1,
      already_present: 1,
      skipped: 1,
      failed: 1,
      ambiguous: 1,
      not_attempted: 1,
    };
    expect(runCountsSummary(all)).toBe(
      '新規登録 1 名、更新 1 名、既に登録済み 1 名、スキップ 1 名、失敗 1 名、未確認 1 名、未実行 1 名',
    );
  });

  it('reads old notification counts that lack the newer outcomes', () => {
    expect(runCountsSummary({ created: 1, updated: 0, stale: 0, failed: 0, skipped: 0 })).toBe(
      '新規登録 1 名',
    );
  });

  it('labels a stale employee 失敗 (its reason says why), a skip スキップ', () => {
    expect(RUN_OUTCOME_LABELS.stale).toBe('失敗');
    expect(RUN_OUTCOME_LABELS.skipped).toBe('スキップ');
    expect(RUN_OUTCOME_LABELS.ambiguous).toBe('未確認');
  });

  it('gives a status that means what it says', () => {
    expect(finishedRunStatus({ ...zero, created: 3, skipped: 1 })).toBe('succeeded');
    expect(finishedRunStatus({ ...zero, skipped: 1 })).toBe('succeeded');
    expect(finishedRunStatus({ ...zero, already_present: 2 })).toBe('succeeded');
    expect(finishedRunStatus({ ...zero, already_present: 1, failed: 1 })).toBe('partially_failed');
    expect(finishedRunStatus({ ...zero, updated: 1, ambiguous: 1 })).toBe('partially_failed');
    expect(finishedRunStatus({ ...zero, stale: 1 })).toBe('failed');
    expect(finishedRunStatus({ ...zero, created: 1, not_attempted: 1 })).toBe('cancelled');
  });
});
