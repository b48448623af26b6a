import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Demo, startDemo } from '../demo/demo.ts';
import { DEMO_USERS } from '../demo/seed.ts';
import { launchChromium, signInAs } from './browser.ts';
import { closeDemoSession, connectionIdOf } from './demo-session.ts';

/**
 * Both seed flows by keyboard alone — Tab, Shift+Tab, Space, Enter, Esc and arrows; no mouse, no
 * typing — at 1280×800 and at 200 % zoom. After every key the focused element must be in view, not
 * covered (elementFromPoint at its centre is itself or inside it) and drawn with a focus ring.
 *
 * 200 % zoom is a 640×400 CSS-pixel viewport: zooming a 1280×800 window halves the CSS pixels it
 * holds, which is what layout, media queries and sticky positioning see. deviceScaleFactor would
 * only sharpen the pixels and leave the layout at 1280×800.
 */

const STEP_TIMEOUT = 180_000;
const VIEWPORTS = {
  '1280×800': { width: 1280, height: 800 },
  '200 % zoom (640×400)': { width: 640, height: 400 },
} as const;

let demo: Demo;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [demo, browser] = await Promise.all([startDemo({ inMemory: true, port: 0 }), launchChromium()]);
}, STEP_TIMEOUT);

afterAll(() => closeDemoSession({ demo, browser }));

const connectionId = (connectorId: string): Promise<string> => connectionIdOf(demo, connectorId);

/** Why the focused element is not perceivable where it is, or null when it is. */
function focusProblem(): string | null {
  const element = document.activeElement;
  const name = (node: Element | null) =>
    node
      ? `<${node.tagName.toLowerCase()}${node.id ? `#${node.id}` : ''}${node.getAttribute('name') ? ` name=${node.getAttribute('name')}` : ''}> "${(node.textContent ?? '').trim().slice(0, 30)}"`
      : 'nothing';
  if (!element || element === document.body) return 'nothing is focused';
  // The first line box of a wrapped link; the box itself for everything else.
  const box = element.getClientRects()[0] ?? element.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return `${name(element)} has no size`;
  // Its part inside the viewport (all of it but for a region taller than the window, like <main>).
  const left = Math.max(box.left, 0);
  const right = Math.min(box.right, window.innerWidth);
  const top = Math.max(box.top, 0);
  const bottom = Math.min(box.bottom, window.innerHeight);
  if (right <= left || bottom <= top) return `${name(element)} is outside the viewport`;
  const x = (left + right) / 2;
  const y = (top + bottom) / 2;
  const hit = document.elementFromPoint(x, y);
  if (!hit || !(hit === element || element.contains(hit)))
    return `${name(element)} is covered by ${name(hit)}`;
  const programmatic = element.getAttribute('tabindex') === '-1';
  if (!programmatic && getComputedStyle(element).outlineStyle === 'none')
    return `${name(element)} shows no focus`;
  return null;
}

interface Walk {
  page: Page;
  label: string;
  steps: number;
  problems: string[];
}

/** One key, then the focus check. */
async function press(walk: Walk, key: string): Promise<void> {
  await walk.page.keyboard.press(key);
  walk.steps += 1;
  const problem = await walk.page.evaluate(focusProblem);
  if (problem) walk.problems.push(`${walk.label} step ${walk.steps} (${key}) ${walk.page.url()}: ${problem}`);
}

const focused = (page: Page, selector: string) =>
  page.evaluate((target) => document.activeElement?.matches(target) ?? false, selector);

/** Tab (or Shift+Tab) until the selector has focus, checking every stop on the way. */
async function tabTo(walk: Walk, selector: string, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  if (await focused(walk.page, selector)) return;
  for (let stop = 0; stop < 250; stop += 1) {
    await press(walk, key);
    if (await focused(walk.page, selector)) return;
  }
  throw new Error(`${walk.label}: Tab never reached ${selector} on ${walk.page.url()}`);
}

/** A key that loads another page. */
async function pressAndLoad(walk: Walk, key: string, url: RegExp): Promise<void> {
  await Promise.all([walk.page.waitForURL(url), walk.page.keyboard.press(key)]);
  walk.steps += 1;
}

/** The filter select must not submit on an arrow key (WCAG 3.2.2): 絞り込む does. From below it. */
async function filterByArrows(walk: Walk, downs: number, expected: RegExp): Promise<void> {
  await tabTo(walk, '#f-status', 'Shift+Tab');
  const before = walk.page.url();
  for (let step = 0; step < downs; step += 1) await press(walk, 'ArrowDown');
  await walk.page.waitForTimeout(300);
  expect(walk.page.url(), 'an arrow key on the filter select navigated').toBe(before);
  expect(await focused(walk.page, '#f-status')).toBe(true);
  await tabTo(walk, '.toolbar button[type="submit"]');
  await pressAndLoad(walk, 'Enter', expected);
}

/** Down every control of a picker page to 確認へ進む and back up to the filter. */
async function sweepPicker(walk: Walk): Promise<void> {
  await tabTo(walk, '#confirm-opener');
  await tabTo(walk, '#f-status', 'Shift+Tab');
}

/** On the picker: tick the first selectable row, then open 確認. */
async function pickAndConfirm(walk: Walk): Promise<void> {
  const { page } = walk;
  await tabTo(walk, 'tbody input[name="code"]');
  await press(walk, 'Space');
  expect(await page.locator('tbody input[name="code"]:checked').count()).toBe(1);
  await tabTo(walk, '#confirm-opener');
  await pressAndLoad(walk, 'Enter', /\/confirm\?/);
}

/**
 * In the 確認 dialog: focus is inside it, the page behind is inert, Esc closes it and focus
 * returns to 確認へ進む; opened again, 同期 starts the run.
 */
async function confirmAndSync(walk: Walk): Promise<void> {
  const { page } = walk;
  const dialog = '[data-testid="confirm-dialog"]';
  expect(await page.evaluate((selector) => document.querySelector(selector)?.matches(':modal'), dialog)).toBe(
    true,
  );
  expect(await focused(page, `${dialog} *`)).toBe(true);
  const behind = await page.evaluate(() => {
    const link = document.querySelector<HTMLElement>('.breadcrumbs a');
    link?.focus();
    return document.activeElement === link;
  });
  expect(behind, 'the page behind the dialog took focus').toBe(false);
  await tabTo(walk, `${dialog} button.primary`);
  await press(walk, 'Shift+Tab');
  expect(await focused(page, `${dialog} *`)).toBe(true);
  await pressAndLoad(walk, 'Escape', /#confirm-opener$/);
  expect(await focused(page, '#confirm-opener'), 'focus returns to 確認へ進む').toBe(true);
  const problem = await page.evaluate(focusProblem);
  if (problem) walk.problems.push(`${walk.label} after Esc: ${problem}`);
  await pressAndLoad(walk, 'Enter', /\/confirm\?/);
  await tabTo(walk, `${dialog} button.primary`);
  await pressAndLoad(walk, 'Enter', /\/connections\/[\w-]+$/);
  await page
    .locator('[data-testid="run-history"] tbody tr[data-run-id]')
    .first()
    .locator('[data-run-status="succeeded"]')
    .waitFor({ timeout: 60_000 });
}

/** From a connection's dashboard: skip link, then the direction's 同期を開始. */
async function openWizard(walk: Walk, connectorId: string, direction: 'import' | 'export'): Promise<void> {
  await walk.page.goto(`${demo.url}/connections/${await connectionId(connectorId)}`);
  await press(walk, 'Tab');
  expect(await focused(walk.page, '.skip-link')).toBe(true);
  await press(walk, 'Enter');
  await tabTo(walk, `[data-direction="${direction}"] a`);
  await pressAndLoad(walk, 'Enter', new RegExp(`/sync/${direction}$`));
}

const obscured: string[] = [];
let totalSteps = 0;

describe.each(Object.entries(VIEWPORTS))('keyboard only at %s', (label, viewport) => {
  let page: Page;
  const walk = (flow: string): Walk => ({ page, label: `${label} ${flow}`, steps: 0, problems: [] });
  const finish = (done: Walk) => {
    totalSteps += done.steps;
    obscured.push(...done.problems);
    expect(done.problems).toEqual([]);
  };

  beforeAll(async () => {
    const context = await browser.newContext({ viewport, locale: 'ja-JP' });
    contexts.push(context);
    page = await context.newPage();
    await signInAs(page, demo.url, DEMO_USERS.admin.email, DEMO_USERS.admin.password);
  }, STEP_TIMEOUT);

  it(
    'PCAクラウド給与 → 従業員リスト with a データ領域',
    async () => {
      const pca = walk('PCA');
      await openWizard(pca, 'pca-cloud', 'import');
      await tabTo(pca, 'input[name="dataArea"]:checked');
      const first = await page.evaluate(() => (document.activeElement as HTMLInputElement).value);
      await press(pca, 'ArrowDown');
      const chosen = await page.evaluate(() => (document.activeElement as HTMLInputElement).value);
      expect(chosen).not.toBe(first);
      // The newest 処理年度 comes first and is preselected: the next one down is 前年度以前, which
      // takes an explicit tick.
      await tabTo(pca, 'input[name="confirmOlder"]');
      await press(pca, 'Space');
      await tabTo(pca, 'button[type="submit"].primary');
      await pressAndLoad(pca, 'Enter', /\/previews\//);
      expect(await page.locator('[data-testid="data-area"]').textContent()).not.toBe('');
      expect(await page.locator('tbody input[name="code"]:not(:disabled)').count()).toBe(50);
      await sweepPicker(pca);
      await filterByArrows(pca, 1, /status=changed/);
      await pickAndConfirm(pca);
      await confirmAndSync(pca);
      finish(pca);
    },
    STEP_TIMEOUT,
  );

  it(
    '従業員リスト → ジョブカン',
    async () => {
      const jobcan = walk('Jobcan');
      await openWizard(jobcan, 'jobcan', 'export');
      await tabTo(jobcan, 'button[type="submit"].primary');
      await pressAndLoad(jobcan, 'Enter', /\/previews\//);
      await sweepPicker(jobcan);
      await filterByArrows(jobcan, 2, /status=new/);
      await pickAndConfirm(jobcan);
      await confirmAndSync(jobcan);
      finish(jobcan);
    },
    STEP_TIMEOUT,
  );
});

describe('the walk as a whole', () => {
  it('never lost or hid the focus', () => {
    console.info(`keyboard walk: ${totalSteps} key presses, ${obscured.length} with focus obscured`);
    expect(totalSteps).toBeGreaterThan(100);
    expect(obscured).toEqual([]);
  });
});
