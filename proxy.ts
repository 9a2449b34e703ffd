// Runs before every page and API request except Auth.js's own endpoints, static files and the import upload (whose
// body must stream to the route, which checks the admin session itself). Sets the security headers and a per-request
// CSP nonce; sends signed-out page requests to /sign-in and answers API requests with 401; sends a user whose password
// was reset to the change-password page. Pages, actions and route handlers still check the role themselves.
import { NextResponse, type NextFetchEvent, type NextRequest } from 'next/server';
import { auth } from '@/lib/auth';
import { safeCallbackPath, trustedOriginOf } from '@/lib/auth/request-origin';
import { contentSecurityPolicy, staticSecurityHeaders } from '@/lib/http/security-headers';

type Handler = (request: NextRequest, event: NextFetchEvent) => Promise<Response | undefined> | Response | undefined;

const PUBLIC_PATHS = ['/sign-in'];
const PASSWORD_PAGE = '/account/password';

function withSecurityHeaders(response: Response, csp: string): Response {
  const httpsOrigin = (process.env.AUTH_URL ?? '').startsWith('https:');
  for (const [name, value] of Object.entries(staticSecurityHeaders(httpsOrigin))) response.headers.set(name, value);
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

// With a lazily built Auth.js config, auth(callback) resolves to the wrapped handler asynchronously.
const authorized: Promise<Handler> = Promise.resolve(
  auth((request) => {
    const { pathname, search } = request.nextUrl;
    const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
    const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === 'development');
    const origin = trustedOriginOf(request.headers, request.nextUrl.origin);
    const user = request.auth?.user;
    const isPublic = PUBLIC_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));
    if (!user && !isPublic) {
      if (pathname.startsWith('/api/')) {
        return withSecurityHeaders(NextResponse.json({ error: 'unauthenticated', message: 'Sign in first.' }, { status: 401 }), csp);
      }
      const url = new URL('/sign-in', origin);
      url.searchParams.set('callbackUrl', safeCallbackPath(`${pathname}${search}`));
      return withSecurityHeaders(NextResponse.redirect(url), csp);
    }
    if (user?.mustChangePassword && pathname !== PASSWORD_PAGE && !pathname.startsWith('/api/') && !isPublic) {
      return withSecurityHeaders(NextResponse.redirect(new URL(PASSWORD_PAGE, origin)), csp);
    }
    // Next.js reads the nonce from the request's CSP header and puts it on the scripts it renders.
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set('content-security-policy', csp);
    requestHeaders.set('x-nonce', nonce);
    return withSecurityHeaders(NextResponse.next({ request: { headers: requestHeaders } }), csp);
  }) as unknown as Handler,
);

export async function proxy(request: NextRequest, event: NextFetchEvent) {
  const handler = await authorized;
  return handler(request, event);
}

export const config = {
  matcher: ['/((?!api/auth|api/admin/import|_next/static|_next/image|favicon.ico|robots.txt).*)'],
};
