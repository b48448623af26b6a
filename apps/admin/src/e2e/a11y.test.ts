import { mkdirSync, writeFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { type Demo, startDemo } from '../demo/demo.ts';
import { DEMO_USERS } from '../demo/seed.ts';
import { setupPage } from '../views/setup.ts';
import { type AxeFinding, axeFindings } from './axe.ts';
import { launchChromium, SCREENSHOTS, signInAs } from './browser.ts';
import { closeDemoSession, connectionIdOf, vendorOf } from './demo-session.ts';
import { pageRoutes, routeOf } from './routes.ts';

/**
 * axe-core (WCAG 2.0–2.2, A and AA) on every page of the app in every state a user meets: empty,
 * error, dialog open, run in progress, run finished, admin and member. One app, one browser.
 */

const STEP_TIMEOUT = 180_000;

let demo: Demo;
let browser: Browser;
let adminContext: BrowserContext;
let memberContext: BrowserContext;
let admin: Page;
let member: Page;
let routes: string[];
let adminId: string;

/** State name → what axe found; route → the states that checked it. */
const findings = new Map<string, AxeFinding[]>();
const checkedRoutes = new Map<string, string[]>();

beforeAll(async () => {
  [demo, browser] = await Promise.all([startDemo({ inMemory: true, port: 0 }), launchChromium()]);
  routes = pageRoutes(
    createApp({ hub: demo.hub, connectors: demo.vendors.map((vendor) => vendor.connector) }),
  );
  adminId = (await demo.hub.users.list()).find((user) => user.role === 'admin')?.id ?? '';
  const options = { viewport: { width: 1280, height: 800 }, locale: 'ja-JP' };
  [adminContext, memberContext] = await Promise.all([
    browser.newContext(options),
    browser.newContext(options),
  ]);
  [admin, member] = await Promise.all([adminContext.newPage(), memberContext.newPage()]);
  await signInAs(admin, demo.url, DEMO_USERS.admin.email, DEMO_USERS.admin.password);
  await signInAs(member, demo.url, DEMO_USERS.member.email, DEMO_USERS.member.password);
}, STEP_TIMEOUT);

afterAll(async () => {
  try {
    const report = Object.fromEntries([...findings].map(([state, list]) => [state, list.length]));
    // Its own folder: on a fresh clone no other browser test may have made it yet.
    mkdirSync(SCREENSHOTS, { recursive: true });
    writeFileSync(`${SCREENSHOTS}a11y-axe.json`, `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await closeDemoSession({ demo, browser });
  }
});

/** How far the page itself scrolls sideways at 320 CSS px wide (400 % zoom of 1280 px). */
async function overflowAt320(page: Page): Promise<number> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (size) await page.setViewportSize(size);
  return overflow;
}

/**
 * axe on the page as it is, and reflow at 320 px (tables may scroll in their own box, the page
 * may not); records the state and the route it covers.
 */
async function check(page: Page, state: string): Promise<void> {
  const route = routeOf(routes, new URL(page.url()).pathname);
  const found = await axeFindings(page);
  findings.set(state, found);
  if (route) checkedRoutes.set(route, [...(checkedRoutes.get(route) ?? []), state]);
  expect.soft(found, `${state} (${page.url()})`).toEqual([]);
  expect.soft(await overflowAt320(page), `${state}: sideways scrolling at 320 px`).toBe(0);
}

async function visit(page: Page, path: string, status = 200): Promise<void> {
  const response = await page.goto(`${demo.url}${path}`);
  expect(response?.status(), path).toBe(status);
}

const connectionId = (connectorId: string): Promise<string> => connectionIdOf(demo, connectorId);

const vendor = (id: string) => vendorOf(demo, id);

/** A preview of Jobcan's export and the first 社員番号 of a status in it. */
async function jobcanPreview(status: 'new' | 'changed') {
  const preview = await demo.hub.previews.create(adminId, {
    connectionId: await connectionId('jobcan'),
    direction: 'export',
  });
  const entries = await demo.hub.previews.entries(preview.id, { status, pageSize: 1 });
  const code = entries.items[0]?.employeeCode;
  if (!code) throw new Error(`no ${status} entry`);
  return { preview, code };
}

/** Starts a Jobcan export of one employee; the caller sets faults first. */
async function startRun(status: 'new' | 'changed', prepare: (code: string) => void = () => {}) {
  const { preview, code } = await jobcanPreview(status);
  prepare(code);
  const run = await demo.hub.runs.start(adminId, { previewId: preview.id, selection: { codes: [code] } });
  return { run, code };
}

async function runEnded(runId: string): Promise<void> {
  for (;;) {
    const run = await demo.hub.runs.get(runId);
    if (run && !['queued', 'running'].includes(run.status)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('axe finds nothing on any page, in any state', () => {
  it(
    'sign-in: empty, with errors, and the CSRF failure page',
    async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await visit(page, '/login');
      await check(page, 'login');
      await Promise.all([page.waitForLoadState(), page.click('button[type="submit"]')]);
      await page.locator('[data-error-for]').first().waitFor();
      await check(page, 'login-error');
      await visit(page, '/login');
      await page.evaluate(() => {
        const token = document.querySelector<HTMLInputElement>('input[name="_csrf"]');
        if (token) token.value = 'forged';
      });
      await page.fill('input[name="email"]', DEMO_USERS.admin.email);
      await page.fill('input[name="password"]', DEMO_USERS.admin.password);
      await Promise.all([page.waitForURL(/\/login$/), page.click('button[type="submit"]')]);
      await page.locator('h1', { hasText: '送信を受け付けられませんでした' }).waitFor();
      await check(page, 'csrf-failed');
      await context.close();
    },
    STEP_TIMEOUT,
  );

  it(
    'connections, connectors and their settings: admin, member, errors',
    async () => {
      const pca = await connectionId('pca-cloud');
      await visit(admin, '/connections');
      await check(admin, 'connections');
      await visit(member, '/connections');
      await check(member, 'connections-member');
      await visit(admin, '/connectors');
      await admin.locator('details summary').first().click();
      await check(admin, 'connectors');
      await visit(member, '/connectors');
      await check(member, 'connectors-member');
      await visit(admin, '/connectors/jobcan/install');
      await check(admin, 'connector-install');
      await visit(admin, `/connections/${pca}/settings`);
      await check(admin, 'connection-settings');
      await admin.fill('#f-displayName', '');
      await Promise.all([admin.waitForLoadState(), admin.click('button[value="save"]')]);
      await admin.locator('[data-error-for]').first().waitFor();
      await check(admin, 'connection-settings-error');
      await visit(admin, `/connections/${pca}/policy`);
      await check(admin, 'connection-policy');
      await visit(admin, `/connections/${pca}/schedules`);
      await check(admin, 'connection-schedules');
      await visit(member, `/connections/${pca}/schedules`, 403);
      await visit(admin, `/connections/${pca}`);
      await check(admin, 'dashboard-empty');
      await visit(member, `/connections/${pca}`);
      await check(member, 'dashboard-member');
    },
    STEP_TIMEOUT,
  );

  it(
    'employees: list, empty search, detail, edit with errors, CSV import with errors',
    async () => {
      await visit(admin, '/employees');
      await check(admin, 'employees');
      await visit(member, '/employees');
      await check(member, 'employees-member');
      await visit(admin, `/employees?search=${encodeURIComponent('該当者なし')}`);
      await check(admin, 'employees-empty');
      const code = (await demo.hub.employees.list({ pageSize: 1 })).items[0]?.employee.employeeCode ?? '';
      await visit(admin, `/employees/${code}`);
      await check(admin, 'employee-detail');
      await visit(member, `/employees/${code}`);
      await check(member, 'employee-detail-member');
      await visit(admin, `/employees/${code}/edit`);
      await check(admin, 'employee-edit');
      await admin.fill('#f-lastName', '');
      await admin.fill('#f-email', 'not-an-address');
      await Promise.all([admin.waitForLoadState(), admin.click('button[type="submit"].primary')]);
      await admin.locator('[data-error-for]').first().waitFor();
      await check(admin, 'employee-edit-error');
      await visit(admin, '/employees/import');
      await check(admin, 'csv-import');
      await Promise.all([admin.waitForLoadState(), admin.click('button[type="submit"].primary')]);
      await admin.locator('[data-error-for]').first().waitFor();
      await check(admin, 'csv-import-error');
      const csv = await (await admin.request.get(`${demo.url}/employees/export.csv?encoding=utf-8`)).text();
      const header = csv.split(/\r?\n/)[0] ?? '';
      await admin.setInputFiles('#f-file', {
        name: 'broken.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(`${header}\r\nX-1${','.repeat(header.split(',').length - 1)}\r\n`),
      });
      await Promise.all([admin.waitForLoadState(), admin.click('button[type="submit"].primary')]);
      await admin.locator('[data-testid="import-result"]').waitFor();
      await check(admin, 'csv-import-result-errors');
    },
    STEP_TIMEOUT,
  );

  it(
    'the wizard: data area, start, picker (filtered, empty, error, select-all), 確認 dialog open',
    async () => {
      const pca = await connectionId('pca-cloud');
      const jobcan = await connectionId('jobcan');
      await visit(admin, `/connections/${pca}/sync/import`);
      await check(admin, 'wizard-area');
      await visit(admin, `/connections/${jobcan}/sync/export`);
      await check(admin, 'wizard-start');
      await Promise.all([admin.waitForURL(/\/previews\//), admin.click('button[type="submit"].primary')]);
      await check(admin, 'picker');
      const base = new URL(admin.url()).pathname;
      await visit(admin, `${base}?status=changed`);
      await check(admin, 'picker-filtered');
      await visit(admin, `${base}?search=${encodeURIComponent('該当者なし')}`);
      await check(admin, 'picker-empty');
      await visit(admin, `${base}?error=empty`);
      await check(admin, 'picker-error');
      await visit(admin, `${base}?all=1&status=new`);
      await check(admin, 'picker-select-all');
      await visit(admin, `${base}?status=new`);
      await admin.locator('tbody input[name="code"]').first().check();
      await Promise.all([admin.waitForURL(/\/confirm\?/), admin.click('button:has-text("確認へ進む")')]);
      await admin.locator('[data-testid="confirm-dialog"]').waitFor();
      await check(admin, 'confirm-dialog');
      await visit(member, `/connections/${pca}/sync/import`, 403);
      await check(member, 'forbidden-member');
    },
    STEP_TIMEOUT,
  );

  it(
    'runs: in progress (and its failed end announced), succeeded, failed; the dashboard and the notifications',
    async () => {
      const jobcan = vendor('jobcan');
      // A slow write keeps the run in progress long enough to check its pages.
      const slow = await startRun('changed', (code) =>
        jobcan.fake.faults.inject({ kind: 'delay', scope: 'write', delayMs: 15_000, employeeCodes: [code] }),
      );
      await visit(admin, `/runs/${slow.run.id}`);
      await admin.locator('[data-run-progress]').first().waitFor();
      await check(admin, 'run-in-progress');
      expect(await admin.locator('.run-progress [role="status"] [data-count="processed"]').count()).toBe(1);
      // A failed end, as the progress stream would send it: said assertively after the reload.
      await admin.route(
        '**/runs/*/events',
        (route) =>
          route.fulfill({
            headers: { 'content-type': 'text/event-stream' },
            body: `event: end\ndata: ${JSON.stringify({ status: 'failed', statusLabel: '失敗', statusTone: 'danger', statusTitle: '同期に失敗しました', alert: true, total: 1, processed: 1 })}\n\n`,
          }),
        { times: 1 },
      );
      await admin.reload();
      await expect
        .poll(() => admin.locator('[data-alert-region]').textContent(), { timeout: 10_000 })
        .toBe('同期に失敗しました');
      await visit(admin, `/connections/${await connectionId('jobcan')}`);
      await admin.locator('tr[data-run-progress]').first().waitFor();
      await check(admin, 'dashboard-run-in-progress');
      await runEnded(slow.run.id);
      jobcan.fake.faults.clear();
      await visit(admin, `/runs/${slow.run.id}`);
      await check(admin, 'run-succeeded');
      await visit(member, `/runs/${slow.run.id}`);
      await check(member, 'run-member');

      const failed = await startRun('new', (code) =>
        jobcan.fake.faults.inject({
          kind: 'server_error',
          scope: 'write',
          times: Number.POSITIVE_INFINITY,
          employeeCodes: [code],
        }),
      );
      await runEnded(failed.run.id);
      jobcan.fake.faults.clear();
      await visit(admin, `/runs/${failed.run.id}`);
      await check(admin, 'run-failed');
      await visit(admin, `/runs/${failed.run.id}?outcome=created`);
      await check(admin, 'run-items-empty');
      await visit(admin, `/connections/${await connectionId('jobcan')}`);
      await check(admin, 'dashboard-runs');
      await visit(admin, '/notifications');
      await check(admin, 'notifications');
      await visit(member, '/notifications');
      await check(member, 'notifications-member');
    },
    STEP_TIMEOUT,
  );

  it(
    'ユーザー管理: the list, adding with errors, a password reset with errors; the set-up page',
    async () => {
      await visit(admin, '/users');
      await check(admin, 'users');
      await Promise.all([admin.waitForLoadState(), admin.click('form[action="/users"] button.primary')]);
      await admin.locator('[data-error-for]').first().waitFor();
      await check(admin, 'users-error');
      const memberId = (await demo.hub.users.list()).find((user) => user.role === 'member')?.id ?? '';
      await visit(admin, `/users/${memberId}/password`);
      await check(admin, 'user-password');
      await Promise.all([admin.waitForLoadState(), admin.click('button.primary')]);
      await admin.locator('[data-error-for]').first().waitFor();
      await check(admin, 'user-password-error');
      await visit(member, '/users', 403);
      await check(member, 'users-member-forbidden');
      // The demo has users, so its set-up link is spent: the page says so. The form itself (shown
      // only on a new installation) is rendered by its view on the app's origin, with errors.
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await visit(page, '/setup?token=spent', 404);
      await check(page, 'setup-invalid');
      const errors = { name: '名前を入力してください。', email: 'メールアドレスの形式が正しくありません。' };
      await page.setContent(String(await setupPage({ csrfToken: 't', token: 't', errors })), {
        waitUntil: 'load',
      });
      await check(page, 'setup-form-error');
      await context.close();
    },
    STEP_TIMEOUT,
  );

  it(
    'APIトークン and Webhook: empty, errors, a secret shown once; members are refused',
    async () => {
      await visit(admin, '/api-tokens');
      await check(admin, 'api-tokens');
      await admin.fill('#f-name', '');
      await Promise.all([admin.waitForLoadState(), admin.click('form[action="/api-tokens"] button.primary')]);
      await admin.locator('[data-error-for]').first().waitFor();
      await check(admin, 'api-tokens-error');
      await admin.fill('#f-name', '夜間バッチ');
      await Promise.all([admin.waitForLoadState(), admin.click('form[action="/api-tokens"] button.primary')]);
      await admin.locator('[data-testid="secret"]').waitFor();
      await check(admin, 'api-tokens-issued');
      await visit(admin, '/outgoing-webhooks');
      await check(admin, 'webhooks');
      await admin.fill('#f-url', 'http://insecure.example.jp/');
      await Promise.all([
        admin.waitForLoadState(),
        admin.click('form[action="/outgoing-webhooks"] button.primary'),
      ]);
      await admin.locator('[data-error-for]').first().waitFor();
      await check(admin, 'webhooks-error');
      await admin.fill('#f-url', 'https://hooks.example.jp/renkei');
      await Promise.all([
        admin.waitForLoadState(),
        admin.click('form[action="/outgoing-webhooks"] button.primary'),
      ]);
      await admin.locator('[data-testid="secret"]').waitFor();
      await check(admin, 'webhooks-created');
      await visit(member, '/api-tokens', 403);
      await check(member, 'api-tokens-member-forbidden');
    },
    STEP_TIMEOUT,
  );

  it('not found, for a signed-in user', async () => {
    await visit(admin, '/no-such-page', 404);
    await check(admin, 'not-found');
    await visit(admin, '/employees/NO-SUCH-CODE', 404);
    await check(admin, 'employee-not-found');
  });
});

describe('every page has an axe check', () => {
  it('lists the app routes and finds each page among the routes checked above', () => {
    expect(routes.length).toBeGreaterThan(10);
    const unchecked = routes.filter((route) => !checkedRoutes.has(route));
    expect(unchecked, 'pages without an axe check: add one to a11y.test.ts').toEqual([]);
  });
});
