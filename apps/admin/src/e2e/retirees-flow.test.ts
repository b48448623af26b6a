import { isEmployedOn, tokyoDate } from '@renkei/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Demo } from '../demo/demo.ts';
import { closeDemoSession, startDemoSession } from './demo-session.ts';

const STEP_TIMEOUT = 120_000;
let demo: Demo;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ({ demo, browser, page } = await startDemoSession());
}, STEP_TIMEOUT);

afterAll(() => closeDemoSession({ demo, browser }));

async function hrEmployees() {
  const all = [];
  for (let number = 1; ; number++) {
    const { items, total } = await demo.hub.employees.list({ page: number, pageSize: 200 });
    all.push(...items.map((item) => item.employee));
    if (all.length >= total || items.length === 0) return all;
  }
}

/** Every 社員番号 the picker lists, across its pages. */
async function pickerCodes(): Promise<string[]> {
  const codes: string[] = [];
  for (;;) {
    const rows = page.locator('[data-testid="picker-table"] tbody tr[data-employee-code]');
    for (const row of await rows.all()) codes.push((await row.getAttribute('data-employee-code')) ?? '');
    const next = page.locator('nav.pager button:has-text("次へ")');
    if ((await next.count()) === 0) return codes;
    await Promise.all([page.waitForURL(/page=/), next.click()]);
  }
}

describe('HR → PCA export in a real browser', () => {
  it(
    'leaves retirees out by default (在籍者のみ, today in Japan) and lists them once unticked',
    async () => {
      const connection = (await demo.hub.connections.list()).find((c) => c.connectorId === 'pca-cloud');
      if (!connection) throw new Error('no PCA connection');
      const today = tokyoDate(Date.now());
      const hr = await hrEmployees();
      const gone = hr.filter((employee) => !isEmployedOn(employee, today));
      expect(gone.length).toBeGreaterThan(0);

      await page.goto(`${demo.url}/connections/${connection.id}`);
      await page.click('[data-direction="export"] a');
      expect(await page.isChecked('input[name="activeOnly"]')).toBe(true);
      expect(await page.inputValue('input[name="basisDate"]')).toBe(today);
      await Promise.all([page.waitForURL(/\/previews\//), page.click('button:has-text("差分を確認する")')]);

      expect(await page.textContent('[data-testid="employment-excluded"]')).toContain(
        `基準日に在籍していない ${gone.length} 名は対象外です。`,
      );
      const shown = new Set(await pickerCodes());
      for (const retiree of gone) expect(shown.has(retiree.employeeCode), retiree.employeeCode).toBe(false);

      // Deliberately: untick 在籍者のみ, and the retirees are there to choose.
      await page.goto(`${demo.url}/connections/${connection.id}`);
      await page.click('[data-direction="export"] a');
      await page.uncheck('input[name="activeOnly"]');
      await Promise.all([page.waitForURL(/\/previews\//), page.click('button:has-text("差分を確認する")')]);
      expect(await page.locator('[data-testid="employment-excluded"]').count()).toBe(0);
      const all = new Set(await pickerCodes());
      for (const retiree of gone) expect(all.has(retiree.employeeCode), retiree.employeeCode).toBe(true);
    },
    STEP_TIMEOUT * 3,
  );
});
