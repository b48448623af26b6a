import type { Plan } from './types.ts';

/** Terraform-style: `3 to add, 12 to change, 240 unchanged, 1 invalid, 5 only in target (kept)`. */
export function summaryLine(plan: Plan): string {
  const { summary } = plan;
  const parts = [`${summary.new} to add`, `${summary.changed} to change`, `${summary.unchanged} unchanged`];
  if (summary.invalid > 0) parts.push(`${summary.invalid} invalid`);
  if (summary.conflict > 0)
    parts.push(`${summary.conflict} ${summary.conflict === 1 ? 'conflict' : 'conflicts'}`);
  if (summary.identity_mismatch > 0) parts.push(`${summary.identity_mismatch} possibly another person`);
  if (summary.targetOnly > 0) parts.push(`${summary.targetOnly} only in target (kept)`);
  return parts.join(', ');
}

/** The same in Japanese: `新規登録 3件、差分あり 12件、差分なし 240件、エラー 1件`. */
export function summaryLineJa(plan: Plan): string {
  const { summary } = plan;
  const parts = [
    `新規登録 ${summary.new}件`,
    `差分あり ${summary.changed}件`,
    `差分なし ${summary.unchanged}件`,
  ];
  if (summary.invalid > 0) parts.push(`エラー ${summary.invalid}件`);
  if (summary.conflict > 0) parts.push(`重複 ${summary.conflict}件`);
  if (summary.identity_mismatch > 0) parts.push(`別人の可能性 ${summary.identity_mismatch}件`);
  if (summary.targetOnly > 0) parts.push(`連携先のみ ${summary.targetOnly}件（削除しません）`);
  return parts.join('、');
}
