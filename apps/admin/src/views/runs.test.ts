import type { Run } from '@renkei/hub';
import { describe, expect, it } from 'vitest';
import { pager } from './components.ts';
import { dashboardPage } from './dashboard.ts';
import { runDetailPage } from './runs.ts';
import { progressPayload } from './runs-common.ts';

const chrome = {
  viewer: { name: '管理者', email: 'admin@example.jp', role: 'admin' as const },
  unread: 0,
  csrfToken: 'token',
};

const running: Run = {
  id: '00000000-0000-4000-8000-000000000001',
  connectionId: '00000000-0000-4000-8000-000000000002',
  previewId: '00000000-0000-4000-8000-000000000003',
  direction: 'export',
  dataArea: 'default',
  status: 'running',
  startedBy: '00000000-0000-4000-8000-000000000004',
  total: 100,
  counts: {
    pending: 60,
    created: 40,
    updated: 0,
    already_present: 0,
    stale: 0,
    failed: 0,
    skipped: 0,
    ambiguous: 0,
    not_attempted: 0,
  },
  retryOf: null,
  trigger: 'manual',
  policy: null,
  createdAt: new Date(),
  startedAt: new Date(),
  finishedAt: null,
  cancelRequestedAt: null,
  cancelledBy: null,
};

const render = (run: Run, canManage = true) =>
  String(
    runDetailPage(chrome, {
      run,
      connection: { id: run.connectionId, displayName: 'ジョブカン勤怠管理' },
      startedByName: '管理者',
      items: [],
      page: 1,
      pageSize: 50,
      itemTotal: 0,
      canManage,
    }),
  );

describe('run detail: 中止', () => {
  it('offers 中止 to admins while the run is active and no cancel was asked', () => {
    expect(render(running)).toContain('data-testid="cancel-run"');
    expect(render({ ...running, status: 'queued' })).toContain('data-testid="cancel-run"');
    expect(render(running, false)).not.toContain('data-testid="cancel-run"');
    expect(
      render({ ...running, status: 'succeeded', counts: { ...running.counts, pending: 0 } }),
    ).not.toContain('data-testid="cancel-run"');
  });

  it('shows 中止しています… once a cancel was asked, until the run ends', () => {
    const stopping = render({ ...running, cancelRequestedAt: new Date(), cancelledBy: running.startedBy });
    expect(stopping).toContain('中止しています…');
    expect(stopping).not.toContain('data-testid="cancel-run"');
    expect(
      render({ ...running, status: 'cancelled', cancelRequestedAt: new Date(), finishedAt: new Date() }),
    ).not.toContain('中止しています…');
  });
});

describe('pager', () => {
  const href = (page: number) => `/x?page=${page}`;

  it('leaves out ← 前へ / 次へ → when everything fits on one page', () => {
    const one = String(pager({ page: 1, pageSize: 50, total: 12, href }));
    expect(one).toContain('12 件中 1–12 件');
    expect(one).not.toContain('前へ');
    expect(one).not.toContain('次へ');
  });

  it('links to the neighbouring pages, the missing one shown inert', () => {
    const first = String(pager({ page: 1, pageSize: 50, total: 120, href }));
    expect(first).toContain('<a href="/x?page=2" rel="next">次へ →</a>');
    expect(first).toContain('<span class="muted">← 前へ</span>');
    const middle = String(pager({ page: 2, pageSize: 50, total: 120, href }));
    expect(middle).toContain('<a href="/x?page=1" rel="prev">← 前へ</a>');
    expect(middle).toContain('<a href="/x?page=3" rel="next">次へ →</a>');
  });
});

describe('run progress for assistive technology', () => {
  it('is a polite live region holding the status and the counter; the page has an assertive one', () => {
    const html = render(running);
    expect(html).toMatch(/role="status">\s*<span class="badge[^>]*data-run-status="running"/);
    expect(html).toMatch(
      /role="status">[\s\S]*?data-count="processed">40<\/span> \/ <span data-count="total">100</,
    );
    expect(html).toMatch(/<div class="visually-hidden" role="alert" data-alert-region><\/div>/);
  });

  it('tells app.js to announce a failed or partly failed end, and only those', () => {
    const ended = (status: Run['status']) => progressPayload({ ...running, status });
    expect(ended('failed')).toMatchObject({ alert: true, statusTitle: '同期に失敗しました' });
    expect(ended('partially_failed')).toMatchObject({ alert: true, statusTitle: '同期が一部失敗しました' });
    expect(ended('succeeded').alert).toBe(false);
    expect(ended('cancelled').alert).toBe(false);
  });

  it('names the page and the connection in the title', () => {
    expect(render(running)).toContain('<title>同期の詳細 – ジョブカン勤怠管理 | Renkei</title>');
  });
});

describe('live run progress without JavaScript', () => {
  const dashboard = (run: Run) =>
    String(
      dashboardPage(chrome, {
        connection: { id: run.connectionId, displayName: 'ジョブカン勤怠管理', connectorName: 'jobcan' },
        runs: [run],
        page: 1,
        pageSize: 20,
        total: 1,
        canRun: true,
        hasDataAreas: false,
        userNames: new Map(),
        areaNames: new Map(),
      }),
    );

  it('has no timed refresh (WCAG F41): an active run says the page does not update itself, with a link', () => {
    for (const html of [render(running), dashboard(running)]) {
      expect(html).not.toContain('http-equiv');
      expect(html).toMatch(
        /<noscript><p class="muted" data-testid="noscript-reload">JavaScript が無効なため、このページは自動では更新されません。<a href="[^"]+">再読み込み<\/a>/,
      );
    }
    expect(render(running)).toContain(`<a href="/runs/${running.id}?page=1">再読み込み</a>`);
    expect(dashboard(running)).toContain(
      `<a href="/connections/${running.connectionId}?page=1">再読み込み</a>`,
    );
    const done = { ...running, status: 'succeeded' as const, counts: { ...running.counts, pending: 0 } };
    expect(render(done)).not.toContain('noscript');
    expect(dashboard(done)).not.toContain('noscript');
  });
});
