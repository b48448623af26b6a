import { describe, expect, it } from 'vitest';
import type { ConnectorFields } from '../connector.ts';
import type { Employee } from '../employee.ts';
import { plan } from './plan.ts';
import { summaryLine, summaryLineJa } from './summary.ts';
import { formatPlanTable } from './table.ts';
import type { Plan, PlanSummary } from './types.ts';

const withSummary = (summary: Partial<PlanSummary>): Plan => ({
  version: 1,
  fields: [],
  modes: {} as Plan['modes'],
  entries: [],
  targetOnlyCodes: [],
  summary: {
    new: 0,
    changed: 0,
    unchanged: 0,
    invalid: 0,
    conflict: 0,
    identity_mismatch: 0,
    targetOnly: 0,
    ...summary,
  },
});

describe('summary lines', () => {
  it('reads like Terraform, leaving out zero invalid and conflict', () => {
    expect(summaryLine(withSummary({ new: 3, changed: 12, unchanged: 240, invalid: 1 }))).toBe(
      '3 to add, 12 to change, 240 unchanged, 1 invalid',
    );
    expect(summaryLine(withSummary({ unchanged: 5, conflict: 2, targetOnly: 4 }))).toBe(
      '0 to add, 0 to change, 5 unchanged, 2 conflicts, 4 only in target (kept)',
    );
  });

  it('has a Japanese equivalent', () => {
    expect(summaryLineJa(withSummary({ new: 3, changed: 12, unchanged: 240, invalid: 1 }))).toBe(
      '新規登録 3件、差分あり 12件、差分なし 240件、エラー 1件',
    );
    expect(summaryLineJa(withSummary({ conflict: 1, targetOnly: 2 }))).toBe(
      '新規登録 0件、差分あり 0件、差分なし 0件、重複 1件、連携先のみ 2件（削除しません）',
    );
  });
});

describe('formatPlanTable', () => {
  const fields: ConnectorFields = {
    lastName: 'readWrite',
    firstName: 'readWrite',
    birthDate: 'readWrite',
    gender: 'readWrite',
  };
  const source: Employee[] = [
    { employeeCode: 'E10', lastName: '佐藤', firstName: '花子', birthDate: '1985-12-31', gender: 'female' },
    { employeeCode: 'E2', lastName: '山田', firstName: '太郎', birthDate: '1990-04-02' },
    { employeeCode: 'E3', lastName: '鈴木', firstName: '一郎', birthDate: '2023年2月30日' },
    { employeeCode: 'E4', lastName: '田中', firstName: '次郎' },
  ];
  const target: Employee[] = [
    { employeeCode: 'E2', lastName: '山田', firstName: '太郎', birthDate: '1990-04-01' },
    { employeeCode: 'E4', lastName: '田中', firstName: '次郎' },
    { employeeCode: 'E99', lastName: '高橋' },
  ];
  const result = plan(
    { fields, records: source.map((employee) => ({ ok: true, employee })) },
    {
      fields,
      records: target.map((employee) => ({ ok: true, employee })),
    },
  );

  it('renders each employee, each change and the summary in Japanese', () => {
    expect(formatPlanTable(result)).toBe(
      [
        '[差分あり] E2    山田 太郎',
        '    生年月日: 1990年4月1日 → 1990年4月2日',
        '[エラー]   E3    鈴木 一郎',
        '    生年月日: 「2023年2月30日」は存在しない日付です',
        '[差分なし] E4    田中 次郎',
        '[新規登録] E10   佐藤 花子',
        '    姓: 佐藤',
        '    名: 花子',
        '    生年月日: 1985年12月31日',
        '    性別: 女性',
        '',
        '連携先のみ（削除しません）: E99',
        '',
        '新規登録 1件、差分あり 1件、差分なし 1件、エラー 1件、連携先のみ 1件（削除しません）',
      ].join('\n'),
    );
  });

  it('renders a plan of 200k entries (no argument-list limits)', () => {
    const entries = Array.from({ length: 200_000 }, (_, i) => ({
      employeeCode: `E${i}`,
      status: 'unchanged' as const,
      changes: [],
      issues: [],
      fingerprint: null,
      selectable: true,
    }));
    const table = formatPlanTable({ ...withSummary({ unchanged: entries.length }), entries });
    expect(table.split('\n')).toHaveLength(entries.length + 2);
    expect(table).toContain('[差分なし] E199999');
  });

  it('strikes the old value through in red and shows the new one in green when coloured', () => {
    const table = formatPlanTable(result, { color: true });
    expect(table).toContain('生年月日: \x1b[9;31m1990年4月1日\x1b[0m → \x1b[32m1990年4月2日\x1b[0m');
    expect(formatPlanTable(result)).not.toContain('\x1b[');
  });
});
