import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeFindings } from './axe.ts';
import { closeDemoSession, type DemoSession, startDemoSession } from './demo-session.ts';

/**
 * The CSV import's progress page in Chromium, as a keyboard user has it: while the import runs the
 * panel changes in place over SSE — focus stays on the control it was on, the page is never
 * reloaded — 書き込み中 is shown while the publish holds PGlite's one connection, and at the end the
 * result is shown and takes focus, so it is read. A page served with a finished import (a file that
 * is no CSV) and the 409 of a second import focus what they say, too.
 */

const STEP_TIMEOUT = 180_000;
// Several seconds of reading on in-memory PGlite: long enough to hold focus through two of them.
const ROWS = 15_000;

let session: DemoSession;

beforeAll(async () => {
  session = await startDemoSession();
}, STEP_TIMEOUT);

afterAll(() => closeDemoSession(session ?? {}));

function csvFile(rows: number): Buffer {
  const lines = Array.from(
    { length: rows },
    (_, i) => `IP${String(i).padStart(6, '0')},山田,太郎,ヤマダ,タロウ`,
  );
  return Buffer.from(`社員番号,姓,名,姓（フリガナ）,名（フリガナ）\r\n${lines.join('\r\n')}\r\n`);
}

/** The test id of the focused element, or of the element it sits in. */
const focusedTestId = (page: DemoSession['page']): Promise<string | null> =>
  page.evaluate(() => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid') ?? null);

async function submit(page: DemoSession['page'], file: { name: string; buffer: Buffer }): Promise<void> {
  await page.setInputFiles('#f-file', { ...file, mimeType: 'text/csv' });
  await Promise.all([page.waitForLoadState(), page.click('button[type="submit"].primary')]);
}

interface PanelState {
  label: string;
  value: string | null;
  phase: string | null;
}

describe('the CSV import progress page', () => {
  it(
    'keeps focus and the page while the import runs, shows 書き込み中, then the result',
    async () => {
      const { page, demo } = session;
      await page.goto(`${demo.url}/employees/import`);
      await page.setInputFiles('#f-file', { name: 'many.csv', mimeType: 'text/csv', buffer: csvFile(ROWS) });
      await Promise.all([
        page.waitForURL(/\/employees\/import\/[0-9a-f-]{36}$/),
        page.click('button[type="submit"].primary'),
      ]);
      const panel = page.locator('[data-testid="import-progress"]');
      await panel.waitFor();
      expect(await axeFindings(page)).toEqual([]);

      // A marker that a reload would lose, and every phase the panel shows, as it shows it (kept in
      // sessionStorage, which the reload at the end does not lose).
      await page.evaluate(() => {
        const target = document.querySelector('[data-import-progress]');
        const phases = [target?.getAttribute('data-phase')];
        Object.assign(window, { importMarker: 'still here' });
        sessionStorage.setItem('e2e:phases', JSON.stringify(phases));
        if (target)
          new MutationObserver(() => {
            const phase = target.getAttribute('data-phase');
            if (phases.at(-1) !== phase) phases.push(phase);
            sessionStorage.setItem('e2e:phases', JSON.stringify(phases));
          }).observe(target, { attributes: true, attributeFilter: ['data-phase'] });
      });
      const state = (): Promise<PanelState> =>
        page.evaluate(() => ({
          label: document.querySelector('[data-import-label]')?.textContent ?? '',
          value: document.querySelector('#import-progress')?.getAttribute('value') ?? null,
          phase: document.querySelector('[data-import-progress]')?.getAttribute('data-phase') ?? null,
        }));
      const before = await state();
      expect(before.phase).toBe('reading');

      // Focus on the 再読み込み link (reached by Tab from the control before it).
      const reload = panel.getByRole('link', { name: '再読み込み' });
      await reload.focus();
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab');
      const onReload = () =>
        page.evaluate(() => {
          const active = document.activeElement;
          return (
            active?.textContent === '再読み込み' && active.closest('[data-testid="import-progress"]') !== null
          );
        });
      expect(await onReload()).toBe(true);

      let navigations = 0;
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) navigations += 1;
      });
      await page.waitForTimeout(2_500);
      expect(navigations, 'the page reloaded while the import ran').toBe(0);
      const during = await state();
      expect(during.phase).not.toBeNull();
      // Not reloaded (the marker lives), focus where it was, and the panel moved on in place.
      expect(await page.evaluate(() => (window as unknown as { importMarker?: string }).importMarker)).toBe(
        'still here',
      );
      expect(await onReload()).toBe(true);
      expect(during).not.toEqual(before);

      // The result, once the page reloads at the end: it takes focus, so a screen reader reads it,
      // and it is not said a second time through a live region.
      await page.locator('[data-testid="import-result"]').waitFor({ timeout: STEP_TIMEOUT });
      await expect.poll(() => focusedTestId(page)).toBe('import-result');
      expect(await page.locator('[data-testid="import-result"]').textContent()).toContain(
        `${ROWS.toLocaleString('ja-JP')} 件を取り込みました`,
      );
      await page.waitForTimeout(500);
      expect(await page.locator('[data-status-region]').textContent()).toBe('');
      expect(await page.locator('[data-alert-region]').textContent()).toBe('');
      // 書き込み中 was on the page before the result (PGlite's publish did not hold the panel up).
      expect(await page.evaluate(() => JSON.parse(sessionStorage.getItem('e2e:phases') ?? '[]'))).toEqual([
        'reading',
        'writing',
      ]);
    },
    STEP_TIMEOUT,
  );

  it(
    'focuses the result of a file it could not read, served finished, and says the file is the problem',
    async () => {
      const { page, demo } = session;
      await page.goto(`${demo.url}/employees/import`);
      // A PNG renamed .csv: the import ends before the redirect's page is served.
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
      await submit(page, { name: 'photo.csv', buffer: png });
      const result = page.locator('[data-testid="import-result"]');
      await result.waitFor();
      await expect.poll(() => focusedTestId(page)).toBe('import-result');
      const text = (await result.textContent()) ?? '';
      expect(text).toContain('CSVファイルを読み取れませんでした。');
      expect(text).not.toContain('エラーのない行だけ取り込む');
      expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual([
        '取り込み結果',
        '別のCSVを取り込む',
      ]);
      expect(await axeFindings(page)).toEqual([]);
    },
    STEP_TIMEOUT,
  );

  it(
    'focuses the 409 of a second import while one runs',
    async () => {
      const { page, demo } = session;
      await page.goto(`${demo.url}/employees/import`);
      await submit(page, { name: 'first.csv', buffer: csvFile(ROWS) });
      const running = page.url();
      expect(running).toMatch(/\/employees\/import\/[0-9a-f-]{36}$/);
      await page.goto(`${demo.url}/employees/import`);
      await submit(page, { name: 'second.csv', buffer: csvFile(3) });
      const flash = page.locator('[data-testid="import-form-error"]');
      await flash.waitFor();
      expect(await flash.textContent()).toContain('別のCSV取り込みを実行中です');
      await expect.poll(() => focusedTestId(page)).toBe('import-form-error');
      // Let the first import end before the session closes.
      await page.goto(running);
      await page.locator('[data-testid="import-result"]').waitFor({ timeout: STEP_TIMEOUT });
    },
    STEP_TIMEOUT,
  );
});
