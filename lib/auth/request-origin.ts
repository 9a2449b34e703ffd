// The origin a request was made to (AUTH_URL, or the Host / trusted forwarded host), same-origin checks for posts, and
// the one check of callbackUrl values: only relative paths on this site, nothing a browser would read as another host.
import { env } from '@/lib/env';

/** The public origin: AUTH_URL when set, otherwise what the (stamped) forwarded headers and Host say. */
export function trustedOriginOf(headers: Headers, fallback: string): string {
  if (env.AUTH_URL) return new URL(env.AUTH_URL).origin;
  const host = headers.get('x-forwarded-host') ?? headers.get('host');
  const proto = headers.get('x-forwarded-proto') === 'https' ? 'https' : 'http';
  if (!host || !/^[A-Za-z0-9.\-:[\]]+$/.test(host)) return fallback;
  return `${proto}://${host}`;
}

/** True unless the browser said the request came from another origin (Origin header, else Sec-Fetch-Site). */
export function isSameOriginRequest(request: Request): boolean {
  const origin = request.headers.get('origin');
  if (origin && origin !== 'null') return origin === trustedOriginOf(request.headers, new URL(request.url).origin);
  if (origin === 'null') return false;
  const site = request.headers.get('sec-fetch-site');
  return !site || site === 'same-origin' || site === 'none';
}

/**
 * A callbackUrl as a same-origin path, or '/' for anything else: absolute URLs, protocol-relative '//x', '/\x' (which
 * browsers read as '//x'), control characters and tabs (which browsers strip, turning '/\t/x' into '//x').
 */
export function safeCallbackPath(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return '/';
  const base = 'http://callback.invalid';
  let parsed: URL;
  try {
    parsed = new URL(value, base);
  } catch {
    return '/';
  }
  if (parsed.origin !== base) return '/';
  const path = `${parsed.pathname}${parsed.search}${parsed.hash}`;
  return path.startsWith('//') ? '/' : path;
}
