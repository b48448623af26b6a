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
