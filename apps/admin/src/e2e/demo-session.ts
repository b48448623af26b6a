// Test support shared by the E2E files that walk the in-memory demo in Chromium.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type Demo, startDemo } from '../demo/demo.ts';
import { DEMO_USERS } from '../demo/seed.ts';
import { launchChromium, signInAs } from './browser.ts';

export interface DemoSession {
  demo: Demo;
  browser: Browser;
  context: BrowserContext;
  /** Signed in as the demo's admin. */
  page: Page;
}

/** The demo on PGlite in memory and Chromium, started together, with a Japanese page signed in as admin. */
export async function startDemoSession(viewport = { width: 1280, height: 900 }): Promise<DemoSession> {
  const [demo, browser] = await Promise.all([startDemo({ inMemory: true, port: 0 }), launchChromium()]);
  const context = await browser.newContext({ viewport, locale: 'ja-JP' });
  const page = await context.newPage();
  await signInAs(page, demo.url, DEMO_USERS.admin.email, DEMO_USERS.admin.password);
  return { demo, browser, context, page };
}

/** Closes what `startDemoSession` started, whichever parts of it did start. */
export async function closeDemoSession(session: Partial<DemoSession>): Promise<void> {
  await session.browser?.close();
  await session.demo?.close();
}

/** The id of the demo's connection to a connector. */
export async function connectionIdOf(demo: Demo, connectorId: string): Promise<string> {
  const found = (await demo.hub.connections.list()).find(
    (candidate) => candidate.connectorId === connectorId,
  );
  if (!found) throw new Error(`no connection for ${connectorId}`);
  return found.id;
}

/** The demo's vendor (connector and its seeded fake) for a connector id. */
export function vendorOf(demo: Demo, connectorId: string): Demo['vendors'][number] {
  const found = demo.vendors.find((candidate) => candidate.connector.id === connectorId);
  if (!found) throw new Error(`no vendor ${connectorId}`);
  return found;
}
