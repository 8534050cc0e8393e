import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it when missing).
 * Playwright cannot download its own browsers here, so playwright-core drives this one.
 * `AFTERCARE_CHROMIUM` points elsewhere.
 */
export const CHROMIUM_PATH = process.env.AFTERCARE_CHROMIUM ?? '/usr/bin/chromium';

/** Where browser tests save their screenshots. */
export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'console');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it (sudo apt-get install chromium) or set AFTERCARE_CHROMIUM`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** A fresh page (own storage) in the given browser language. */
export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 }, acceptDownloads: true, ...options });
  return context.newPage();
}

/** Saves a full-page screenshot as test-results/console/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Signs in on the console's sign-in form with a dev token for `role` on `marketplace`. */
export async function signIn(page: Page, baseUrl: string, role: string, marketplace = 'demo'): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.locator('select[name=role]').selectOption(role);
  await page.locator('input[name=marketplace]').fill(marketplace);
  await page.locator('form button[type=submit]').click();
  await page.getByTestId('signed-in').waitFor();
}
