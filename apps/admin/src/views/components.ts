import { PLAN_STATUS_LABELS, type PlanStatus } from '@renkei/core';
import type { RunOutcome, RunStatus } from '@renkei/hub';
import { type Html, html, when } from './html.ts';

export function planBadge(status: PlanStatus): Html {
  return html`<span class="badge badge-${status}" data-status="${status}">${PLAN_STATUS_LABELS[status]}</span>`;
}

export const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  queued: '待機中',
  running: '実行中',
  succeeded: '成功',
  partially_failed: '一部失敗',
  failed: '失敗',
  cancelled: '中止',
};

export const RUN_STATUS_TONE: Record<RunStatus, string> = {
  queued: 'neutral',
  running: 'info',
  succeeded: 'success',
  partially_failed: 'warning',
  failed: 'danger',
  cancelled: 'neutral',
};

export function runBadge(status: RunStatus): Html {
  return html`<span class="badge badge-${RUN_STATUS_TONE[status]}" data-run-status="${status}"
    >${RUN_STATUS_LABELS[status]}</span
  >`;
}

export const OUTCOME_LABELS: Record<RunOutcome, string> = {
  pending: '未処理',
  created: '新規登録',
  updated: '更新',
  stale: 'スキップ（変更検知）',
  failed: '失敗',
  skipped: '対象外',
  not_attempted: '未実行',
};

const OUTCOME_TONE: Record<RunOutcome, string> = {
  pending: 'neutral',
  created: 'info',
  updated: 'success',
  stale: 'warning',
  failed: 'danger',
  skipped: 'neutral',
  not_attempted: 'neutral',
};

export function outcomeBadge(outcome: RunOutcome): Html {
  return html`<span class="badge badge-${OUTCOME_TONE[outcome]}" data-outcome="${outcome}"
    >${OUTCOME_LABELS[outcome]}</span
  >`;
}

export type Direction = 'import' | 'export';

/** "<外部> → HR" (import) or "HR → <外部>" (export). */
export function directionLabel(direction: Direction, external: string): string {
  return direction === 'import' ? `${external} → 従業員リスト` : `従業員リスト → ${external}`;
}

export interface PagerProps {
  page: number;
  pageSize: number;
  total: number;
  href: (page: number) => string;
}

export const pageCount = (total: number, pageSize: number): number =>
  Math.max(1, Math.ceil(total / pageSize));

export function pager({ page, pageSize, total, href }: PagerProps): Html {
  const pages = pageCount(total, pageSize);
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return html`<nav class="pager" aria-label="ページ送り">
    ${page > 1 ? html`<a href="${href(page - 1)}" rel="prev">← 前へ</a>` : html`<span class="muted">← 前へ</span>`}
    <span>${total.toLocaleString('ja-JP')} 件中 ${from.toLocaleString('ja-JP')}–${to.toLocaleString('ja-JP')} 件（${page} / ${pages} ページ）</span>
    ${page < pages ? html`<a href="${href(page + 1)}" rel="next">次へ →</a>` : html`<span class="muted">次へ →</span>`}
  </nav>`;
}

export interface FieldProps {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'date' | 'search';
  value?: string | undefined;
  error?: string | undefined;
  required?: boolean;
  help?: string | undefined;
  placeholder?: string | undefined;
  autocomplete?: string;
}

/** A labelled input with its Japanese error beside it. */
export function field(props: FieldProps): Html {
  const id = `f-${props.name}`;
  const errorId = `${id}-error`;
  return html`<div class="field ${props.error ? 'has-error' : ''}">
    <label for="${id}">${props.label}${when(props.required, () => html`<span class="required">必須</span>`)}</label>
    <input
      id="${id}"
      name="${props.name}"
      type="${props.type ?? 'text'}"
      value="${props.value ?? ''}"
      ${props.required ? html`required` : ''}
      ${props.placeholder ? html`placeholder="${props.placeholder}"` : ''}
      ${props.autocomplete ? html`autocomplete="${props.autocomplete}"` : ''}
      ${props.error ? html`aria-invalid="true" aria-describedby="${errorId}"` : ''}
    />
    ${when(props.help, () => html`<span class="help">${props.help}</span>`)}
    ${when(props.error, () => html`<span class="error" id="${errorId}" data-error-for="${props.name}">${props.error}</span>`)}
  </div>`;
}

export const formatDateTime = (value: Date | string | number | null | undefined): string => {
  if (value === null || value === undefined) return '—';
  const date = value instanceof Date ? value : new Date(value);
  return new Intl.DateTimeFormat('ja-JP', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(date);
};
