import type { Employee } from '@renkei/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Demo } from '../demo/demo.ts';
import { screenshots } from './browser.ts';
import { closeDemoSession, connectionIdOf, startDemoSession, vendorOf } from './demo-session.ts';

const shot = screenshots();
const STEP_TIMEOUT = 180_000;
/** Starting the demo (five seeded fakes, the hub on PGlite) and Chromium is slow on a loaded machine. */
const SETUP_TIMEOUT = 600_000;

let demo: Demo;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ({ demo, browser, page } = await startDemoSession());
}, SETUP_TIMEOUT);

afterAll(() => closeDemoSession({ demo, browser }));

const fakeOf = (id: string) => vendorOf(demo, id).fake;

const connectionId = (connectorId: string): Promise<string> => connectionIdOf(demo, connectorId);

/** One direction of the wizard for one employee: 差分を確認 → search → tick → 確認 → 同期 → the run succeeds. */
async function syncOne(connectorId: string, direction: 'import' | 'export', code: string, name: string) {
  await page.goto(`${demo.url}/connections/${await connectionId(connectorId)}`);
  await page.click(`[data-direction="${direction}"] a`);
  await Promise.all([page.waitForURL(/\/previews\//), page.click('button:has-text("差分を確認する")')]);
  // Choosing a filter does not submit (WCAG 3.2.2): 絞り込む does.
  await page.selectOption('#f-status', 'new');
  await page.fill('#f-search', code);
  await Promise.all([
    page.waitForURL(/status=new.*search=|search=.*status=new/),
    page.click('.toolbar button:has-text("絞り込む")'),
  ]);
  const row = page.locator(`[data-testid="picker-table"] tbody tr[data-employee-code="${code}"]`);
  await row.locator('input[name="code"]').check();
  await shot(page, `${name}-picker`);
  await Promise.all([page.waitForURL(/\/confirm\?/), page.click('button:has-text("確認へ進む")')]);
  const dialog = page.locator('[data-testid="confirm-dialog"]');
  await dialog.locator(`[data-employee-code="${code}"]`).waitFor();
  await Promise.all([
    page.waitForURL(/\/connections\/[\w-]+$/),
    dialog.locator('button:has-text("同期")').click(),
  ]);
  const run = page.locator('[data-testid="run-history"] tbody tr[data-run-id]').first();
  await run.locator('[data-run-status="succeeded"]').waitFor({ timeout: 60_000 });
  expect(((await run.locator('[data-count="created"]').textContent()) ?? '').trim()).toBe('1');
  await shot(page, `${name}-dashboard`);
}

describe('SmartHR → 従業員リスト → ジョブカン in a real browser', () => {
  it(
    'an employee registered in SmartHR reaches ジョブカン with the スタッフ種別 of its 雇用形態',
    async () => {
      // Registered in SmartHR itself (its fake), as an HR admin would: a 契約社員 nobody else has yet.
      const hire: Employee = {
        employeeCode: 'SH9001',
        lastName: '連携',
        firstName: '咲',
        lastNameKana: 'レンケイ',
        firstNameKana: 'サキ',
        birthDate: '1994-07-15',
        hireDate: '2026-04-01',
        gender: 'female',
        status: 'employed',
        phone: '03-5555-0101',
        employmentType: { code: '2', name: '契約社員' },
        department: { code: '300', name: '開発部' },
        jobTitle: { code: '90', name: '一般' },
      };
      fakeOf('smarthr').seed('default', [hire]);

      await page.goto(`${demo.url}/connectors`);
      expect(await page.locator('main').textContent()).toContain('SmartHR');
      await shot(page, 'smarthr-connectors');

      await syncOne('smarthr', 'import', hire.employeeCode, 'smarthr-import');
      const inHr = (await demo.hub.employees.get(hire.employeeCode))?.employee;
      expect(inHr).toMatchObject({ lastName: '連携', employmentType: { code: '2', name: '契約社員' } });

      await syncOne('jobcan', 'export', hire.employeeCode, 'smarthr-jobcan-export');
      const inJobcan = fakeOf('jobcan')
        .records('default')
        .find((employee) => employee.employeeCode === hire.employeeCode);
      // Jobcan holds the スタッフ種別 by name: 契約社員, not its default 【未分類】.
      expect(inJobcan).toMatchObject({
        lastName: '連携',
        firstName: '咲',
        hireDate: '2026-04-01',
        employmentType: { name: '契約社員' },
      });
    },
    STEP_TIMEOUT,
  );
});
