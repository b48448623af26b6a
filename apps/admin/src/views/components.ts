import { PLAN_STATUS_LABELS, type PlanStatus } from '@renkei/core';
import { RUN_OUTCOME_LABELS, RUN_STATUS_LABELS, type RunOutcome, type RunStatus } from '@renkei/hub';

// The words for runs are the hub's, so pages and the notification mail say the same thing.
export {
  directionLabel,
  RUN_OUTCOME_LABELS,
  RUN_STATUS_LABELS,
  RUN_TALLIES,
  RUN_TALLY_LABELS,
  runTallies,
} from '@renkei/hub';

import { type Html, html, when } from './html.ts';

export function planBadge(status: PlanStatus): Html {
  return html`<span class="badge badge-${status}" data-status="${status}">${PLAN_STATUS_LABELS[status]}</span>`;
}

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

const OUTCOME_TONE: Record<RunOutcome, string> = {
  pending: 'neutral',
  created: 'info',
  updated: 'success',
  already_present: 'neutral',
  stale: 'danger',
  failed: 'danger',
  skipped: 'neutral',
  ambiguous: 'warning',
  not_attempted: 'neutral',
};

export function outcomeBadge(outcome: RunOutcome): Html {
  return html`<span class="badge badge-${OUTCOME_TONE[outcome]}" data-outcome="${outcome}"
    >${RUN_OUTCOME_LABELS[outcome]}</span
  >`;
}

export type Direction = 'import' | 'export';

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
  const range = html`<span>${total.toLocaleString('ja-JP')} 件中 ${from.toLocaleString('ja-JP')}–${to.toLocaleString('ja-JP')} 件（${page} / ${pages} ページ）</span>`;
  // One page: nothing to step to, so no ← 前へ / 次へ →.
  if (pages === 1 && page === 1) return html`<nav class="pager" aria-label="ページ送り">${range}</nav>`;
  return html`<nav class="pager" aria-label="ページ送り">
    ${page > 1 ? html`<a href="${href(page - 1)}" rel="prev">← 前へ</a>` : html`<span class="muted">← 前へ</span>`}
    ${range}
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
