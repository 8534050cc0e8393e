import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
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

/**
 * Text on the page below WCAG AA contrast (4.5:1, 3:1 for large text), as axe-core's
 * `color-contrast` rule measures it in the browser: one line per element, with the colours
 * and the ratio axe found. Text whose contrast axe could not work out (text over an image,
 * or overlapped) is listed too, as unverified: readable contrast is shown, not assumed.
 * Empty when every text passes. Text drawn on a canvas (the charts' axes) is not in the
 * DOM, so not checked here.
 */
export async function contrastProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withRules(['color-contrast']).analyze();
  const lines = (kind: string, rules: typeof results.violations) =>
    rules.flatMap((rule) => rule.nodes.map((node) => `${kind} ${node.target.join(' ')} "${node.html.slice(0, 80)}": ${node.any.map((check) => check.message).join('; ')}`));
  return [...lines('low contrast:', results.violations), ...lines('unverified:', results.incomplete)];
}
