import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Every E2E step's screenshot (git-ignored). */
export const SCREENSHOTS = fileURLToPath(new URL('../../screenshots/', import.meta.url));
/** The README's screenshots (committed). */
export const DOCS_SCREENSHOTS = fileURLToPath(new URL('../../../../docs/screenshots/', import.meta.url));

/** Saves screenshots into a folder: whole pages for the steps, the viewport for the README. */
export function screenshots(folder = SCREENSHOTS, fullPage = true) {
  mkdirSync(folder, { recursive: true });
  return (page: Page, name: string) => page.screenshot({ path: `${folder}${name}.png`, fullPage });
}

export async function signInAs(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForURL(`${baseUrl}/connections`), page.click('button[type="submit"]')]);
}
