// Sign-out: ends the session row (so the old cookie no longer works anywhere), clears the cookie and returns to the
// sign-in page on the host the user is on. Only same-origin form posts are accepted.
import { NextResponse } from 'next/server';
import { signOut } from '@/lib/auth';
import { isSameOriginRequest, trustedOriginOf } from '@/lib/auth/request-origin';
import { currentUser } from '@/lib/auth/session';
import { getSqliteDatabase } from '@/lib/queries/database';
import { recordAudit } from '@/lib/queries/audit';

export async function POST(request: Request) {
  if (!isSameOriginRequest(request)) {
    recordAudit(getSqliteDatabase(), { action: 'refused_cross_origin', target: '/api/sign-out' });
    return NextResponse.json({ error: 'forbidden', message: 'Cross-site sign-out refused.' }, { status: 403 });
  }
  const user = await currentUser();
  if (user) recordAudit(getSqliteDatabase(), { userId: user.id, username: user.name, action: 'sign_out' });
  await signOut({ redirect: false }); // events.signOut in lib/auth revokes the session row
  return NextResponse.redirect(new URL('/sign-in', trustedOriginOf(request.headers, new URL(request.url).origin)), 303);
}
