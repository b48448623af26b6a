import { describe, expect, it } from 'vitest';
import { STALE_REASON } from '../runs/labels.ts';
import { composeRunNotification } from './compose.ts';

const counts = {
  pending: 0,
  created: 2,
  updated: 1,
  already_present: 0,
  stale: 1,
  failed: 1,
  skipped: 3,
  ambiguous: 0,
  not_attempted: 0,
};

describe('composeRunNotification', () => {
  it('names the run a 同期, the area by its name, and counts in the app’s outcome words', () => {
    const { title, body } = composeRunNotification({
      connectionName: 'PCAクラウド給与',
      direction: 'import',
      dataAreaName: '株式会社れんけい商事 第11期',
      status: 'partially_failed',
      payload: {
        counts,
        failures: [
          { employeeCode: '000123', outcome: 'failed', message: '入社年月日が正しくありません。' },
          { employeeCode: '000124', outcome: 'stale', message: STALE_REASON },
          { employeeCode: '000125', outcome: 'skipped', message: '差分がないため書き込みませんでした。' },
        ],
      },
    });
    expect(title).toBe('同期が一部失敗しました（PCAクラウド給与）');
    expect(body).toBe(
      [
        'PCAクラウド給与 → 従業員リスト（データ領域: 株式会社れんけい商事 第11期）',
        // The run page's words (labels.ts): a stale employee is 失敗, a skip スキップ, each with why.
        '新規登録 2 名、更新 1 名、スキップ 3 名、失敗 2 名',
        '',
        '書き込まなかった社員番号:',
        '- 000123（失敗）: 入社年月日が正しくありません。',
        `- 000124（失敗）: ${STALE_REASON}`,
        '- 000125（スキップ）: 差分がないため書き込みませんでした。',
      ].join('\n'),
    );
  });

  it('leaves the area out for a connector without データ領域, and says who cancelled', () => {
    const { title, body } = composeRunNotification({
      connectionName: 'ジョブカン勤怠管理',
      direction: 'export',
      dataAreaName: null,
      status: 'cancelled',
      payload: { counts: { ...counts, stale: 0, failed: 0, skipped: 0, not_attempted: 5 }, failures: [] },
      cancelledBy: '管理者',
    });
    expect(title).toBe('同期を中止しました（ジョブカン勤怠管理）');
    expect(body).not.toContain('データ領域');
    expect(body).not.toContain('default');
    expect(body).toBe(
      [
        '従業員リスト → ジョブカン勤怠管理',
        '新規登録 2 名、更新 1 名、未実行 5 名',
        '管理者 さんが中止しました。未実行の従業員は「失敗した従業員を再同期」で同期できます。',
      ].join('\n'),
    );
  });

  it('says so when no employee was written', () => {
    const none = { ...counts, created: 0, updated: 0, stale: 0, failed: 0, skipped: 0 };
    const { body } = composeRunNotification({
      connectionName: 'ジョブカン勤怠管理',
      direction: 'export',
      dataAreaName: null,
      status: 'succeeded',
      payload: { counts: none, failures: [] },
    });
    expect(body).toBe('従業員リスト → ジョブカン勤怠管理\n同期した従業員はいません。');
  });
});
