// Issue 11, items 4 and 5: redirects keep the host the user is on (Host, the trusted forwarded host, or AUTH_URL), and
// callbackUrl accepts only same-origin paths.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addUser, get, signInOverHttp, startServer, type TestServer } from './support';
import { launchBrowser, newPage } from '../e2e/support';

let server: TestServer;
let configured: TestServer;
beforeAll(async () => {
  [server, configured] = await Promise.all([startServer(), startServer({ AUTH_URL: 'http://dashboard.example.org' })]);
});
afterAll(async () => {
  await Promise.all([server?.stop(), configured?.stop()]);
});

describe('hosts', () => {
  test('signing in at http://127.0.0.1:PORT lands on 127.0.0.1, signed in (Chromium)', async () => {
    const user = await addUser(server, 'viewer');
    const base = `http://127.0.0.1:${server.port}`;
    const browser = await launchBrowser();
    try {
      const page = await newPage(browser, 'en-GB');
      await page.goto(`${base}/compare`);
      await page.waitForURL(/\/sign-in/);
      await page.getByTestId('sign-in-submit').and(page.locator(':enabled')).waitFor();
      await page.fill('#username', user.username);
      await page.fill('#password', user.password);
      await page.click('[data-testid=sign-in-submit]');
      await page.getByTestId('signed-in-user').waitFor();
      expect(new URL(page.url()).host).toBe(`127.0.0.1:${server.port}`);
      expect(new URL(page.url()).pathname).toBe('/compare');
    } finally {
      await browser.close();
    }
  });

  // fetch() may not set Host, so these go through node:http.
  function rawGet(pathname: string, headers: Record<string, string>): Promise<{ status: number; location: string }> {
    return new Promise((resolve, reject) => {
      const request = http.request({ host: '127.0.0.1', port: server.port, path: pathname, headers }, (response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0, location: String(response.headers.location ?? '') });
      });
      request.on('error', reject);
      request.end();
    });
  }

  test('redirects follow the Host header; X-Forwarded-Host is ignored without TRUST_PROXY', async () => {
    const page = await rawGet('/compare', { host: `intranet.example:${server.port}`, 'x-forwarded-host': 'evil.example' });
    expect(page.status).toBe(307);
    expect(new URL(page.location).host).toBe(`intranet.example:${server.port}`);
    const providers = await rawGet('/api/auth/signin', { host: `intranet.example:${server.port}`, 'x-forwarded-host': 'evil.example' });
    expect(decodeURIComponent(providers.location)).not.toContain('evil.example');
    expect(decodeURIComponent(providers.location)).toContain(`intranet.example:${server.port}`);
    void get;
  });

  test('with AUTH_URL set, redirects use its origin whatever the Host header says', async () => {
    const user = await addUser(configured, 'viewer');
    const { response } = await signInOverHttp(configured.baseUrl, user.username, user.password, { headers: { host: 'evil.example' } });
    expect(new URL(response.headers.get('location') ?? '').origin).toBe('http://dashboard.example.org');
  });
});

describe('open redirects', () => {
  for (const hostile of ['/%5Cevil.example', '/%09/evil.example', '//evil.example', 'https://evil.example/', '/\\evil.example']) {
    test(`callbackUrl=${hostile} keeps a signed-in user on this site`, async () => {
      const user = await addUser(server, 'viewer');
      const { jar, response } = await signInOverHttp(server.baseUrl, user.username, user.password, { callbackUrl: decodeURIComponent(hostile) });
      expect(new URL(response.headers.get('location') ?? '', server.baseUrl).host).toBe(new URL(server.baseUrl).host);
      const page = await get(server.baseUrl, `/sign-in?callbackUrl=${encodeURIComponent(decodeURIComponent(hostile))}`, jar);
      const location = page.headers.get('location') ?? '';
      expect(new URL(location, server.baseUrl).host).toBe(new URL(server.baseUrl).host);
      expect(location.includes('evil.example')).toBe(false);
    });
  }
});
