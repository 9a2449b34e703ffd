// Helpers for browser tests: Debian's Chromium through playwright-core (never a downloaded browser), sign-in with the
// demonstration accounts, screenshots into test-results/. E2E_BACKEND=pg runs each suite's server on the cluster back
// end (a throwaway PostgreSQL holding the published dataset and the accounts: tests/security/support.ts).
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { DEMO_ACCOUNTS } from '@/lib/auth/demo-users';
import { startServer, type TestServer } from '../security/support';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function newPage(browser: Browser, locale: 'zh-CN' | 'en-GB' = 'zh-CN'): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 1400, height: 1000 } });
  return context.newPage();
}

export async function signIn(page: Page, baseUrl: string, role: 'viewer' | 'analyst' | 'admin', password?: string): Promise<void> {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role);
  if (!account) throw new Error(`No demo account for ${role}`);
  await page.goto(`${baseUrl}/sign-in`);
  await page.fill('#username', account.username);
  await page.fill('#password', password ?? account.password);
  await page.click('[data-testid=sign-in-submit]');
}

/**
 * Opens the header's "Data & admin" menu (desktop width). A click that lands before the header has hydrated does
 * nothing on a loaded machine, so the click is repeated until the menu says it is open.
 */
export async function openToolsMenu(page: Page): Promise<void> {
  const button = page.getByTestId('nav-tools-button');
  for (let attempt = 0; attempt < 20; attempt++) {
    await button.click();
    if ((await button.getAttribute('aria-expanded')) === 'true') return;
    await page.waitForTimeout(500);
  }
  throw new Error('the "Data & admin" menu did not open');
}

/** Signs in with any account (e.g. a real admin a test created, which stays valid when imported data are active). */
export async function signInAs(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByTestId('sign-in-submit').and(page.locator(':enabled')).waitFor();
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('[data-testid=sign-in-submit]');
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const folder = path.resolve(import.meta.dirname, '..', '..', 'test-results');
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** One browser for a test file: launched before its tests, closed after them. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('The browser is not running yet.');
    return browser;
  };
}

/**
 * This suite's own server on a private copy of the pristine test database, stopped after the suite. Call it at the top
 * of a test file: `const { baseUrl, databasePath } = await startSuiteServer();`.
 */
/** `cliEnv`: what a CLI tool run against the suite's database needs besides DATABASE_PATH (DATABASE_URL with E2E_BACKEND=pg). */
export async function startSuiteServer(): Promise<{ baseUrl: string; databasePath: string; cliEnv: Record<string, string>; db: TestServer['db'] }> {
  // The briefing worker starts warm, as in production (the security tests' servers leave it cold).
  const server = await startServer({ BRIEFING_WORKER_WARM: '1' });
  afterAll(async () => {
    await server.stop();
  });
  return { baseUrl: server.baseUrl, databasePath: server.databasePath, cliEnv: server.cliEnv, db: server.db };
}
