// Issue 11, item 10: malformed action bodies get 400, cross-origin actions 403, unknown cities and waves a 404 page that
// says which, and long input is never echoed back.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auditCount, addUser, get, signInOverHttp, startServer, type CookieJar, type TestServer } from './support';

let server: TestServer;
let jar: CookieJar;
let actionId: string;
beforeAll(async () => {
  server = await startServer();
  const user = await addUser(server, 'viewer');
  jar = (await signInOverHttp(server.baseUrl, user.username, user.password)).jar;
  // The id of a real server action of this build (the model run), from the build's manifest.
  const manifest = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '..', '..', process.env.E2E_DIST_DIR ?? '.next-e2e', 'server', 'server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { exportedName?: string; filename?: string }>;
  };
  const entries = Object.entries(manifest.node);
  actionId = (entries.find(([, v]) => v.exportedName === 'runModelAction') ?? entries.find(([, v]) => (v.filename ?? '').includes('models/actions')) ?? entries[0]!)[0];
});
afterAll(async () => {
  await server?.stop();
});

const callAction = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${server.baseUrl}/models`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'next-action': actionId, 'content-type': 'text/plain;charset=UTF-8', cookie: jar.header(), origin: server.baseUrl, ...headers },
    body,
  });

describe('errors', () => {
  test('a malformed action body is a 400 with a plain message', async () => {
    const response = await callAction('{not json');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_input' });
    expect((await callAction('"just a string"')).status).toBe(400);
    expect((await callAction('[]', { 'next-action': 'not-an-id' })).status).toBe(400);
  });

  test('a cross-origin action is a 403, and it is audited', async () => {
    const response = await callAction('[{}]', { origin: 'http://evil.example' });
    expect(response.status).toBe(403);
    expect(await auditCount(server, { action: 'refused_cross_origin' })).toBeGreaterThanOrEqual(1);
  });

  test('a huge field value is not echoed back', async () => {
    const huge = 'q'.repeat(900_000);
    const response = await callAction(JSON.stringify([{ outcome: huge, preset: huge }]));
    const text = await response.text();
    expect(text.length).toBeLessThan(50_000);
    expect(text).not.toContain('q'.repeat(100));
  });

  test('/cities/999999 is a 404 page that names the code; a malformed code is cut short and escaped', async () => {
    const response = await get(server.baseUrl, '/cities/999999', jar);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('999999');
    const hostile = `<script>${'x'.repeat(5000)}`;
    const second = await get(server.baseUrl, `/cities/${encodeURIComponent(hostile)}`, jar);
    expect(second.status).toBe(404);
    const body = await second.text();
    expect(body).not.toContain('<script>x');
    expect(body.length).toBeLessThan(3000);
  });

  test('an unknown wave is a 404 page that names it where the wave is not a filter; a known one is a 200', async () => {
    const unknown = await get(server.baseUrl, '/models?wave=1999', jar);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('1999');
    expect((await get(server.baseUrl, '/cities/440300?wave=2017', jar)).status).toBe(200);
  });

  test('on a page whose wave is a filter, an unknown wave shows the page with a notice naming it and the wave used', async () => {
    for (const url of ['/compare?wave=1999', '/cities/440300?wave=1999', '/map?wave=2010', '/equity?wave=1999']) {
      const response = await get(server.baseUrl, url, jar);
      expect(response.status, url).toBe(200);
      const html = await response.text();
      expect(html, url).toContain('data-testid="ignored-params"');
      expect(html, url).toMatch(/1999|2010/);
    }
  });
});
