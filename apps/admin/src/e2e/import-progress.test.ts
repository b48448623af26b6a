import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeFindings } from './axe.ts';
import { closeDemoSession, type DemoSession, startDemoSession } from './demo-session.ts';

/**
 * The CSV import's progress page in Chromium, as a keyboard user has it: while the import runs the
 * panel changes in place over SSE — focus stays on the control it was on, the page is never
 * reloaded — 書き込み中 is shown while the publish holds PGlite's one connection, and at the end the
 * result is shown and announced.
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

      // The result, once the page reloads at the end; the end is said politely.
      await page.locator('[data-testid="import-result"]').waitFor({ timeout: STEP_TIMEOUT });
      await expect
        .poll(() => page.locator('[data-status-region]').textContent())
        .toBe(`CSV取り込みが終わりました。${ROWS.toLocaleString('ja-JP')} 件を取り込みました。`);
      expect(await page.locator('[data-testid="import-result"]').textContent()).toContain(
        `${ROWS.toLocaleString('ja-JP')} 件を取り込みました`,
      );
      // 書き込み中 was on the page before the result (PGlite's publish did not hold the panel up).
      expect(await page.evaluate(() => JSON.parse(sessionStorage.getItem('e2e:phases') ?? '[]'))).toEqual([
        'reading',
        'writing',
      ]);
    },
    STEP_TIMEOUT,
  );
});
