// Auth.js's endpoints behind two checks of ours: a small body limit (a sign-in form is a few hundred bytes; nothing is
// buffered past 64 KB), and the request URL rebuilt on the public origin (AUTH_URL or the trusted Host), so that
// Auth.js redirects to the host the user typed rather than to the server's own name.
import { NextRequest } from 'next/server';
import { handlers } from '@/lib/auth';
import { BodyTooLarge, readBodyWithin, SMALL_BODY_BYTES, tooLargeResponse } from '@/lib/http/body-limit';
import { trustedOriginOf } from '@/lib/auth/request-origin';
import { env } from '@/lib/env';

async function onPublicOrigin(request: NextRequest, body?: Uint8Array): Promise<NextRequest> {
  const origin = trustedOriginOf(request.headers, request.nextUrl.origin);
  const url = `${origin}${request.nextUrl.pathname}${request.nextUrl.search}`;
  const init = { method: request.method, headers: request.headers, body: body && body.byteLength > 0 ? (body as BodyInit) : undefined };
  // With AUTH_URL set, next-auth rewrites the URL itself from request.nextUrl. Otherwise hand it a plain Request:
  // NextRequest would turn a 127.0.0.1 host into "localhost", and the user would land on another origin, signed out.
  if (env.AUTH_URL) return new NextRequest(url, init);
  return new Request(url, init) as unknown as NextRequest;
}

export async function GET(request: NextRequest) {
  return handlers.GET(await onPublicOrigin(request));
}

export async function POST(request: NextRequest) {
  let body: Uint8Array;
  try {
    body = await readBodyWithin(request, SMALL_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLarge) return tooLargeResponse(error.limit);
    return Response.json({ error: 'invalid_input', message: 'The request body could not be read.' }, { status: 400 });
  }
  return handlers.POST(await onPublicOrigin(request, body));
}
