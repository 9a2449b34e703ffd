// Issue 17, item 5: the page cache over HTTP on the built app. A cached page keeps a new CSP nonce per request, is kept
// per user (another user never gets it), answers client navigations with the flight payload, is not given to a
// signed-out request, and a new activation of the dataset shows at once.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { storeOf } from '@/db/store';
import { addUser, type CookieJar, get, signInOverHttp, type TestServer, startServer } from './support';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

async function signedIn(role: 'viewer' | 'admin'): Promise<{ jar: CookieJar; username: string }> {
  const user = await addUser(server, role);
  const { jar, response } = await signInOverHttp(server.baseUrl, user.username, user.password);
  expect(response.status).toBe(302);
  return { jar, username: user.username };
}

const nonceOf = (response: Response) => /'nonce-([^']+)'/.exec(response.headers.get('content-security-policy') ?? '')?.[1];

describe('page cache', () => {
  test('the second request of a page comes from the cache, with its own nonce on every script', async () => {
    const { jar } = await signedIn('viewer');
    const first = await get(server.baseUrl, '/compare?wave=2017&hukou=rural', jar);
    const second = await get(server.baseUrl, '/compare?hukou=rural&wave=2017', jar);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.headers.get('x-page-cache')).toBe('miss');
    expect(second.headers.get('x-page-cache')).toBe('hit');
    const [a, b] = [nonceOf(first), nonceOf(second)];
    expect(a).toBeTruthy();
    expect(b).toBeTruthy();
    expect(a).not.toBe(b);
    const [bodyA, bodyB] = [await first.text(), await second.text()];
    expect(bodyA).toContain(`nonce="${a}"`);
    expect(bodyB).toContain(`nonce="${b}"`);
    expect(bodyB).not.toContain(a!);
    expect(bodyB).toBe(bodyA.replaceAll(a!, b!));
  });

  test('each user gets their own page: the header names them and shows their role menu', async () => {
    const viewer = await signedIn('viewer');
    const admin = await signedIn('admin');
    const viewerPage = await (await get(server.baseUrl, '/', viewer.jar)).text();
    const adminResponse = await get(server.baseUrl, '/', admin.jar);
    expect(adminResponse.headers.get('x-page-cache')).toBe('miss');
    const adminPage = await adminResponse.text();
    expect(adminPage).toContain('/admin/users');
    expect(viewerPage).not.toContain('/admin/users');
    const viewerAgain = await get(server.baseUrl, '/', viewer.jar);
    expect(viewerAgain.headers.get('x-page-cache')).toBe('hit');
    expect(await viewerAgain.text()).not.toContain('/admin/users');
  });

  test('a client navigation gets the flight payload, never the cached document', async () => {
    const { jar } = await signedIn('viewer');
    expect((await get(server.baseUrl, '/cities/440300', jar)).headers.get('content-type')).toContain('text/html');
    const navigation = await fetch(`${server.baseUrl}/cities/440300`, { headers: { cookie: jar.header(), rsc: '1' } });
    expect(navigation.status).toBe(200);
    expect(navigation.headers.get('content-type')).toContain('text/x-component');
    expect((await navigation.text()).startsWith('<!DOCTYPE')).toBe(false);
  });

  test('a signed-out request is sent to sign-in, whatever headers it carries', async () => {
    const response = await get(server.baseUrl, '/compare', undefined, { 'x-page-cache-fill': 'a'.repeat(32) });
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toContain('/sign-in');
  });

  test('a new activation of the dataset shows at once; a change behind its back does not', async () => {
    const { jar } = await signedIn('viewer');
    const zh = { 'accept-language': 'zh-CN' };
    const before = await (await get(server.baseUrl, '/compare', jar, zh)).text();
    expect(before).toContain('深圳');
    const { q, cities, datasets } = storeOf(server.db());
    await q.update(cities).set({ nameZh: '测试改名市' }).where(eq(cities.code, '440300'));
    const unchanged = await get(server.baseUrl, '/compare', jar, zh);
    expect(unchanged.headers.get('x-page-cache')).toBe('hit');
    expect(await unchanged.text()).not.toContain('测试改名市');
    // As the admin's activation does: the active version's activation time changes.
    await q.update(datasets).set({ activatedAt: new Date() }).where(eq(datasets.active, true));
    const after = await get(server.baseUrl, '/compare', jar, zh);
    expect(after.headers.get('x-page-cache')).toBe('miss');
    expect(await after.text()).toContain('测试改名市');
    await q.update(cities).set({ nameZh: '深圳' }).where(eq(cities.code, '440300'));
  });
});
