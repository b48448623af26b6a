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

interface FieldBase {
  name: string;
  label: string;
  error?: string | undefined;
  required?: boolean;
  help?: string | undefined;
}

export interface FieldProps extends FieldBase {
  type?: 'text' | 'email' | 'password' | 'date' | 'search' | 'file';
  value?: string | undefined;
  placeholder?: string | undefined;
  autocomplete?: string;
  /** For a file input: the types offered. */
  accept?: string;
  /** Renders a <select> with these options instead of an input. */
  options?: readonly { value: string; label: string }[];
}

/** The id of a field's control: error summaries and labels point at it. */
export const fieldId = (name: string): string => `f-${name}`;

/**
 * A field's wiring for assistive technology: the ids of its help and error, and the attributes its
 * control carries (`aria-invalid` and an `aria-describedby` naming the error, then the help).
 */
function fieldWiring(props: FieldBase) {
  const id = fieldId(props.name);
  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  const describedBy = [props.error ? errorId : '', props.help ? helpId : ''].filter(Boolean).join(' ');
  const aria = html`${props.error ? html`aria-invalid="true"` : ''} ${describedBy ? html`aria-describedby="${describedBy}"` : ''}`;
  const messages = html`${when(props.help, () => html`<span class="help" id="${helpId}">${props.help}</span>`)}
    ${when(props.error, () => html`<span class="error" id="${errorId}" data-error-for="${props.name}">${props.error}</span>`)}`;
  return { id, aria, messages };
}

const requiredMark = (required: boolean | undefined) =>
  when(required, () => html`<span class="required">必須</span>`);

/** A labelled input or select with its help and its Japanese error tied to it. */
export function field(props: FieldProps): Html {
  const { id, aria, messages } = fieldWiring(props);
  const control = props.options
    ? html`<select id="${id}" name="${props.name}" ${aria}>
        ${props.options.map(
          (option) =>
            html`<option value="${option.value}" ${option.value === (props.value ?? '') ? html`selected` : ''}>${option.label}</option>`,
        )}
      </select>`
    : html`<input
      id="${id}"
      name="${props.name}"
      type="${props.type ?? 'text'}"
      ${props.type === 'file' ? '' : html`value="${props.value ?? ''}"`}
      ${props.required ? html`required` : ''}
      ${props.placeholder ? html`placeholder="${props.placeholder}"` : ''}
      ${props.autocomplete ? html`autocomplete="${props.autocomplete}"` : ''}
      ${props.accept ? html`accept="${props.accept}"` : ''}
      ${aria}
    />`;
  return html`<div class="field ${props.error ? 'has-error' : ''}">
    <label for="${id}">${props.label}${requiredMark(props.required)}</label>
    ${control}
    ${messages}
  </div>`;
}

export interface ChoiceFieldProps extends FieldBase {
  choices: readonly { value: string; label: Html | string; checked: boolean }[];
  testId?: string;
}

/** A group of radio buttons under a legend; the first radio takes the field's id (error links). */
export function choiceField(props: ChoiceFieldProps): Html {
  const { id, aria, messages } = fieldWiring(props);
  return html`<fieldset class="field ${props.error ? 'has-error' : ''}" ${props.testId ? html`data-testid="${props.testId}"` : ''}>
    <legend>${props.label}${requiredMark(props.required)}</legend>
    ${props.choices.map(
      (choice, index) => html`<label class="choice">
        <input type="radio" ${index === 0 ? html`id="${id}"` : ''} name="${props.name}" value="${choice.value}"
          ${choice.checked ? html`checked` : ''} ${aria} />
        <span class="choice-text">${choice.label}</span>
      </label>`,
    )}
    ${messages}
  </fieldset>`;
}

/**
 * GOV.UK's error summary: what is wrong, each message a link to its field, focused on load
 * (app.js) so a screen reader reads it first. `order` lists the form's fields top to bottom; an
 * error of the whole form (`_form`) has its own message and is not repeated here.
 */
export function errorSummary(errors: Readonly<Record<string, string>>, order: readonly string[]): Html | '' {
  const names = order.filter((name) => errors[name]);
  if (names.length === 0) return '';
  return html`<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title" data-error-summary>
    <h2 id="error-summary-title">入力内容を確認してください</h2>
    <ul>
      ${names.map((name) => html`<li><a href="#${fieldId(name)}">${errors[name]}</a></li>`)}
    </ul>
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
