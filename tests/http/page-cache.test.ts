// The page cache (lib/http/page-cache.ts) against a stand-in for the Next.js server: which requests it serves, that a
// page is rendered once per key and then sent from memory with each request's own nonce, that concurrent misses share
// one render, that only 200 pages are kept, that its fill requests carry the secret, and that it stays within its size.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { cachedPage, clearPageCache, FILL_HEADER, isCacheFill, pageCacheKey, pageCacheStats } from '@/lib/http/page-cache';

let server: http.Server;
const renders: Array<{ url: string; headers: http.IncomingHttpHeaders }> = [];
let renderDelayMs = 0;

beforeAll(async () => {
  let count = 0;
  server = http.createServer((request, response) => {
    renders.push({ url: request.url ?? '', headers: request.headers });
    const nonce = `n0nce${++count}AAAAAAAAAAAAAA==`;
    setTimeout(() => {
      if (request.url?.startsWith('/cities/999999')) {
        response.writeHead(404, { 'content-type': 'text/html' }).end('not found');
        return;
      }
      const rsc = request.headers.rsc === '1';
      response.writeHead(200, {
        'content-type': rsc ? 'text/x-component' : 'text/html; charset=utf-8',
        'content-security-policy': `script-src 'self' 'nonce-${nonce}'`,
        link: `</a.css>; rel=preload; as="style"; nonce="${nonce}"`,
        'set-cookie': 'inner=1',
      });
      response.end(rsc ? `0:{"nonce":"${nonce}","page":"${request.url}"}` : `<html><script nonce="${nonce}">page ${request.url} render ${count}</script></html>`);
    }, renderDelayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.__NEXT_PRIVATE_ORIGIN = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  clearPageCache();
  renders.length = 0;
  renderDelayMs = 0;
  delete process.env.PAGE_CACHE_MB;
});

const viewer = { id: '7', name: 'Viewer', role: 'viewer' };
const page = (path: string, headers: Record<string, string> = {}, method = 'GET') => new Request(`https://dashboard.example/${path.replace(/^\//, '')}`, { method, headers: { cookie: 'session=abc', ...headers } });

test('only GET requests of the listed pages, with a dataset version, have a key', () => {
  expect(pageCacheKey(page('/'), viewer, 'zh', '1@5')).not.toBeNull();
  expect(pageCacheKey(page('/compare?wave=2017'), viewer, 'zh', '1@5')).not.toBeNull();
  expect(pageCacheKey(page('/cities/440300'), viewer, 'zh', '1@5')).not.toBeNull();
  expect(pageCacheKey(page('/models'), viewer, 'zh', '1@5')).toBeNull();
  expect(pageCacheKey(page('/admin/users'), viewer, 'zh', '1@5')).toBeNull();
  expect(pageCacheKey(page('/cities/440300/x'), viewer, 'zh', '1@5')).toBeNull();
  expect(pageCacheKey(page('/compare', {}, 'POST'), viewer, 'zh', '1@5')).toBeNull();
  expect(pageCacheKey(page('/compare', { 'next-action': 'a'.repeat(40) }), viewer, 'zh', '1@5')).toBeNull();
  expect(pageCacheKey(page('/compare'), viewer, 'zh', null)).toBeNull();
  process.env.PAGE_CACHE_MB = '0';
  expect(pageCacheKey(page('/compare'), viewer, 'zh', '1@5')).toBeNull();
});

test('the key changes with the user, the role, the language, the dataset version and the RSC headers, not the order of parameters', () => {
  const key = pageCacheKey(page('/compare?wave=2017&hukou=rural'), viewer, 'zh', '1@5');
  expect(pageCacheKey(page('/compare?hukou=rural&wave=2017'), viewer, 'zh', '1@5')).toBe(key);
  const others = [
    pageCacheKey(page('/compare?wave=2017&hukou=urban'), viewer, 'zh', '1@5'),
    pageCacheKey(page('/compare?wave=2017&hukou=rural'), { ...viewer, id: '8' }, 'zh', '1@5'),
    pageCacheKey(page('/compare?wave=2017&hukou=rural'), { ...viewer, role: 'admin' }, 'zh', '1@5'),
    pageCacheKey(page('/compare?wave=2017&hukou=rural'), { ...viewer, name: 'Renamed' }, 'zh', '1@5'),
    pageCacheKey(page('/compare?wave=2017&hukou=rural'), viewer, 'en', '1@5'),
    pageCacheKey(page('/compare?wave=2017&hukou=rural'), viewer, 'zh', '1@6'),
    pageCacheKey(page('/compare?wave=2017&hukou=rural', { rsc: '1' }), viewer, 'zh', '1@5'),
    pageCacheKey(page('/compare?wave=2017&hukou=rural', { rsc: '1', 'next-router-prefetch': '1' }), viewer, 'zh', '1@5'),
  ];
  expect(new Set([key, ...others]).size).toBe(others.length + 1);
});

test('a page is rendered once, then sent from memory with the request nonce in the body and the headers', async () => {
  const request = page('/compare?wave=2017');
  const key = pageCacheKey(request, viewer, 'zh', '1@5')!;
  const first = await cachedPage(request, key, 'FIRSTnonce');
  expect(first?.headers.get('x-page-cache')).toBe('miss');
  const firstBody = await first!.text();
  expect(firstBody).toContain('nonce="FIRSTnonce"');
  expect(firstBody).not.toContain('n0nce');
  expect(first?.headers.get('link')).toContain('nonce="FIRSTnonce"');
  // The inner render's cookies are not the user's to receive: Auth.js adds the session cookie of the outer request.
  expect(first?.headers.get('set-cookie')).toBeNull();
  const second = await cachedPage(request, key, 'SECONDnonce');
  expect(second?.headers.get('x-page-cache')).toBe('hit');
  expect(await second!.text()).toBe(firstBody.replaceAll('FIRSTnonce', 'SECONDnonce'));
  expect(renders).toHaveLength(1);
  // The fill went to the loopback origin with the user's cookie, the secret, and no compression.
  expect(renders[0]?.url).toBe('/compare?wave=2017');
  expect(renders[0]?.headers.cookie).toBe('session=abc');
  expect(renders[0]?.headers['accept-encoding']).toBe('identity');
  expect(isCacheFill(new Request('http://x/', { headers: { [FILL_HEADER]: String(renders[0]?.headers[FILL_HEADER]) } }))).toBe(true);
  expect(isCacheFill(new Request('http://x/', { headers: { [FILL_HEADER]: 'guessed' } }))).toBe(false);
  expect(isCacheFill(new Request('http://x/'))).toBe(false);
  expect(pageCacheStats()).toMatchObject({ entries: 1, hits: 1, misses: 1 });
});

test('a nonce of the usual length is written into a copy of the kept bytes; the kept page is not changed', async () => {
  const request = page('/cities/440300?wave=2017');
  const key = pageCacheKey(request, viewer, 'zh', '1@5')!;
  const sameLength = (c: string) => c.repeat(22); // as long as the stand-in's nonces
  const bodies: string[] = [];
  for (const c of ['a', 'b', 'a']) bodies.push(await (await cachedPage(request, key, sameLength(c)))!.text());
  expect(bodies[0]).toContain(`nonce="${sameLength('a')}"`);
  expect(bodies[1]).toBe(bodies[0]!.replaceAll(sameLength('a'), sameLength('b')));
  expect(bodies[2]).toBe(bodies[0]);
  expect(renders).toHaveLength(1);
});

test('an RSC request is its own entry and gets the flight payload, not the document', async () => {
  const documentRequest = page('/cities/440300');
  const rscRequest = page('/cities/440300', { rsc: '1' });
  const documentResponse = await cachedPage(documentRequest, pageCacheKey(documentRequest, viewer, 'zh', '1@5')!, 'A');
  const rscResponse = await cachedPage(rscRequest, pageCacheKey(rscRequest, viewer, 'zh', '1@5')!, 'B');
  expect(documentResponse?.headers.get('content-type')).toContain('text/html');
  expect(rscResponse?.headers.get('content-type')).toBe('text/x-component');
  expect(await rscResponse!.text()).toContain('"nonce":"B"');
  expect(renders.map((r) => r.headers.rsc)).toEqual([undefined, '1']);
});

test('concurrent misses of one key share one render', async () => {
  renderDelayMs = 100;
  const request = page('/');
  const key = pageCacheKey(request, viewer, 'en', '1@5')!;
  const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => cachedPage(request, key, `nonce${i}`)));
  expect(renders).toHaveLength(1);
  const bodies = await Promise.all(responses.map((r) => r!.text()));
  bodies.forEach((body, i) => expect(body).toContain(`nonce="nonce${i}"`));
});

test('a page that is not a 200 is not kept: the caller lets Next.js answer', async () => {
  const request = page('/cities/999999');
  const key = pageCacheKey(request, viewer, 'zh', '1@5')!;
  expect(await cachedPage(request, key, 'x')).toBeNull();
  expect(await cachedPage(request, key, 'x')).toBeNull();
  expect(renders).toHaveLength(2);
  expect(pageCacheStats().entries).toBe(0);
});

test('the cache stays within PAGE_CACHE_MB, dropping the least recently used page first', async () => {
  process.env.PAGE_CACHE_MB = String(0.5 / 1024); // 512 bytes: each stand-in page is about 90 bytes
  const keys: string[] = [];
  for (let city = 0; city < 8; city++) {
    const request = page(`/cities/1100${String(city).padStart(2, '0')}`);
    keys.push(pageCacheKey(request, viewer, 'zh', '1@5')!);
    await cachedPage(request, keys[city]!, 'n');
  }
  const { bytes, entries } = pageCacheStats();
  expect(bytes).toBeLessThanOrEqual(512);
  expect(entries).toBeGreaterThan(0);
  expect(entries).toBeLessThan(8);
  // The newest page is still there; the oldest was dropped and is rendered again.
  const rendersBefore = renders.length;
  await cachedPage(page('/cities/110007'), keys[7]!, 'n');
  expect(renders).toHaveLength(rendersBefore);
  await cachedPage(page('/cities/110000'), keys[0]!, 'n');
  expect(renders).toHaveLength(rendersBefore + 1);
});
