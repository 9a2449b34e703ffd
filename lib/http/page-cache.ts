// Rendered pages kept in memory, so that a page asked again is sent without rendering it again. Only pages whose output
// is a function of the URL, the signed-in user (id, name, role), the language and the active dataset version are
// listed (PAGE_CACHE_PATHS): the overview, the comparison and the city profiles read only precomputed cells. A new
// active version, another language, another user or a role change is another key; entries also expire after
// PAGE_CACHE_TTL_MS.
//
// How it fills: proxy.ts checks the session as for every request, then asks this module for the page. On a miss it
// fetches the page from this same server over loopback with a per-process secret header (the proxy lets such a request
// through to Next.js unchanged), keeps the body, and answers. Concurrent misses of one key share one render. Each
// answer gets the request's own CSP nonce: the nonce the page was rendered with is replaced in the body and headers.
import crypto from 'node:crypto';

export const PAGE_CACHE_PATHS: readonly RegExp[] = [/^\/$/, /^\/compare$/, /^\/cities\/\d{6}$/];
export const FILL_HEADER = 'x-page-cache-fill';
const PAGE_CACHE_TTL_MS = 10 * 60 * 1000;
/** A fill that takes longer is given up (the request is then rendered as usual), so one stuck render blocks no one. */
const FILL_TIMEOUT_MS = 30_000;
/** Request headers that change what Next.js renders (its own Vary list, less Accept-Encoding: bodies are kept plain). */
const VARY_HEADERS = ['rsc', 'next-router-state-tree', 'next-router-prefetch', 'next-router-segment-prefetch', 'next-url'];
/** Response headers kept with the body; the proxy adds the security headers, Auth.js its session cookie. */
const KEPT_HEADERS = ['content-type', 'vary', 'link', 'cache-control', 'x-nextjs-stale-time', 'x-nextjs-prerender', 'x-nextjs-postponed'];

interface Entry {
  /** The body as bytes, so that sending it needs no encoding; the nonce's places in it are noted. */
  body: Buffer;
  nonce: string | null;
  nonceOffsets: number[];
  headers: Array<[string, string]>;
  expiresAt: number;
  bytes: number;
}

interface CacheState {
  secret: string;
  entries: Map<string, Entry>;
  bytes: number;
  inFlight: Map<string, Promise<Entry | null>>;
  hits: number;
  misses: number;
}

const state = globalThis as unknown as { pageCache?: CacheState };
const cache = (state.pageCache ??= { secret: crypto.randomBytes(24).toString('base64url'), entries: new Map<string, Entry>(), bytes: 0, inFlight: new Map<string, Promise<Entry | null>>(), hits: 0, misses: 0 });

function maxBytes(): number {
  const mb = Number(process.env.PAGE_CACHE_MB ?? 64);
  return Number.isFinite(mb) && mb >= 0 ? mb * 1024 * 1024 : 64 * 1024 * 1024;
}

/** Whether the request is the cache's own loopback fill (to be rendered by Next.js as usual). */
export function isCacheFill(request: Request): boolean {
  const value = request.headers.get(FILL_HEADER);
  return value !== null && value.length === cache.secret.length && crypto.timingSafeEqual(Buffer.from(value), Buffer.from(cache.secret));
}

export interface PageCacheUser {
  id: string | number;
  name?: string | null;
  role: string;
}

/** The cache key of a page request, or null when the request is not one the cache serves. */
export function pageCacheKey(request: Request, user: PageCacheUser, locale: string, datasetVersion: string | null): string | null {
  // In development the code changes under the cache: render every time.
  if (process.env.NODE_ENV === 'development') return null;
  if (maxBytes() === 0 || request.method !== 'GET' || request.headers.has('next-action') || datasetVersion === null) return null;
  const url = new URL(request.url);
  if (!PAGE_CACHE_PATHS.some((pattern) => pattern.test(url.pathname))) return null;
  const search = [...url.searchParams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([url.pathname, search, String(user.id), user.name ?? '', user.role, locale, datasetVersion, VARY_HEADERS.map((h) => request.headers.get(h))]);
}

/** The loopback origin of this server (set by `next start`), where fills are fetched from. */
function loopbackOrigin(): string {
  const origin = process.env.__NEXT_PRIVATE_ORIGIN;
  if (origin) return origin;
  return `http://127.0.0.1:${process.env.PORT ?? 3000}`;
}

function nonceOf(csp: string | null): string | null {
  return /'nonce-([^']+)'/.exec(csp ?? '')?.[1] ?? null;
}

async function fill(request: Request): Promise<Entry | null> {
  const url = new URL(request.url);
  const headers: Record<string, string> = { [FILL_HEADER]: cache.secret, 'accept-encoding': 'identity' };
  for (const name of ['cookie', 'accept-language', 'user-agent', ...VARY_HEADERS]) {
    const value = request.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  const response = await fetch(`${loopbackOrigin()}${url.pathname}${url.search}`, { headers, redirect: 'manual', cache: 'no-store', signal: AbortSignal.timeout(FILL_TIMEOUT_MS) });
  const type = response.headers.get('content-type') ?? '';
  if (response.status !== 200 || !(type.startsWith('text/html') || type.startsWith('text/x-component'))) {
    // Read to the end rather than cancelled (a cancelled body of the server's own fetch never settled).
    await response.arrayBuffer().catch(() => undefined);
    return null;
  }
  const text = await response.text();
  const nonce = nonceOf(response.headers.get('content-security-policy'));
  const body = Buffer.from(text, 'utf8');
  const nonceOffsets: number[] = [];
  if (nonce) for (let at = body.indexOf(nonce); at !== -1; at = body.indexOf(nonce, at + nonce.length)) nonceOffsets.push(at);
  const kept: Array<[string, string]> = [];
  for (const name of KEPT_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) kept.push([name, value]);
  }
  return { body, nonce, nonceOffsets, headers: kept, expiresAt: Date.now() + PAGE_CACHE_TTL_MS, bytes: body.length };
}

function store(key: string, entry: Entry): void {
  const limit = maxBytes();
  if (entry.bytes > limit / 4) return;
  const old = cache.entries.get(key);
  if (old) {
    cache.bytes -= old.bytes;
    cache.entries.delete(key);
  }
  while (cache.bytes + entry.bytes > limit && cache.entries.size > 0) {
    const [oldestKey, oldest] = cache.entries.entries().next().value as [string, Entry];
    cache.entries.delete(oldestKey);
    cache.bytes -= oldest.bytes;
  }
  cache.entries.set(key, entry);
  cache.bytes += entry.bytes;
}

function lookup(key: string): Entry | null {
  const entry = cache.entries.get(key);
  if (!entry) return null;
  if (entry.expiresAt <= Date.now()) {
    cache.entries.delete(key);
    cache.bytes -= entry.bytes;
    return null;
  }
  // Least recently used goes first: a hit moves the entry to the end.
  cache.entries.delete(key);
  cache.entries.set(key, entry);
  return entry;
}

/**
 * The page for this key with `nonce` in place of the one it was rendered with, from the cache or rendered once now;
 * null when the page cannot be cached (not a 200 page): the caller then lets Next.js answer as usual.
 */
export async function cachedPage(request: Request, key: string, nonce: string): Promise<Response | null> {
  let entry = lookup(key);
  let status = 'hit';
  if (entry) cache.hits++;
  else {
    status = 'miss';
    cache.misses++;
    let pending = cache.inFlight.get(key);
    if (!pending) {
      pending = fill(request)
        .then((filled) => {
          if (filled) store(key, filled);
          return filled;
        })
        .catch(() => null)
        .finally(() => cache.inFlight.delete(key));
      cache.inFlight.set(key, pending);
    }
    entry = await pending;
  }
  if (!entry) return null;
  const swap = (text: string) => (entry.nonce ? text.replaceAll(entry.nonce, nonce) : text);
  const headers = new Headers(entry.headers.map(([name, value]) => [name, swap(value)] as [string, string]));
  headers.set('x-page-cache', status);
  // A view of the bytes, not another copy of the page (withNonce already made this request's copy).
  const body = withNonce(entry, nonce);
  return new Response(new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength), { status: 200, headers });
}

/** The entry's body with `nonce` written over the one it was rendered with (a copy; the entry stays as it was). */
function withNonce(entry: Entry, nonce: string): Buffer {
  if (!entry.nonce || entry.nonceOffsets.length === 0) return entry.body;
  const replacement = Buffer.from(nonce, 'utf8');
  // Nonces are all 16 random bytes in base64, so of one length; another length is replaced in the text instead.
  if (replacement.length !== Buffer.byteLength(entry.nonce)) return Buffer.from(entry.body.toString('utf8').replaceAll(entry.nonce, nonce), 'utf8');
  const body = Buffer.from(entry.body);
  for (const offset of entry.nonceOffsets) replacement.copy(body, offset);
  return body;
}

/** Counters and size, for tests and the load benchmark. */
export function pageCacheStats(): { entries: number; bytes: number; hits: number; misses: number } {
  return { entries: cache.entries.size, bytes: cache.bytes, hits: cache.hits, misses: cache.misses };
}

/** Empties the cache (tests). */
export function clearPageCache(): void {
  cache.entries.clear();
  cache.bytes = 0;
  cache.hits = 0;
  cache.misses = 0;
}
