// Runs before every page and API request except Auth.js's own endpoints, static files and the import upload (whose
// body must stream to the route, which checks the admin session itself). Sets the security headers and a per-request
// CSP nonce; sends signed-out page requests to /sign-in and answers API requests with 401; sends a user whose password
// was reset to the change-password page. Pages, actions and route handlers still check the role themselves.
import { NextResponse, type NextFetchEvent, type NextRequest } from 'next/server';
import { getDatabase } from '@/lib/queries/database';
import { auth } from '@/lib/auth';
import { pageSessionUser } from '@/lib/auth/page-session';
import { isSameOriginRequest, safeCallbackPath, trustedOriginOf } from '@/lib/auth/request-origin';
import { notFoundPage, refusal } from '@/lib/http/error-pages';
import { contentSecurityPolicy, staticSecurityHeaders } from '@/lib/http/security-headers';
import { cachedPage, isCacheFill, pageCacheKey } from '@/lib/http/page-cache';
import { localeFromAcceptLanguage } from '@/lib/i18n/messages';
import { activeVersionIdentity } from '@/lib/queries/active-version';
import { recordAudit } from '@/lib/queries/audit';
import { findUnknownTarget } from '@/lib/queries/route-targets';

type Handler = (request: NextRequest, event: NextFetchEvent) => Promise<Response | undefined> | Response | undefined;

const PUBLIC_PATHS = ['/sign-in'];
const PASSWORD_PAGE = '/account/password';

function withSecurityHeaders(response: Response, csp: string): Response {
  const httpsOrigin = (process.env.AUTH_URL ?? '').startsWith('https:');
  for (const [name, value] of Object.entries(staticSecurityHeaders(httpsOrigin))) response.headers.set(name, value);
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

/**
 * Server-action posts are checked before Next.js decodes them, so that a cross-origin post is a 403 and a body that is
 * not an action's encoding is a 400 (Next.js would answer both with a 500). The body here is the proxy's copy.
 */
async function checkServerAction(request: NextRequest, userId: number | null): Promise<Response | null> {
  if (!request.headers.has('next-action')) return null;
  if (request.method !== 'POST') return refusal(400, 'A server action is called with POST.');
  if (!isSameOriginRequest(request)) {
    await recordAudit(getDatabase(), { userId, action: 'refused_cross_origin', target: request.nextUrl.pathname.slice(0, 200) });
    return refusal(403, '拒绝跨站请求 · Cross-site request refused.');
  }
  if (!/^[0-9a-f]{40,64}$/i.test(request.headers.get('next-action') ?? '')) return refusal(400, '请求格式不正确 · The action id is malformed.');
  const type = request.headers.get('content-type') ?? '';
  try {
    if (type.startsWith('multipart/form-data')) {
      await request.clone().formData();
    } else {
      const body = await request.clone().text();
      if (body.length > 1024 * 1024) return refusal(413, '请求太大 · The request is too large.');
      if (!Array.isArray(JSON.parse(body))) throw new Error('not an argument list');
    }
  } catch {
    return refusal(400, '请求格式不正确 · The request body is not a valid action call.');
  }
  return null;
}

type ProxyUser = { id?: string; name?: string | null; role: string; mustChangePassword?: boolean };

/** What the proxy does with a request once it knows who is signed in (no one: undefined). */
async function handle(request: NextRequest, user: ProxyUser | undefined): Promise<Response> {
  const { pathname, search } = request.nextUrl;
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === 'development');
  const origin = trustedOriginOf(request.headers, request.nextUrl.origin);
  const isPublic = PUBLIC_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));
  if (!user && !isPublic) {
    if (pathname.startsWith('/api/')) {
      return withSecurityHeaders(NextResponse.json({ error: 'unauthenticated', message: 'Sign in first.' }, { status: 401 }), csp);
    }
    const url = new URL('/sign-in', origin);
    url.searchParams.set('callbackUrl', safeCallbackPath(`${pathname}${search}`));
    return withSecurityHeaders(NextResponse.redirect(url), csp);
  }
  if (user) {
    const actionRefusal = await checkServerAction(request, Number(user.id));
    if (actionRefusal) return withSecurityHeaders(actionRefusal, csp);
    if (request.method === 'GET' && !pathname.startsWith('/api/')) {
      const unknown = await findUnknownTarget(getDatabase(), pathname, request.nextUrl.searchParams);
      if (unknown) return withSecurityHeaders(notFoundPage(unknown), csp);
    }
  }
  if (user?.mustChangePassword && pathname !== PASSWORD_PAGE && !pathname.startsWith('/api/') && !isPublic) {
    return withSecurityHeaders(NextResponse.redirect(new URL(PASSWORD_PAGE, origin)), csp);
  }
  // A page that is the same for every request of this user, language and dataset version is sent from the page
  // cache (lib/http/page-cache.ts); the cache's own loopback request is rendered by Next.js below.
  if (user && !isCacheFill(request)) {
    const cookieLocale = request.cookies.get('locale')?.value;
    const locale = cookieLocale === 'zh' || cookieLocale === 'en' ? cookieLocale : localeFromAcceptLanguage(request.headers.get('accept-language'));
    const key = pageCacheKey(request, { id: user.id ?? '', name: user.name, role: user.role }, locale, await activeVersionIdentity(getDatabase()));
    const cached = key ? await cachedPage(request, key, nonce) : null;
    if (cached) return withSecurityHeaders(cached, csp);
  }
  // Next.js reads the nonce from the request's CSP header and puts it on the scripts it renders.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('content-security-policy', csp);
  requestHeaders.set('x-nonce', nonce);
  return withSecurityHeaders(NextResponse.next({ request: { headers: requestHeaders } }), csp);
}

// With a lazily built Auth.js config, auth(callback) resolves to the wrapped handler asynchronously.
const authorized: Promise<Handler> = Promise.resolve(auth(async (request) => handle(request, request.auth?.user)) as unknown as Handler);

export async function proxy(request: NextRequest, event: NextFetchEvent) {
  // A page view (the common request, and the page cache's) checks the session row without Auth.js's round trip
  // (lib/auth/page-session.ts); everything else, and any session that cannot be decided there, goes through Auth.js.
  if (request.method === 'GET' && !request.nextUrl.pathname.startsWith('/api/') && !request.headers.has('next-action') && !isCacheFill(request)) {
    const user = await pageSessionUser(request.cookies);
    if (user) return handle(request, user);
  }
  const handler = await authorized;
  return handler(request, event);
}

export const config = {
  matcher: ['/((?!api/auth|api/admin/import|_next/static|_next/image|favicon.ico|robots.txt).*)'],
};
