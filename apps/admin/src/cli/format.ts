// What `renkei plan`, `apply` and `runs` print for a person: Japanese tables whose columns line up
// in a terminal (full-width characters take two cells).
import {
  fieldLabel,
  formatFieldValue,
  PLAN_STATUS_LABELS,
  type Plan,
  type PlanEntry,
  summaryLineJa,
} from '@renkei/core';
import { directionLabel, RUN_OUTCOME_LABELS, RUN_STATUS_LABELS } from '@renkei/hub';
import type { ApplyResult, PlanDocument, RunsList } from '../automation/schemas.ts';

/** Terminal cells of one character: East Asian wide and full-width forms take two. */
function cells(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const wide =
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      code >= 0x20000;
    width += wide ? 2 : 1;
  }
  return width;
}

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - cells(text)));

/** Rows under a header, columns padded to their widest cell; the last column is not padded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((_, column) =>
    Math.max(...[header, ...rows].map((row) => cells(row[column] ?? ''))),
  );
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : pad(cell, widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const valueText = (field: PlanEntry['changes'][number]['field'], value: unknown) =>
  value === null || value === undefined ? '（なし）' : formatFieldValue(field, value) || '（なし）';

/** One row per changed field (旧 → 新), one per issue; 差分なし entries are only counted. */
function entryRows(entry: PlanEntry): string[][] {
  const head = [PLAN_STATUS_LABELS[entry.status], entry.employeeCode, entry.name ?? ''];
  const details: [string, string][] = [
    ...entry.changes.map((change): [string, string] => [
      fieldLabel(change.field),
      `${valueText(change.field, change.before)} → ${valueText(change.field, change.after)}`,
    ]),
    ...entry.issues.map((issue): [string, string] => [fieldLabel(issue.field), issue.message]),
  ];
  if (entry.status === 'identity_mismatch' && entry.identity) {
    const who = (side: typeof entry.identity.source) =>
      [side.name, side.kana, side.birthDate].filter(Boolean).join(' ');
    details.unshift(['本人確認', `${who(entry.identity.target)} → ${who(entry.identity.source)}`]);
  }
  if (details.length === 0) return [[...head, '', '']];
  return details.map((detail, index) => [...(index === 0 ? head : ['', '', '']), ...detail]);
}

export function formatPlan(plan: PlanDocument): string {
  const { preview, connection } = plan;
  const area = preview.dataAreaName ? `  データ領域: ${preview.dataAreaName}` : '';
  const filter = preview.employmentFilter
    ? `  在籍者のみ（情報取得基準日 ${preview.employmentFilter.basisDate}、対象外 ${preview.employmentFilter.excluded}名）`
    : '';
  const lines = [
    `連携先: ${connection.displayName}  ${directionLabel(preview.direction, connection.displayName)}${area}${filter}`,
    summaryLineJa({ summary: preview.summary } as Plan),
  ];
  const shown = plan.entries.filter((entry) => entry.status !== 'unchanged');
  if (shown.length > 0) {
    lines.push('', table(['状態', '社員番号', '氏名', '項目', '旧 → 新'], shown.flatMap(entryRows)));
  }
  lines.push(
    '',
    plan.hasChanges
      ? `プレビュー ${preview.id}（renkei apply で同期を開始できます。24時間以内・1回限り）`
      : '差分はありません。',
  );
  return lines.join('\n');
}

export function formatApply(result: ApplyResult): string {
  if (!result.run) return '書き込む従業員がいません（差分なし）。';
  const { run } = result;
  const counts = Object.entries(run.counts)
    .filter(([, n]) => n > 0)
    .map(
      ([outcome, n]) => `${RUN_OUTCOME_LABELS[outcome as keyof typeof RUN_OUTCOME_LABELS] ?? outcome} ${n}件`,
    )
    .join('、');
  const lines = [
    `同期 ${run.id}: ${RUN_STATUS_LABELS[run.status]}（${run.total} 名${counts ? `: ${counts}` : ''}）`,
  ];
  if (result.failures.length > 0) {
    lines.push(
      '',
      table(
        ['社員番号', '結果', '理由'],
        result.failures.map((item) => [
          item.employeeCode,
          RUN_OUTCOME_LABELS[item.outcome] ?? item.outcome,
          item.message ?? '',
        ]),
      ),
    );
  }
  return lines.join('\n');
}

export function formatRuns(list: RunsList): string {
  if (list.runs.length === 0) return '連携履歴はまだありません。';
  return table(
    ['開始', '連携先', '方向', '状態', '件数', 'ID'],
    list.runs.map((run) => [
      run.createdAt.replace('T', ' ').slice(0, 19),
      run.connectionName,
      directionLabel(run.direction, run.connectionName),
      RUN_STATUS_LABELS[run.status],
      String(run.total),
      run.id,
    ]),
  );
}
