import { type FieldKey, fieldValuesEqual, formatFieldValue } from '@renkei/core';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Demo } from '../demo/demo.ts';
import { DEMO_USERS } from '../demo/seed.ts';
import { DOCS_SCREENSHOTS, screenshots, signInAs } from './browser.ts';
import { closeDemoSession, connectionIdOf, startDemoSession, vendorOf } from './demo-session.ts';

const shot = screenshots();
const docsShot = screenshots(DOCS_SCREENSHOTS, false);
const STEP_TIMEOUT = 120_000;

let demo: Demo;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ({ demo, browser, page } = await startDemoSession({ width: 1280, height: 900 }));
}, STEP_TIMEOUT);

afterAll(() => closeDemoSession({ demo, browser }));

/** An element's text, trimmed (playwright's textContent, not the DOM's innerText). */
const text = async (locator: Locator): Promise<string> => ((await locator.textContent()) ?? '').trim();

const vendor = (id: string) => vendorOf(demo, id);

const connectionId = (connectorId: string): Promise<string> => connectionIdOf(demo, connectorId);

/** Ticks the first selectable employee shown under a status filter; returns its 社員番号. */
async function pickFirst(status: 'changed' | 'new'): Promise<string> {
  // Choosing a filter does not submit (WCAG 3.2.2): 絞り込む does.
  await page.selectOption('#f-status', status);
  await Promise.all([
    page.waitForURL(new RegExp(`status=${status}`)),
    page.click('.toolbar button:has-text("絞り込む")'),
  ]);
  const row = page.locator('[data-testid="picker-table"] tbody tr[data-employee-code]').first();
  const code = await row.getAttribute('data-employee-code');
  if (!code) throw new Error(`no ${status} employee to pick`);
  await row.locator('input[name="code"]').check();
  return code;
}

/** Values the 確認 dialog shows for an employee: field → new value. */
async function confirmedValues(code: string): Promise<Map<string, string>> {
  const items = page.locator(`[data-testid="confirm-dialog"] [data-employee-code="${code}"] li[data-field]`);
  const values = new Map<string, string>();
  for (const item of await items.all()) {
    values.set((await item.getAttribute('data-field')) ?? '', await text(item.locator('.after')));
  }
  return values;
}

/** Starts the wizard for a direction, choosing a data area when the connector has them. */
async function startWizard(
  connectorId: string,
  direction: 'import' | 'export',
  area?: string,
): Promise<void> {
  await page.goto(`${demo.url}/connections/${await connectionId(connectorId)}`);
  await page.click(`[data-direction="${direction}"] a`);
  if (area) await page.check(`input[name="dataArea"][value="${area}"]`);
  await Promise.all([page.waitForURL(/\/previews\//), page.click('button:has-text("差分を確認する")')]);
}

/**
 * From the picker: 確認 → [同期] → back on the dashboard, then waits for the run to end. Returns the
 * run and, for each of `codes`, the values the 確認 dialog showed.
 */
async function confirmAndSync(
  name: string,
  expected: 'succeeded' | 'partially_failed',
  codes: readonly string[] = [],
): Promise<{ runId: string; shown: Map<string, Map<string, string>> }> {
  await Promise.all([page.waitForURL(/\/confirm\?/), page.click('button:has-text("確認へ進む")')]);
  await page.waitForSelector('[data-testid="confirm-dialog"]');
  const shown = new Map<string, Map<string, string>>();
  for (const code of codes) shown.set(code, await confirmedValues(code));
  await shot(page, `${name}-confirm`);
  await Promise.all([
    page.waitForURL(/\/connections\/[\w-]+$/),
    page.click('[data-testid="confirm-dialog"] button:has-text("同期")'),
  ]);
  expect(await text(page.locator('.flash.success'))).toContain('同期を開始しました');
  const row = page.locator('[data-testid="run-history"] tbody tr[data-run-id]').first();
  const runId = (await row.getAttribute('data-run-id')) ?? '';
  await row.locator(`[data-run-status="${expected}"]`).waitFor({ timeout: 60_000 });
  await shot(page, `${name}-dashboard`);
  return { runId, shown };
}

describe('the seed flows in a real browser', () => {
  it(
    '(a) PCAクラウド給与 → 従業員リスト with a data area, a 差分あり and a 新規登録 employee',
    async () => {
      const pca = vendor('pca-cloud');
      const area = pca.fake.dataAreas()[1] ?? '';
      await page.goto(`${demo.url}/connectors`);
      await shot(page, 'a1-connectors');
      await startWizard('pca-cloud', 'import', area);
      expect(await text(page.locator('[data-testid="data-area"]'))).not.toBe('');
      const summary = page.locator('[data-testid="plan-summary"]');
      for (const label of ['差分なし', '差分あり', '新規登録']) expect(await text(summary)).toContain(label);
      await shot(page, 'a2-picker');

      const changed = await pickFirst('changed');
      const created = await pickFirst('new');
      // One ticked on the previous filter (carried), one on this page: the bar counts both.
      expect(await text(page.locator('[data-testid="selected-count"]'))).toBe('選択中: 2 名');
      await Promise.all([page.waitForURL(/\/confirm\?/), page.click('button:has-text("確認へ進む")')]);
      const dialog = page.locator('[data-testid="confirm-dialog"]');
      expect(await text(dialog.locator('[data-testid="confirm-total"]'))).toBe('2 名');
      await dialog.locator(`[data-employee-code="${changed}"] .before`).first().waitFor();
      expect(await dialog.locator(`[data-employee-code="${created}"] .before`).count()).toBe(0);
      const changedValues = await confirmedValues(changed);
      const createdValues = await confirmedValues(created);
      expect(changedValues.size).toBeGreaterThan(0);
      expect(createdValues.get('lastName')).toBeTruthy();
      await shot(page, 'a3-confirm');
      await docsShot(page, 'confirm-dialog');

      await Promise.all([
        page.waitForURL(/\/connections\/[\w-]+$/),
        dialog.locator('button:has-text("同期")').click(),
      ]);
      const row = page.locator('[data-testid="run-history"] tbody tr[data-run-id]').first();
      await row.locator('[data-run-status="succeeded"]').waitFor({ timeout: 60_000 });
      expect(await text(row.locator('[data-count="created"]'))).toBe('1');
      expect(await text(row.locator('[data-count="updated"]'))).toBe('1');
      await shot(page, 'a4-dashboard');

      for (const [code, values] of [
        [changed, changedValues],
        [created, createdValues],
      ] as const) {
        await page.goto(`${demo.url}/employees?search=${code}`);
        await Promise.all([page.waitForURL(/\/employees\/\w+$/), page.click(`a:has-text("${code}")`)]);
        for (const [field, value] of values) {
          expect(
            (await text(page.locator(`[data-testid="employee-detail"] dd[data-field="${field}"]`))).trim(),
          ).toBe(value);
        }
      }
      await shot(page, 'a5-employee');
    },
    STEP_TIMEOUT,
  );

  it(
    '(b) 従業員リスト → ジョブカン: the fake now holds the employee',
    async () => {
      const jobcan = vendor('jobcan');
      await startWizard('jobcan', 'export');
      await shot(page, 'b1-picker');
      const changed = await pickFirst('changed');
      const created = await pickFirst('new');
      const { runId, shown } = await confirmAndSync('b2', 'succeeded', [changed, created]);
      expect(runId).not.toBe('');
      const records = new Map(
        jobcan.fake.records('default').map((employee) => [employee.employeeCode, employee]),
      );
      // Jobcan now holds what the dialog promised: the HR master's value of every field listed, as
      // the diff compares them (a 雇用形態 read back by name is the one written with its code).
      const hr = async (code: string) => (await demo.hub.employees.get(code))?.employee;
      expect(shown.get(created)?.get('lastName')).toBeTruthy();
      for (const code of [changed, created]) {
        const values = shown.get(code);
        const master = await hr(code);
        const held = records.get(code);
        expect(values?.size).toBeGreaterThan(0);
        expect(held).toBeDefined();
        for (const [field, value] of values ?? []) {
          const key = field as FieldKey;
          expect(formatFieldValue(key, master?.[key]), `${code} ${field} shown`).toBe(value);
          expect(fieldValuesEqual(key, held?.[key], master?.[key]), `${code} ${field} in Jobcan`).toBe(true);
        }
      }
      await page.goto(`${demo.url}/runs/${runId}`);
      await page
        .locator(`[data-testid="run-items"] tr[data-employee-code="${created}"] [data-outcome="created"]`)
        .waitFor();
      await shot(page, 'b3-run');
    },
    STEP_TIMEOUT,
  );

  it(
    '(c) a vendor failure for one employee: 一部失敗, named in the notification, retried once fixed',
    async () => {
      const jobcan = vendor('jobcan');
      await startWizard('jobcan', 'export');
      const failing = await pickFirst('new');
      const healthy = await pickFirst('changed');
      jobcan.fake.faults.inject({
        kind: 'server_error',
        scope: 'write',
        times: Number.POSITIVE_INFINITY,
        employeeCodes: [failing],
      });
      const { runId } = await confirmAndSync('c1', 'partially_failed');

      await page.goto(`${demo.url}/runs/${runId}`);
      const failedRow = page.locator(`[data-testid="run-items"] tr[data-employee-code="${failing}"]`);
      await failedRow.locator('[data-outcome="failed"]').waitFor();
      const message = await text(failedRow.locator('[data-testid="failure-message"]'));
      expect(message).not.toBe('');
      await page
        .locator(`[data-testid="run-items"] tr[data-employee-code="${healthy}"] [data-outcome="updated"]`)
        .waitFor();
      await shot(page, 'c2-run');

      await page.locator('[data-testid="unread-count"]').waitFor();
      await page.click('a:has-text("通知")');
      const notification = page.locator('article.notification').first();
      expect(await text(notification)).toContain('一部失敗');
      const failure = notification.locator('[data-testid="notification-failures"] tr', { hasText: failing });
      expect(await text(failure)).toContain(message);
      await shot(page, 'c3-notification');

      jobcan.fake.faults.clear();
      await page.goto(`${demo.url}/runs/${runId}`);
      await Promise.all([
        page.waitForURL((url) => !url.pathname.endsWith(runId)),
        page.click('button:has-text("失敗した従業員を再同期")'),
      ]);
      await page.locator('.run-progress [data-run-status="succeeded"]').waitFor({ timeout: 60_000 });
      await page
        .locator(`[data-testid="run-items"] tr[data-employee-code="${failing}"] [data-outcome="created"]`)
        .waitFor();
      await shot(page, 'c4-retried');
      expect(jobcan.fake.records('default').some((employee) => employee.employeeCode === failing)).toBe(true);

      // The README's picture of a dashboard: three runs — succeeded, 一部失敗, and its retry.
      await page.goto(`${demo.url}/connections/${await connectionId('jobcan')}`);
      await docsShot(page, 'dashboard-history');
    },
    STEP_TIMEOUT,
  );

  it(
    '(d) a member cannot reach the wizard',
    async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const member = await context.newPage();
      await signInAs(member, demo.url, DEMO_USERS.member.email, DEMO_USERS.member.password);
      const id = await connectionId('pca-cloud');
      await member.goto(`${demo.url}/connections/${id}`);
      expect(await member.locator('[data-direction="import"] a').count()).toBe(0);
      expect(await text(member.locator('[data-direction="import"]'))).toContain('管理者のみ');
      await shot(member, 'd1-member-dashboard');
      const response = await member.goto(`${demo.url}/connections/${id}/sync/import`);
      expect(response?.status()).toBe(403);
      expect(await text(member.locator('h1'))).toBe('権限がありません');
      await shot(member, 'd2-member-forbidden');
      await context.close();
    },
    STEP_TIMEOUT,
  );
});
