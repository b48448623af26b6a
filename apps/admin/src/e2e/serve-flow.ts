// The E2E of `renkei serve` from zero, in a real browser: the vendor fakes as their own process
// (`pnpm fakes`), serve as a child process pointed at them, nothing in-process. Run on PGlite (serve
// works the queue) and on PostgreSQL (serve with RENKEI_WORKER=0 and a separate `renkei worker`).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerDatabase } from '@renkei/hub/testing/database';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOTS, screenshots, signInAs } from './browser.ts';
import {
  type Child,
  type FakesInfo,
  fakeRequests,
  freshDatabase,
  killAll,
  newSecretKey,
  startFakes,
  startServe,
  startWorker,
} from './processes.ts';

const STEP_TIMEOUT = 180_000;
const ADMIN = { name: '設定 一郎', email: 'ichiro@example.jp', password: 'first admin of renkei' };
const MEMBER = { name: '閲覧 次郎', email: 'jiro@example.jp', password: 'a member who only looks' };

const text = async (locator: Locator): Promise<string> => ((await locator.textContent()) ?? '').trim();

export function describeServeFlow(backend: 'pglite' | 'postgres'): void {
  const shot = screenshots(`${SCREENSHOTS}serve-${backend}/`);
  let folder = '';
  let fakes: Child & { info: FakesInfo; url: string };
  let serve: Child & { url: string };
  let worker: Child | undefined;
  let database: ServerDatabase | undefined;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), `renkei-serve-${backend}-`));
    fakes = await startFakes(folder);
    if (backend === 'postgres') database = await freshDatabase();
    const databaseUrl = database?.url ?? '';
    const env = {
      RENKEI_SECRET_KEY: newSecretKey(),
      RENKEI_VENDOR_BASE_URLS: fakes.info.baseUrls,
      RENKEI_DATA_DIR: join(folder, 'data'),
      DATABASE_URL: backend === 'postgres' ? databaseUrl : '',
      RENKEI_WORKER: backend === 'postgres' ? '0' : '1',
    };
    // On PostgreSQL, serve and the worker start at once on the new database: both migrate, under
    // the advisory lock, and neither fails.
    [serve, browser, worker] = await Promise.all([
      startServe(env),
      launchChromium(),
      backend === 'postgres' ? startWorker(env) : undefined,
    ]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    page = await context.newPage();
  }, STEP_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    // A clean stop drains and exits 0.
    const codes = await Promise.all([serve?.stop(), worker?.stop(), fakes?.stop()]);
    killAll();
    await database?.drop();
    rmSync(folder, { recursive: true, force: true });
    expect(codes.slice(0, 2).filter((code) => code !== undefined)).toEqual(
      backend === 'postgres' ? [0, 0] : [0],
    );
  }, STEP_TIMEOUT);

  const credentialsOf = (id: string) => {
    const vendor = fakes.info.vendors.find((candidate) => candidate.id === id);
    if (!vendor) throw new Error(`the fakes serve no ${id}`);
    return vendor.credentials;
  };

  async function fillCredentials(id: string): Promise<void> {
    for (const [key, value] of Object.entries(credentialsOf(id))) {
      const input = page.locator(`#f-${key}`);
      if ((await input.count()) === 0) continue;
      if ((await input.evaluate((element) => element.tagName)) === 'SELECT')
        await input.selectOption(String(value));
      else await input.fill(String(value));
    }
  }

  async function connectionUrl(name: string): Promise<string> {
    await page.goto(`${serve.url}/connections`);
    const link = page.locator(`a:has-text("${name}")`).first();
    return new URL((await link.getAttribute('href')) ?? '', serve.url).href;
  }

  /** From the picker: 確認 → [同期] → the dashboard, until 連携履歴's newest run succeeded. */
  async function confirmAndSync(): Promise<string> {
    await Promise.all([page.waitForURL(/\/confirm\?/), page.click('button:has-text("確認へ進む")')]);
    await page.waitForSelector('[data-testid="confirm-dialog"]');
    await Promise.all([
      page.waitForURL(/\/connections\/[\w-]+$/),
      page.click('[data-testid="confirm-dialog"] button:has-text("同期")'),
    ]);
    const row = page.locator('[data-testid="run-history"] tbody tr[data-run-id]').first();
    const runId = (await row.getAttribute('data-run-id')) ?? '';
    // The dashboard shows progress live; reload until the run ended (the worker may be another process).
    for (let attempt = 0; attempt < 120; attempt++) {
      if ((await page.locator(`tr[data-run-id="${runId}"] [data-run-status="succeeded"]`).count()) > 0)
        return runId;
      await page.waitForTimeout(1_000);
      await page.reload();
    }
    throw new Error(
      `run ${runId} did not succeed: ${await text(page.locator(`tr[data-run-id="${runId}"]`))}`,
    );
  }

  describe(`renkei serve from zero (${backend})`, () => {
    it(
      'the one-time set-up link creates the first admin, who adds a member',
      async () => {
        const PRINTED = '初期設定 / First admin: ';
        const printed = await serve.waitForLog(
          (line) => typeof line.text === 'string' && line.text.startsWith(PRINTED),
        );
        const setupUrl = String(printed.text).slice(PRINTED.length).trim();
        // The token is on the terminal only, never in a JSON log line a collector would keep.
        const token = new URL(setupUrl).searchParams.get('token') ?? '';
        expect(token).not.toBe('');
        expect(
          serve.logs
            .filter((line) => !('text' in line))
            .map((line) => JSON.stringify(line))
            .join('\n'),
        ).not.toContain(token);
        await page.goto(setupUrl);
        expect(await page.title()).toBe('初期設定 | Renkei');
        await page.fill('#f-name', ADMIN.name);
        await page.fill('#f-email', ADMIN.email);
        await page.fill('#f-password', ADMIN.password);
        await Promise.all([
          page.waitForURL(`${serve.url}/users`),
          page.click('button:has-text("管理者を作成する")'),
        ]);
        await shot(page, '1-users');

        await page.fill('#f-name', MEMBER.name);
        await page.fill('#f-email', MEMBER.email);
        await page.selectOption('#f-role', 'member');
        await page.fill('#f-password', MEMBER.password);
        await Promise.all([page.waitForURL(`${serve.url}/users`), page.click('button:has-text("追加する")')]);
        const row = page.locator(`tr[data-user-email="${MEMBER.email}"]`);
        expect(await row.locator('select').inputValue()).toBe('member');
        expect(await page.locator('[data-testid="user-table"] tbody tr').count()).toBe(2);

        // The link was for one use only.
        const again = await page.context().newPage();
        const response = await again.goto(setupUrl);
        expect(response?.status()).toBe(404);
        await again.close();
      },
      STEP_TIMEOUT,
    );

    it(
      'installs ジョブカン and PCAクラウド給与 with the fakes’ credentials, 接続テスト first',
      async () => {
        for (const id of ['jobcan', 'pca-cloud']) {
          await page.goto(`${serve.url}/connectors/${id}/install`);
          await fillCredentials(id);
          await page.click('button[name="intent"][value="test"]');
          expect(await text(page.locator('[data-testid="test-result"]'))).toBe('接続テストに成功しました。');
          await shot(page, `2-${id}-tested`);
          // Secrets are never rendered back: enter them again to save.
          await fillCredentials(id);
          await Promise.all([
            page.waitForURL(/\/connections\/[\w-]+$/),
            page.click('button[name="intent"][value="save"]'),
          ]);
        }
      },
      STEP_TIMEOUT,
    );

    it(
      'an import and an export through the wizard, both in 連携履歴, written once at the vendor',
      async () => {
        // ジョブカン → 従業員リスト: everyone (the HR master is empty).
        const jobcanUrl = await connectionUrl('ジョブカン');
        await page.goto(jobcanUrl);
        await page.click('[data-direction="import"] a');
        await Promise.all([page.waitForURL(/\/previews\//), page.click('button:has-text("差分を確認する")')]);
        await Promise.all([
          page.waitForURL(/all=1|\/previews\//),
          page.click('[data-testid="select-all-filter"]'),
        ]);
        const imported = await confirmAndSync();
        await shot(page, '3-imported');

        // 従業員リスト → PCAクラウド給与: the first 差分あり.
        const pcaUrl = await connectionUrl('PCAクラウド給与');
        await page.goto(pcaUrl);
        await page.click('[data-direction="export"] a');
        const area = page.locator('input[name="dataArea"]').first();
        const areaValue = (await area.count()) > 0 ? ((await area.getAttribute('value')) ?? '') : 'default';
        if (areaValue !== 'default') await area.check();
        await Promise.all([page.waitForURL(/\/previews\//), page.click('button:has-text("差分を確認する")')]);
        // Choosing a filter does not submit (WCAG 3.2.2): 絞り込む does.
        await page.selectOption('#f-status', 'changed');
        await Promise.all([
          page.waitForURL(/status=changed/),
          page.click('.toolbar button:has-text("絞り込む")'),
        ]);
        const pick = page.locator('[data-testid="picker-table"] tbody tr[data-employee-code]').first();
        const code = (await pick.getAttribute('data-employee-code')) ?? '';
        await pick.locator('input[name="code"]').check();
        const exported = await confirmAndSync();
        await shot(page, '4-exported');
        expect(await page.locator(`[data-testid="run-history"] tr[data-run-id="${exported}"]`).count()).toBe(
          1,
        );
        await page.goto(jobcanUrl);
        expect(await page.locator(`[data-testid="run-history"] tr[data-run-id="${imported}"]`).count()).toBe(
          1,
        );

        // The fake server holds that employee once, and took writes for it.
        const writes = (await fakeRequests(fakes.url, 'pca-cloud')).filter(
          (request) => request.requestClass === 'write',
        );
        expect(writes.length).toBeGreaterThan(0);
        const records = (await (
          await fetch(`${fakes.url}/__fakes/pca-cloud/records/${encodeURIComponent(areaValue)}`)
        ).json()) as {
          employeeCode: string;
        }[];
        expect(records.filter((record) => record.employeeCode === code)).toHaveLength(1);
      },
      STEP_TIMEOUT,
    );

    it(
      'the member signs in and cannot start a sync',
      async () => {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
        const member = await context.newPage();
        await signInAs(member, serve.url, MEMBER.email, MEMBER.password);
        const url = await (async () => {
          await member.goto(`${serve.url}/connections`);
          return new URL(
            (await member.locator('a:has-text("ジョブカン")').first().getAttribute('href')) ?? '',
            serve.url,
          ).href;
        })();
        await member.goto(url);
        expect(await member.locator('[data-direction="import"] a').count()).toBe(0);
        const response = await member.goto(`${url}/sync/import`);
        expect(response?.status()).toBe(403);
        // Nor may a member manage users.
        expect((await member.goto(`${serve.url}/users`))?.status()).toBe(403);
        await context.close();
      },
      STEP_TIMEOUT,
    );

    it('answers /healthz and /readyz', async () => {
      expect((await fetch(`${serve.url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${serve.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        ready: true,
        database: true,
        migrations: true,
        worker: backend === 'postgres' ? 'off' : 'running',
      });
      // Every request was logged as JSON with its request id.
      const logged = serve.logs.filter((line) => line.message === 'request');
      expect(logged.length).toBeGreaterThan(10);
      expect(logged.every((line) => typeof line.requestId === 'string' && line.requestId !== '')).toBe(true);
      expect(JSON.stringify(logged)).not.toContain('token=');
    });
  });
}
