// Sign-in, roles, sign-out and refusal of unauthenticated requests, in a real Chromium against the built app.
import Database from 'better-sqlite3';
import { describe, expect, inject, test } from 'vitest';
import { newPage, screenshot, signIn, useBrowser } from './support';

const baseUrl = inject('baseUrl');
const databasePath = inject('databasePath');
const browser = useBrowser();

describe('signing in and out', () => {
  test('a wrong password shows an error and is written to the audit log', async () => {
    const page = await newPage(browser());
    await signIn(page, baseUrl, 'analyst', 'not-the-password');
    await page.getByTestId('sign-in-error').waitFor();
    expect(await page.getByTestId('sign-in-error').textContent()).toContain('用户名或密码不正确');
    const db = new Database(databasePath, { readonly: true });
    const failures = db.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in_failed' AND username = 'analyst'").pluck().get() as number;
    db.close();
    expect(failures).toBeGreaterThanOrEqual(1);
    await page.context().close();
  });

  for (const role of ['viewer', 'analyst', 'admin'] as const) {
    test(`the ${role} demo account signs in, sees its name and the synthetic-data notice, and signs out`, async () => {
      const page = await newPage(browser());
      await signIn(page, baseUrl, role);
      await page.getByTestId('signed-in-user').waitFor();
      expect(await page.getByTestId('signed-in-user').textContent()).toContain(`Demo ${role}`);
      expect(await page.getByTestId('synthetic-banner').isVisible()).toBe(true);
      if (role === 'viewer') await screenshot(page, 'overview-zh');
      await page.waitForLoadState('networkidle');
      await page.getByTestId('sign-out').click();
      await page.waitForURL(/\/sign-in/);
      await page.goto(`${baseUrl}/compare`);
      await page.waitForURL(/\/sign-in/);
      await page.context().close();
    });
  }

  test('the sixth failed attempt for one username is refused with the rate-limit message', async () => {
    const page = await newPage(browser(), 'en-GB');
    for (let attempt = 0; attempt < 6; attempt++) {
      await signIn(page, baseUrl, 'admin', `wrong-${attempt}`);
      await page.getByTestId('sign-in-error').waitFor();
    }
    expect(await page.getByTestId('sign-in-error').textContent()).toContain('Too many failed sign-ins');
    // Even the right password is refused while the username is blocked.
    await signIn(page, baseUrl, 'admin');
    await page.getByTestId('sign-in-error').waitFor();
    expect(await page.getByTestId('sign-in-error').textContent()).toContain('Too many failed sign-ins');
    await page.context().close();
  });
});

describe('unauthenticated requests are refused', () => {
  for (const pagePath of ['/', '/compare', '/compare?hukou=rural', '/cities', '/cities/440300', '/methodology']) {
    test(`page ${pagePath} redirects to sign-in`, async () => {
      const response = await fetch(`${baseUrl}${pagePath}`, { redirect: 'manual' });
      expect([302, 303, 307, 308]).toContain(response.status);
      expect(response.headers.get('location')).toMatch(/\/sign-in\?callbackUrl=/);
    });
  }

  for (const [method, routePath] of [['POST', '/api/sign-out'], ['GET', '/api/any-future-route']] as const) {
    test(`${method} ${routePath} answers 401`, async () => {
      const response = await fetch(`${baseUrl}${routePath}`, { method, redirect: 'manual' });
      expect(response.status).toBe(401);
    });
  }
});
