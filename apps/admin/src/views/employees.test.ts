import type { ImportJob } from '@renkei/hub';
import { describe, expect, it } from 'vitest';
import { csvImportPage } from './employees.ts';

const chrome = {
  viewer: { name: '管理者', email: 'admin@example.jp', role: 'admin' as const },
  unread: 0,
  csrfToken: 'token',
};

const running = (progress: ImportJob['progress']): ImportJob => ({
  id: '00000000-0000-4000-8000-000000000001',
  actor: '00000000-0000-4000-8000-000000000002',
  status: 'running',
  startedAt: new Date(),
  finishedAt: null,
  progress,
  result: null,
});

describe('CSV import page', () => {
  it('shows a running import as a labelled progress bar that app.js keeps live, with no timed refresh', () => {
    const job = running({ bytesRead: 2_500_000, totalBytes: 10_000_000, rows: 25_000, phase: 'reading' });
    const html = String(csvImportPage(chrome, { errors: {}, job }));
    expect(html).toMatch(
      /<label for="import-progress" data-import-label>取り込み中… 25,000 行を確認しました（25%）<\/label>/,
    );
    expect(html).toMatch(/<progress id="import-progress" max="10000000" value="2500000">/);
    expect(html).toContain(`data-import-progress="${job.id}" data-phase="reading"`);
    // No whole-page reload while JavaScript runs, and no timed refresh without it (WCAG F41): the
    // page says it does not update itself then, and offers a link by hand.
    expect(html).not.toContain('data-reload-after');
    expect(html).not.toContain('http-equiv');
    expect(html).not.toContain('<noscript>');
    expect(html).toContain('JavaScript が無効な場合、このページは自動では更新されません');
    expect(html).toContain(`<a href="/employees/import/${job.id}">再読み込み</a>`);
    // The changing percentage is no live region: only the page's own (empty) regions are.
    expect(html.match(/role="(status|alert)"|aria-live/g)).toEqual(['role="alert"', 'role="status"']);
  });

  it('shows the write at the end as a labelled bar without a measure', () => {
    const job = running({ bytesRead: 10_000_000, totalBytes: 10_000_000, rows: 100_000, phase: 'writing' });
    const html = String(csvImportPage(chrome, { errors: {}, job }));
    expect(html).toMatch(
      /<label for="import-progress" data-import-label>書き込み中… 100,000 行を確認し、従業員リストに書き込んでいます<\/label>\s*<progress id="import-progress">/,
    );
    expect(html).toContain('data-phase="writing"');
  });
});

const finished = (
  result: NonNullable<ImportJob['result']>,
  status: ImportJob['status'] = 'done',
): ImportJob => ({
  ...running({ bytesRead: 300, totalBytes: 300, rows: 3, phase: 'reading' }),
  status,
  finishedAt: new Date(),
  result,
});

/** The result panel's markup, up to the upload form. */
const resultPanel = (html: string): string => {
  const start = html.indexOf('data-testid="import-result"');
  return html.slice(start, html.indexOf('<form', start));
};

describe('CSV import result', () => {
  it('is focused on load under its own heading (a role="alert" in the page at load is not read)', () => {
    const html = String(
      csvImportPage(chrome, {
        errors: {},
        job: finished({ imported: 3, created: 3, updated: 0, errors: [] }),
      }),
    );
    expect(html).toMatch(
      /<div class="panel" data-testid="import-result" tabindex="-1" data-focus-on-load>\s*<h2>取り込み結果<\/h2>/,
    );
    // The focus reads it; a live role on the flash would say it twice. Only the page's own regions.
    expect(html.match(/role="(status|alert)"|aria-live/g)).toEqual(['role="alert"', 'role="status"']);
    const failed = String(
      csvImportPage(chrome, {
        errors: {},
        job: finished({ imported: 0, created: 0, updated: 0, errors: [] }, 'failed'),
      }),
    );
    expect(resultPanel(failed)).toContain('tabindex="-1" data-focus-on-load');
    expect(resultPanel(failed)).not.toMatch(/role=/);
  });

  it('says a file it could not read is the problem, not its rows, and gives no advice about the option', () => {
    const header = { row: 1, field: 'record', label: '', message: '見出し行に「社員番号」がありません。' };
    const html = resultPanel(
      String(
        csvImportPage(chrome, {
          errors: {},
          job: finished({ imported: 0, created: 0, updated: 0, errors: [header] }),
        }),
      ),
    );
    expect(html).toContain(
      'CSVファイルを読み取れませんでした。見出し行が従業員リストのCSV出力と同じか、文字コードを確認してください。',
    );
    expect(html).not.toContain('エラーのない行だけ取り込む');
    expect(html).not.toContain('エラーのある行');
    expect(html).toContain('見出し行に「社員番号」がありません。');
    // A file with bad rows keeps the advice.
    const rows = resultPanel(
      String(
        csvImportPage(chrome, {
          errors: {},
          job: finished({
            imported: 0,
            created: 0,
            updated: 0,
            errors: [{ ...header, row: 2, message: '不正な日付です。' }],
          }),
        }),
      ),
    );
    expect(rows).toContain('「エラーのない行だけ取り込む」を選んでください');
  });

  it('counts the unchanged rows, so the sentence adds up', () => {
    const same = resultPanel(
      String(
        csvImportPage(chrome, {
          errors: {},
          job: finished({ imported: 300, created: 0, updated: 0, errors: [] }),
        }),
      ),
    );
    expect(same).toContain('300 件を取り込みました（新規 0 件、更新 0 件、変更なし 300 件）。');
    const mixed = resultPanel(
      String(
        csvImportPage(chrome, {
          errors: {},
          job: finished({ imported: 1_500, created: 1_000, updated: 200, errors: [] }),
        }),
      ),
    );
    expect(mixed).toContain('1,500 件を取り込みました（新規 1,000 件、更新 200 件、変更なし 300 件）。');
    const allNew = resultPanel(
      String(
        csvImportPage(chrome, {
          errors: {},
          job: finished({ imported: 3, created: 3, updated: 0, errors: [] }),
        }),
      ),
    );
    expect(allNew).toContain('3 件を取り込みました（新規 3 件、更新 0 件）。');
  });

  it('gives the result and the upload form headings of their own', () => {
    const empty = String(csvImportPage(chrome, { errors: {} }));
    expect(empty.match(/<h[1-6][^>]*>[^<]*/g)).toEqual(['<h1>CSV取り込み', '<h2>CSVファイルを取り込む']);
    const done = String(
      csvImportPage(chrome, {
        errors: {},
        job: finished({ imported: 3, created: 3, updated: 0, errors: [] }),
      }),
    );
    expect(done.match(/<h[1-6][^>]*>[^<]*/g)).toEqual([
      '<h1>CSV取り込み',
      '<h2>取り込み結果',
      '<h2>別のCSVを取り込む',
    ]);
    const progress = String(
      csvImportPage(chrome, {
        errors: {},
        job: running({ bytesRead: 0, totalBytes: 300, rows: 0, phase: 'reading' }),
      }),
    );
    expect(progress).toContain('<h2>別のCSVを取り込む</h2>');
  });

  it('focuses the form-wide error on load (another import is running: 409)', () => {
    const html = String(
      csvImportPage(chrome, {
        errors: { _form: '別のCSV取り込みを実行中です。終わってからもう一度取り込んでください。' },
      }),
    );
    expect(html).toMatch(
      /<div class="flash error" role="alert" tabindex="-1" data-focus-on-load[^>]*>別のCSV取り込みを実行中です/,
    );
  });
});
