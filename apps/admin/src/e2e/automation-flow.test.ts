import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Demo, startDemo } from '../demo/demo.ts';
import { DEMO_USERS } from '../demo/seed.ts';
import { axeFindings } from './axe.ts';
import { launchChromium, signInAs } from './browser.ts';

const STEP_TIMEOUT = 120_000;
let demo: Demo;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [demo, browser] = await Promise.all([startDemo({ inMemory: true, port: 0 }), launchChromium()]);
  page = await (
    await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' })
  ).newPage();
  await signInAs(page, demo.url, DEMO_USERS.admin.email, DEMO_USERS.admin.password);
}, STEP_TIMEOUT);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

describe('毎日 6:00 に HR → ジョブカン、新規登録のみ, set in a real browser', () => {
  it(
    'saves the policy and the schedule, fires it through the queue, and shows the 自動 run in 連携履歴',
    async () => {
      const connection = (await demo.hub.connections.list()).find((c) => c.connectorId === 'jobcan');
      if (!connection) throw new Error('no Jobcan connection');
      const before = await demo.hub.runs.history(connection.id);

      // 同期ルール: HR → ジョブカン writes new employees only.
      await page.goto(`${demo.url}/connections/${connection.id}`);
      await Promise.all([page.waitForURL(/\/policy$/), page.click('a:has-text("同期ルール")')]);
      expect(await axeFindings(page)).toEqual([]);
      await page.check('[data-testid="policy-export"] input[name="export.records"][value="new_only"]');
      await page.locator('[data-testid="policy-export"] select').first().selectOption('fill-if-empty');
      await Promise.all([
        page.waitForURL(new RegExp(`/connections/${connection.id}$`)),
        page.click('button:has-text("同期ルールを保存")'),
      ]);
      expect(await page.textContent('.flash')).toContain('同期ルールを保存しました');

      // スケジュール: 毎日 6:00 (Asia/Tokyo); a malformed custom cron is refused in Japanese first.
      await page.click('a:has-text("スケジュール")');
      await page.waitForURL(/\/schedules$/);
      const form = page.locator('[data-testid="schedule-export"] form').first();
      await form.locator('input[name="preset"][value="custom"]').check();
      await form.locator('input[name="cron"]').fill('0 6 * *');
      await Promise.all([
        page.waitForLoadState(),
        form.locator('button:has-text("スケジュールを保存")').click(),
      ]);
      expect(await page.textContent('[data-testid="schedule-export"] [role="alert"]')).toContain(
        'cron式の書式',
      );
      expect(await axeFindings(page)).toEqual([]);
      const again = page.locator('[data-testid="schedule-export"] form').first();
      await again.locator('input[name="preset"][value="daily"]').check();
      await again.locator('input[name="hour"]').fill('6');
      await again.locator('input[name="minute"]').fill('0');
      // The demo's ジョブカン holds few of HR's employees yet: allow them all for this first run.
      await again.locator('input[name="maxChangePercent"]').fill('100');
      await Promise.all([
        page.waitForURL(/\/schedules$/),
        again.locator('button:has-text("スケジュールを保存")').click(),
      ]);
      const state = await page.textContent('[data-testid="schedule-export"] [data-testid="schedule-state"]');
      expect(state).toContain('0 6 * * *');
      expect(state).toMatch(/6:00/);
      expect(await axeFindings(page)).toEqual([]);

      // The schedule's occurrence, sent through the real queue now (今すぐ実行), not waited for.
      await Promise.all([
        page.waitForURL(new RegExp(`/connections/${connection.id}$`)),
        page.locator('[data-testid="schedule-export"] button:has-text("今すぐ実行")').click(),
      ]);
      let trigger = '';
      for (let i = 0; i < 120 && !trigger.includes('自動'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        await page.reload();
        trigger =
          (await page
            .locator('[data-testid="run-trigger"]')
            .first()
            .textContent()
            .catch(() => '')) ?? '';
      }
      expect(trigger).toBe('自動');
      const after = await demo.hub.runs.history(connection.id);
      expect(after.total).toBe(before.total + 1);
      const [run] = after.items;
      expect(run).toMatchObject({
        trigger: 'schedule',
        direction: 'export',
        policy: { records: 'new_only' },
      });
      expect(await page.textContent('[data-testid="automatic-syncs"]')).toContain('開始');
      expect(await axeFindings(page)).toEqual([]);

      // The run's page says it was automatic and which rule it followed.
      await page.goto(`${demo.url}/runs/${run?.id}`);
      expect(await page.textContent('[data-testid="run-trigger"]')).toContain('自動');
      expect(await page.textContent('[data-testid="policy-summary"]')).toContain('新規登録のみ');
    },
    STEP_TIMEOUT * 3,
  );
});
