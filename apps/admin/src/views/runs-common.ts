import { RUN_STATUS_TITLES, type Run, type RunStatus } from '@renkei/hub';
import { RUN_STATUS_LABELS, RUN_STATUS_TONE, RUN_TALLIES, runBadge, runTallies } from './components.ts';
import { type Html, html } from './html.ts';

export type RunView = Run;

export const isActive = (status: RunStatus): boolean => status === 'queued' || status === 'running';

/** Employees with a recorded outcome. */
export const processedCount = (run: Pick<Run, 'total' | 'counts'>): number => run.total - run.counts.pending;

/** What the SSE stream sends and app.js renders. */
export function progressPayload(run: RunView) {
  return {
    status: run.status,
    statusLabel: RUN_STATUS_LABELS[run.status],
    statusTone: RUN_STATUS_TONE[run.status],
    /** What app.js announces at the end: assertively when the run failed in part or whole. */
    statusTitle: RUN_STATUS_TITLES[run.status],
    alert: run.status === 'failed' || run.status === 'partially_failed',
    total: run.total,
    processed: processedCount(run),
    // The tallies the pages show (失敗 includes stale), keyed as their data-count slots.
    ...runTallies(run.counts),
  };
}

/**
 * A progress bar with counts; app.js keeps it live over SSE while the run is active. The status and
 * counter are a polite live region, so a screen reader hears 実行中 2 / 11 名 as it changes.
 */
/**
 * Without JavaScript a page with live progress does not update itself (no timed refresh: WCAG F41,
 * and a `<meta>` does not belong in the body): it says so, with a link to load it again.
 */
export function noScriptReload(href: string): Html {
  return html`<noscript><p class="muted" data-testid="noscript-reload">JavaScript が無効なため、このページは自動では更新されません。<a href="${href}">再読み込み</a>すると最新の状態を表示します。</p></noscript>`;
}

export function runProgress(run: RunView, options: { reloadOnEnd?: boolean; live?: boolean } = {}): Html {
  const active = isActive(run.status) && options.live !== false;
  const processed = processedCount(run);
  return html`<div
    class="run-progress"
    ${active ? html`data-run-progress="${run.id}"` : ''}
    ${active && options.reloadOnEnd ? html`data-reload-on-end` : ''}
  >
    <div class="actions" role="status">${runBadge(run.status)}
      <span><span data-count="processed">${processed}</span> / <span data-count="total">${run.total}</span> 名</span>
    </div>
    <progress max="${Math.max(run.total, 1)}" value="${processed}" aria-label="進捗"></progress>
  </div>`;
}

/** The tallies a history row shows: every one but 未実行 (the status says 中止). */
export const HISTORY_TALLIES = RUN_TALLIES.filter((tally) => tally !== 'not_attempted');

export function runCountsCells(counts: Run['counts']): Html {
  const tallies = runTallies(counts);
  return html`${HISTORY_TALLIES.map((tally) => html`<td class="num" data-count="${tally}">${tallies[tally]}</td>`)}`;
}
