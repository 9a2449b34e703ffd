// Every page except sign-in needs a session: unauthenticated page requests go to /sign-in, API requests get 401.
// Pages, actions and route handlers still check the role themselves (lib/auth/session.ts).
import { NextResponse, type NextFetchEvent, type NextRequest } from 'next/server';
import { auth } from '@/lib/auth';

type Handler = (request: NextRequest, event: NextFetchEvent) => Promise<Response | undefined> | Response | undefined;

// With a lazily built Auth.js config, auth(callback) resolves to the wrapped handler asynchronously.
const authorized: Promise<Handler> = Promise.resolve(
  auth((request) => {
    if (request.auth) return NextResponse.next();
    const { pathname, search } = request.nextUrl;
    if (pathname.startsWith('/api/')) {
      return NextResponse.json({ error: 'unauthenticated', message: 'Sign in first.' }, { status: 401 });
    }
    const url = new URL('/sign-in', request.nextUrl.origin);
    url.searchParams.set('callbackUrl', `${pathname}${search}`);
    return NextResponse.redirect(url);
  }) as unknown as Handler,
);

export async function proxy(request: NextRequest, event: NextFetchEvent) {
  const handler = await authorized;
  return handler(request, event);
}

export const config = {
  matcher: ['/((?!sign-in|api/auth|_next/static|_next/image|favicon.ico|robots.txt).*)'],
};
