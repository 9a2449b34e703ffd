// Issue 11, item 7: every response carries a strict CSP with a per-request nonce (and the page's scripts carry it, so
// the app still works in Chromium), frame-ancestors 'none', nosniff, Referrer-Policy and Permissions-Policy; HSTS and
// Secure cookies when AUTH_URL is https.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addUser, get, signInOverHttp, startServer, type TestServer } from './support';
import { launchBrowser, newPage } from '../e2e/support';

let server: TestServer;
let https: TestServer;
beforeAll(async () => {
  [server, https] = await Promise.all([startServer(), startServer({ AUTH_URL: 'https://dashboard.example.org' })]);
});
afterAll(async () => {
  await Promise.all([server?.stop(), https?.stop()]);
});

function expectCommonHeaders(response: Response) {
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('x-frame-options')).toBe('DENY');
  expect(response.headers.get('referrer-policy')).toBe('same-origin');
  expect(response.headers.get('permissions-policy')).toContain('camera=()');
  expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
}

describe('security headers', () => {
  test('pages have a CSP whose nonce is on every script, new for every request; no HSTS over http', async () => {
    const first = await get(server.baseUrl, '/sign-in');
    const second = await get(server.baseUrl, '/sign-in');
    expectCommonHeaders(first);
    const csp = first.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(second.headers.get('content-security-policy')).not.toContain(nonce!);
    const html = await first.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(first.headers.get('strict-transport-security')).toBeNull();
  });

  test('API answers and Auth.js endpoints carry the headers too', async () => {
    expectCommonHeaders(await get(server.baseUrl, '/api/models/jobs/x'));
    expectCommonHeaders(await get(server.baseUrl, '/api/auth/csrf'));
  });

  test('the app works under the CSP in Chromium: no violations while signing in and comparing cities', async () => {
    const user = await addUser(server, 'viewer');
    const browser = await launchBrowser();
    try {
      const page = await newPage(browser, 'en-GB');
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
      });
      await page.goto(`${server.baseUrl}/sign-in?callbackUrl=/compare`);
      await page.getByTestId('sign-in-submit').and(page.locator(':enabled')).waitFor();
      await page.fill('#username', user.username);
      await page.fill('#password', user.password);
      await page.click('[data-testid=sign-in-submit]');
      await page.getByTestId('signed-in-user').waitFor();
      await page.waitForLoadState('networkidle');
      expect(violations).toEqual([]);
      // Framing is refused by the browser.
      const framed = await newPage(browser, 'en-GB');
      await framed.setContent(`<iframe id="f" src="${server.baseUrl}/sign-in"></iframe>`);
      await framed.waitForTimeout(1500);
      const frame = framed.frames().find((f) => f.url().includes('/sign-in'));
      const inside = frame ? await frame.locator('#username').count().catch(() => 0) : 0;
      expect(inside).toBe(0);
    } finally {
      await browser.close();
    }
  });

  test('with an https AUTH_URL: HSTS, and session and CSRF cookies marked Secure', async () => {
    const page = await get(https.baseUrl, '/sign-in');
    expect(page.headers.get('strict-transport-security')).toContain('max-age=');
    const user = await addUser(https, 'viewer');
    const { response } = await signInOverHttp(https.baseUrl, user.username, user.password);
    const cookies = response.headers.getSetCookie();
    const session = cookies.find((c) => c.includes('session-token'));
    expect(session).toMatch(/^__Secure-authjs\.session-token=.*;\s*.*Secure/i);
  });
});
