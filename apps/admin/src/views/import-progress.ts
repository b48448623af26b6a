import type { CsvImportResult, ImportJob } from '@renkei/hub';
import { type Html, html } from './html.ts';

type Progress = ImportJob['progress'];

const count = (value: number): string => value.toLocaleString('ja-JP');

const readPercent = ({ bytesRead, totalBytes }: Progress): number =>
  totalBytes === 0 ? 0 : Math.floor((bytesRead / totalBytes) * 100);

/** The progress bar's label: the page and app.js (over SSE) show the same words. */
export function importProgressLabel(progress: Progress): string {
  return progress.phase === 'writing'
    ? `書き込み中… ${count(progress.rows)} 行を確認し、従業員リストに書き込んでいます`
    : `取り込み中… ${count(progress.rows)} 行を確認しました（${readPercent(progress)}%）`;
}

/**
 * An import the file itself stopped (no header row, a header unlike the export's, a file that is no
 * CSV): every error is on the header row and nothing went in, so no row was there to be left out.
 */
export const fileUnreadable = (result: CsvImportResult): boolean =>
  result.imported === 0 && result.errors.length > 0 && result.errors.every((error) => error.row === 1);

/** What the SSE stream sends and app.js renders into the progress panel. */
export interface ImportProgressPayload {
  status: ImportJob['status'];
  phase: Progress['phase'];
  bytesRead: number;
  totalBytes: number;
  rows: number;
  percent: number;
  label: string;
}

/** At the end app.js reloads: the page shows the result, and its panel takes focus. */
export function importProgressPayload(job: ImportJob): ImportProgressPayload {
  return {
    status: job.status,
    phase: job.progress.phase,
    bytesRead: job.progress.bytesRead,
    totalBytes: job.progress.totalBytes,
    rows: job.progress.rows,
    percent: readPercent(job.progress),
    label: importProgressLabel(job.progress),
  };
}

/**
 * A running import. app.js keeps the panel live over SSE (`data-import-progress`): the bar and its
 * label change in place, so focus and a screen reader's place stay where they are; the label is no
 * live region (a percentage every quarter second is noise), 書き込み中 is announced; the end reloads the
 * page, whose result panel takes focus.
 * Without JavaScript the page does not update itself (no timed refresh, WCAG F41): it says so, and
 * its 再読み込み link loads it again.
 */
export function importProgress(job: ImportJob): Html {
  const { progress } = job;
  // The file is read; its rows go in at once, for as long as the database takes (no measure of it).
  const bar =
    progress.phase === 'writing'
      ? html`<progress id="import-progress">書き込み中</progress>`
      : html`<progress id="import-progress" max="${progress.totalBytes}" value="${progress.bytesRead}">${readPercent(progress)}%</progress>`;
  return html`<div class="panel" data-testid="import-progress" data-import-progress="${job.id}" data-phase="${progress.phase}">
    <label for="import-progress" data-import-label>${importProgressLabel(progress)}</label>
    ${bar}
    <p class="muted" data-testid="import-reload">進み具合はこのページに自動で表示されます。ただし JavaScript が無効な場合、このページは自動では更新されません。表示が変わらないときは<a href="/employees/import/${job.id}">再読み込み</a>してください。</p>
  </div>`;
}
