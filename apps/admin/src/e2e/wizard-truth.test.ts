import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Demo } from '../demo/demo.ts';
import { SCREENSHOTS, screenshots } from './browser.ts';
import { closeDemoSession, connectionIdOf, startDemoSession } from './demo-session.ts';

// The wizard walked in Chromium by its visible labels: the current year preselected and kept on
// Back, another person flagged and confirmed twice, old → new in the list, the counter after Back,
// and the dialog's [同期] in view at 1280×800 and on a phone. Screenshots go to screenshots/truth/.
const shot = screenshots(`${SCREENSHOTS}truth/`);
const STEP_TIMEOUT = 120_000;

let demo: Demo;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ({ demo, browser, page } = await startDemoSession({ width: 1280, height: 800 }));
}, STEP_TIMEOUT);

afterAll(() => closeDemoSession({ demo, browser }));

const text = async (locator: Locator): Promise<string> => ((await locator.textContent()) ?? '').trim();

const connectionId = (connectorId: string): Promise<string> => connectionIdOf(demo, connectorId);

const areas = (connectorId: string) => {
  const vendor = demo.vendors.find((candidate) => candidate.connector.id === connectorId);
  return (vendor?.fake.dataAreas() ?? []) as [string, string, ...string[]];
};

/** Opens step 1 of a direction from the connection's dashboard, as an admin clicks it. */
async function openWizard(connectorId: string, direction: 'import' | 'export'): Promise<void> {
  await page.goto(`${demo.url}/connections/${await connectionId(connectorId)}`);
  await Promise.all([page.waitForURL(/\/sync\//), page.click(`[data-direction="${direction}"] a`)]);
}

async function toPicker(): Promise<void> {
  await Promise.all([page.waitForURL(/\/previews\/[\w-]+/), page.click('button:has-text("差分を確認する")')]);
}

/** Chooses a 状態 and applies it with 絞り込む (the select does not submit on its own). */
async function filter(status: string): Promise<void> {
  await page.selectOption('#f-status', status);
  await Promise.all([
    page.waitForURL((url) => (url.searchParams.get('status') ?? '') === status),
    page.click('button:has-text("絞り込む")'),
  ]);
}

/** Whether an element lies fully inside the viewport as it is now (no scrolling). */
async function inViewport(locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const size = page.viewportSize();
  if (!box || !size) return false;
  return box.y >= 0 && box.x >= 0 && box.y + box.height <= size.height && box.x + box.width <= size.width;
}

describe('the wizard tells the whole truth', () => {
  it(
    '1. preselects the current 処理年度; a chosen older year survives browser Back',
    async () => {
      const [lastYear, thisYear] = areas('pca-cloud');
      await openWizard('pca-cloud', 'export');
      expect(await page.isChecked(`input[name="dataArea"][value="${thisYear}"]`)).toBe(true);
      expect(await page.isChecked(`input[name="dataArea"][value="${lastYear}"]`)).toBe(false);
      const older = page.locator('label.choice', { has: page.locator(`input[value="${lastYear}"]`) });
      expect(await text(older.locator('[data-testid="older-area"]'))).toBe('前年度以前');
      expect(await text(older)).toContain('2025年度（2025/01〜12）');
      await shot(page, '1a-area-current-year');

      // Last year without the extra tick is refused; the choice stays.
      await page.check(`input[name="dataArea"][value="${lastYear}"]`);
      await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("差分を確認する")')]);
      expect(await text(page.locator('[data-error-for="dataArea"]'))).toContain('前年度以前のデータ領域');
      expect(await page.isChecked(`input[name="dataArea"][value="${lastYear}"]`)).toBe(true);
      await shot(page, '1b-area-older-refused');

      // Back to a refused POST's page would ask to resend the form (pages are no-store), so the
      // Back check starts from a fresh visit.
      await openWizard('pca-cloud', 'export');
      await page.check(`input[name="dataArea"][value="${lastYear}"]`);
      await page.check('input[name="confirmOlder"]');
      await toPicker();
      expect(await text(page.locator('[data-testid="data-area"]'))).toContain('2025年度');
      await page.goBack();
      await page.waitForSelector('input[name="dataArea"]');
      expect(await page.isChecked(`input[name="dataArea"][value="${lastYear}"]`)).toBe(true);
      await shot(page, '1c-area-after-back');

      // A new visit starts from the current year again.
      await openWizard('pca-cloud', 'export');
      expect(await page.isChecked(`input[name="dataArea"][value="${thisYear}"]`)).toBe(true);
    },
    STEP_TIMEOUT,
  );

  it(
    '2. shows 別人の可能性 side by side, leaves it out of select-all, and writes it only when confirmed twice',
    async () => {
      await openWizard('pca-hyper', 'export');
      await toPicker();
      const pickerUrl = page.url();
      // Select-all of every status: 確認 lists no 別人の可能性.
      await Promise.all([page.waitForURL(/all=1/), page.click('[data-testid="select-all-filter"]')]);
      await Promise.all([page.waitForURL(/\/confirm\?/), page.click('button:has-text("確認へ進む")')]);
      expect(
        await page.locator('[data-testid="confirm-dialog"] [data-employee-code]').count(),
      ).toBeGreaterThan(0);
      expect(
        await page.locator('[data-testid="confirm-dialog"] [data-status="identity_mismatch"]').count(),
      ).toBe(0);
      await page.goto(pickerUrl);
      await filter('identity_mismatch');
      const row = page.locator('[data-testid="picker-table"] tbody tr[data-employee-code]').first();
      const code = (await row.getAttribute('data-employee-code')) ?? '';
      expect(code).not.toBe('');
      const compare = row.locator('[data-testid="identity-compare"]');
      expect(await text(compare)).toContain('岩崎 彩');
      expect(await text(compare.locator('thead'))).toContain('連携先（上書きされる人）');
      await shot(page, '2a-picker-identity');

      // The page's header box ticks every row but this one (the demo's is on the first page).
      await filter('');
      const mismatchBox = page.locator(`input[name="code"][value="${code}"]`);
      await mismatchBox.waitFor();
      await page.click('[data-select-page]');
      expect(await page.locator('input[name="code"]:checked').count()).toBeGreaterThan(1);
      expect(await mismatchBox.isChecked()).toBe(false);
      await page.click('[data-select-page]');
      expect(await page.locator('input[name="code"]:checked').count()).toBe(0);

      // Ticked by hand: 確認 shows both people and needs a second, per-person confirmation.
      await page.check(`input[name="code"][value="${code}"]`);
      await Promise.all([page.waitForURL(/\/confirm\?/), page.click('button:has-text("確認へ進む")')]);
      const dialog = page.locator('[data-testid="confirm-dialog"]');
      expect(await text(dialog.locator('header'))).toContain('別人の可能性 1 名');
      const block = dialog.locator(`[data-employee-code="${code}"]`);
      expect(await text(block.locator('[data-testid="identity-compare"]'))).toContain('岩崎 彩');
      await shot(page, '2b-confirm-identity');
      // [同期] without the second tick: the browser keeps the admin on 確認.
      await dialog.locator('button:has-text("同期")').click();
      expect(page.url()).toMatch(/\/confirm\?/);
      await block.locator('input[name="confirmMismatch"]').check();
      await Promise.all([
        page.waitForURL(/\/connections\/[\w-]+$/),
        dialog.locator('button:has-text("同期")').click(),
      ]);
      const history = page.locator('[data-testid="run-history"] tbody tr[data-run-id]').first();
      await history.locator('[data-run-status="succeeded"]').waitFor({ timeout: 60_000 });
      await shot(page, '2c-dashboard');
    },
    STEP_TIMEOUT,
  );

  it(
    '3. lists old → new for 差分あり in the picker, styled as in 確認',
    async () => {
      await openWizard('jobcan', 'import');
      await toPicker();
      await filter('changed');
      const row = page.locator('[data-testid="picker-table"] tbody tr[data-employee-code]').first();
      const code = (await row.getAttribute('data-employee-code')) ?? '';
      const before = row.locator('.change-list .before').first();
      const after = row.locator('.change-list .after').first();
      await before.waitFor();
      const style = (locator: Locator) =>
        locator.evaluate((node) => {
          const computed = getComputedStyle(node);
          return { line: computed.textDecorationLine, color: computed.color };
        });
      const listed = { before: await style(before), after: await style(after) };
      expect(listed.before.line).toContain('line-through');
      const field = await row.locator('.change-list li[data-field]').first().getAttribute('data-field');
      const listedText = { before: await text(before), after: await text(after) };
      await shot(page, '3a-picker-old-new');

      await row.locator('input[name="code"]').check();
      await Promise.all([page.waitForURL(/\/confirm\?/), page.click('button:has-text("確認へ進む")')]);
      const item = page.locator(
        `[data-testid="confirm-dialog"] [data-employee-code="${code}"] li[data-field="${field}"]`,
      );
      expect({
        before: await text(item.locator('.before')),
        after: await text(item.locator('.after')),
      }).toEqual(listedText);
      expect({
        before: await style(item.locator('.before')),
        after: await style(item.locator('.after')),
      }).toEqual(listed);
    },
    STEP_TIMEOUT,
  );

  it(
    '6. counts the ticked boxes after Back, and keeps [同期] in view at 1280×800 and on a phone',
    async () => {
      await openWizard('jobcan', 'export');
      await toPicker();
      await filter('changed');
      const boxes = page.locator('[data-testid="picker-table"] input[name="code"]:not([disabled])');
      await boxes.nth(0).check();
      await boxes.nth(1).check();
      expect(await text(page.locator('[data-testid="selected-count"]'))).toBe('選択中: 2 名');
      await Promise.all([page.waitForURL(/\/confirm\?/), page.click('button:has-text("確認へ進む")')]);
      await page.goBack();
      await page.waitForSelector('[data-testid="selected-count"]');
      await page.waitForFunction(
        () =>
          document.querySelectorAll('[data-testid="picker-table"] input[name="code"]:checked').length === 2,
      );
      expect(await text(page.locator('[data-testid="selected-count"]'))).toBe('選択中: 2 名');
      await shot(page, '6a-picker-after-back');

      // Many employees (every 差分あり and 新規登録): the dialog's body scrolls, its footer stays in view.
      await filter('');
      await Promise.all([page.waitForURL(/all=1/), page.click('[data-testid="select-all-filter"]')]);
      await Promise.all([page.waitForURL(/\/confirm\?/), page.click('button:has-text("確認へ進む")')]);
      const sync = page.locator('[data-testid="confirm-dialog"] footer button:has-text("同期")');
      const body = page.locator('[data-testid="confirm-dialog"] .body');
      expect(await body.evaluate((node) => node.scrollHeight > node.clientHeight)).toBe(true);
      expect(await inViewport(sync)).toBe(true);
      await body.evaluate((node) => node.scrollTo(0, 10_000));
      expect(await inViewport(sync)).toBe(true);
      expect(await page.evaluate(() => window.scrollY)).toBe(0);
      await page.screenshot({ path: `${SCREENSHOTS}truth/6b-confirm-1280x800.png` });

      await page.setViewportSize({ width: 390, height: 700 });
      expect(await inViewport(sync)).toBe(true);
      await page.screenshot({ path: `${SCREENSHOTS}truth/6c-confirm-narrow.png` });
      await page.setViewportSize({ width: 1280, height: 800 });
    },
    STEP_TIMEOUT,
  );
});
