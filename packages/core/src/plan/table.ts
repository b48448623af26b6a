import { EMPTY_DISPLAY, FIELD_CATALOG, formatFieldValue } from '../fields.ts';
import { formatDateJa } from '../normalise/date.ts';
import { summaryLineJa } from './summary.ts';
import { type FieldChange, type Identity, PLAN_STATUS_LABELS, type Plan, type PlanStatus } from './types.ts';

export interface PlanTableOptions {
  /** ANSI colours: the old value red and struck through, the new one green. */
  color?: boolean;
}

const ANSI = {
  removed: ['\x1b[9;31m', '\x1b[0m'],
  added: ['\x1b[32m', '\x1b[0m'],
  error: ['\x1b[31m', '\x1b[0m'],
  dim: ['\x1b[2m', '\x1b[0m'],
  bold: ['\x1b[1m', '\x1b[0m'],
} as const;

const BADGE_STYLE: Record<PlanStatus, keyof typeof ANSI> = {
  new: 'added',
  changed: 'bold',
  unchanged: 'dim',
  invalid: 'error',
  conflict: 'error',
  identity_mismatch: 'error',
};

// East Asian wide and full-width ranges (Hangul Jamo, CJK and kana, Hangul, compatibility
// ideographs, vertical forms, full-width forms, supplementary ideographs).
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x20000, 0x3fffd],
];

/** Columns a text takes in a terminal: wide and full-width characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    width += WIDE.some(([from, to]) => code >= from && code <= to) ? 2 : 1;
  }
  return width;
}

const padEnd = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));

/**
 * The diff as text for a terminal, in Japanese: per employee its badge, 社員番号 and name, then per
 * change `項目: before → after` (新規登録: every value to write), issues for エラー and 重複, the
 * 社員番号 only the target holds, and the summary line.
 */
export function formatPlanTable(plan: Plan, options: PlanTableOptions = {}): string {
  const paint: Paint = (style, text) => (options.color ? `${ANSI[style][0]}${text}${ANSI[style][1]}` : text);
  // The widest badge of the statuses present (the rare 別人の可能性 widens only plans that hold one).
  // A loop, not Math.max(...): a spread of 100k entries would overflow the argument limit.
  let badgeWidth = displayWidth(PLAN_STATUS_LABELS.unchanged) + 2;
  let codeWidth = 4;
  for (const entry of plan.entries) {
    codeWidth = Math.max(codeWidth, displayWidth(entry.employeeCode));
    if (entry.status === 'identity_mismatch')
      badgeWidth = displayWidth(PLAN_STATUS_LABELS.identity_mismatch) + 2;
  }

  const lines: string[] = [];
  for (const entry of plan.entries) {
    const badge = paint(
      BADGE_STYLE[entry.status],
      padEnd(`[${PLAN_STATUS_LABELS[entry.status]}]`, badgeWidth),
    );
    lines.push(
      `${badge} ${padEnd(entry.employeeCode || EMPTY_DISPLAY, codeWidth)}  ${entry.name ?? ''}`.trimEnd(),
    );
    if (entry.identity) {
      const { source, target } = entry.identity;
      lines.push(
        `    ${paint('error', `別人の可能性: 連携元 ${identityText(source)} ／ 連携先 ${identityText(target)}`)}`,
      );
    }
    for (const change of entry.changes) lines.push(`    ${changeLine(entry.status, change, paint)}`);
    for (const issue of entry.issues) lines.push(`    ${paint('error', issue.message)}`);
  }
  if (plan.targetOnlyCodes.length > 0) {
    lines.push('', `連携先のみ（削除しません）: ${plan.targetOnlyCodes.join(', ')}`);
  }
  lines.push('', summaryLineJa(plan));
  return lines.join('\n');
}

type Paint = (style: keyof typeof ANSI, text: string) => string;

function changeLine(status: PlanStatus, change: FieldChange, paint: Paint): string {
  const label = FIELD_CATALOG[change.field].label;
  const after = paint('added', formatFieldValue(change.field, change.after));
  if (status === 'new') return `${label}: ${after}`;
  return `${label}: ${paint('removed', formatFieldValue(change.field, change.before))} → ${after}`;
}

/** 「平野 浩（ヒラノ ヒロシ）1980年1月2日」: who one side of a 別人の可能性 entry is. */
export function identityText(identity: Identity): string {
  const name = identity.name ?? '（氏名なし）';
  const kana = identity.kana ? `（${identity.kana}）` : '';
  const birth = identity.birthDate ? ` ${formatDateJa(identity.birthDate)}` : ' 生年月日なし';
  return `${name}${kana}${birth}`;
}
