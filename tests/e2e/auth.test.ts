// Sign-in, roles, sign-out and refusal of unauthenticated requests, in a real Chromium against the built app.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { auditCount } from '../security/support';
import { newPage, screenshot, signIn, startSuiteServer, useBrowser } from './support';

const { baseUrl, db } = await startSuiteServer();
const browser = useBrowser();

// Every page and route handler in app/, found on disk so a new one is covered without editing this file. Dynamic
// segments get a real value (a city code); route groups do not appear in URLs.
const appFolder = path.resolve(import.meta.dirname, '..', '..', 'app');
function routeFiles(name: 'page.tsx' | 'route.ts'): string[][] {
  return (fs.readdirSync(appFolder, { recursive: true }) as string[])
    .filter((file) => path.basename(file) === name)
    .map((file) => path.dirname(file).split(path.sep));
}
function urlOf(segments: string[]): string {
  const parts = segments
    .filter((s) => s !== '.' && !/^\(.*\)$/.test(s))
    .map((s) => (s.startsWith('[...') || s.startsWith('[[...') ? 'x' : s.startsWith('[') ? '440300' : s));
  return `/${parts.join('/')}`;
}
const PUBLIC_PAGES = new Set(['/sign-in']);
const pagePaths = [...new Set(['/', '/compare', '/compare?hukou=rural', '/cities/440300', '/methodology', ...routeFiles('page.tsx').map(urlOf)])].filter(
  (p) => !PUBLIC_PAGES.has(p),
);
const routeHandlers: Array<[string, string]> = routeFiles('route.ts')
  .filter((segments) => segments.join('/') !== 'api/auth/[...nextauth]')
  .flatMap((segments) => {
    const source = fs.readFileSync(path.join(appFolder, ...segments, 'route.ts'), 'utf8');
    const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => new RegExp(`export\\s+(async\\s+)?(function|const)\\s+${m}\\b|export\\s+const\\s*\\{[^}]*\\b${m}\\b`).test(source));
    return methods.map((method): [string, string] => [method, urlOf(segments)]);
  });
routeHandlers.push(['GET', '/api/any-future-route']);

describe('signing in and out', () => {
  test('a wrong password shows an error and is written to the audit log', async () => {
    const page = await newPage(browser());
    await signIn(page, baseUrl, 'analyst', 'not-the-password');
    await page.getByTestId('sign-in-error').waitFor();
    expect(await page.getByTestId('sign-in-error').textContent()).toContain('用户名或密码不正确');
    const failures = await auditCount({ db }, { action: 'sign_in_failed', username: 'analyst' });
    expect(failures).toBeGreaterThanOrEqual(1);
    await page.context().close();
  });

  for (const role of ['viewer', 'analyst', 'admin'] as const) {
    test(`the ${role} demo account signs in, sees its name and the synthetic-data notice, and signs out`, async () => {
      const page = await newPage(browser());
      await signIn(page, baseUrl, role);
      await page.getByTestId('signed-in-user').waitFor();
      // The demo account's bilingual name is shown in the interface language only (issue 16, defect 5).
      const shown = await page.getByTestId('signed-in-user').textContent();
      expect(shown).toContain({ viewer: '演示查看员', analyst: '演示分析员', admin: '演示管理员' }[role]);
      expect(shown).not.toContain(`Demo ${role}`);
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

  test('the form works from the keyboard alone', async () => {
    const page = await newPage(browser());
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByTestId('sign-in-submit').and(page.locator(':enabled')).waitFor();
    await page.focus('#username');
    await page.keyboard.type('viewer');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('password');
    await page.keyboard.type('viewer-demo');
    await page.keyboard.press('Enter');
    await page.getByTestId('signed-in-user').waitFor();
    await page.context().close();
  });

  test('five failed attempts for one username slow it down but do not lock it: the right password works seconds later', async () => {
    const page = await newPage(browser(), 'en-GB');
    const messages: string[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      await signIn(page, baseUrl, 'admin', `wrong-${attempt}`);
      await page.getByTestId('sign-in-error').waitFor();
      messages.push((await page.getByTestId('sign-in-error').textContent()) ?? '');
    }
    expect(messages.slice(0, 3).every((m) => m.includes('Wrong username or password'))).toBe(true);
    // The delay after at most five failures is 4 s (1 s, 2 s, 4 s …), never a lockout.
    await page.waitForTimeout(4_500);
    await signIn(page, baseUrl, 'admin');
    await page.getByTestId('signed-in-user').waitFor();
    const byAction: Record<string, number> = {};
    for (const action of ['sign_in', 'sign_in_failed', 'sign_in_blocked']) byAction[action] = await auditCount({ db }, { action, username: 'admin' });
    expect((byAction.sign_in_failed ?? 0) + (byAction.sign_in_blocked ?? 0)).toBe(5);
    expect(byAction.sign_in_failed).toBeGreaterThanOrEqual(3);
    await page.context().close();
  });
});

describe('unauthenticated requests are refused', () => {
  test('the probes found the route handlers on disk', () => {
    expect(routeHandlers).toContainEqual(['POST', '/api/sign-out']);
    expect(pagePaths).toContain('/cities/440300');
  });

  for (const pagePath of pagePaths) {
    test(`page ${pagePath} redirects to sign-in`, async () => {
      const response = await fetch(`${baseUrl}${pagePath}`, { redirect: 'manual' });
      expect([302, 303, 307, 308]).toContain(response.status);
      expect(response.headers.get('location')).toMatch(/\/sign-in\?callbackUrl=/);
    });
  }

  // The proxy answers 401 under /api/; a route handler elsewhere (a download link) sends a signed-out visitor to sign-in.
  for (const [method, routePath] of routeHandlers) {
    const api = routePath.startsWith('/api/');
    test(`${method} ${routePath} ${api ? 'answers 401 with a JSON error' : 'redirects to sign-in'}`, async () => {
      const response = await fetch(`${baseUrl}${routePath}`, { method, redirect: 'manual' });
      if (api) {
        expect(response.status).toBe(401);
        expect(await response.json()).toMatchObject({ error: 'unauthenticated' });
      } else {
        expect([302, 303, 307, 308]).toContain(response.status);
        expect(response.headers.get('location')).toMatch(/\/sign-in\?callbackUrl=/);
      }
    });
  }
});
