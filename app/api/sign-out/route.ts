// Sign-out: clears the session cookie and returns to the sign-in page. Only same-origin form posts are accepted.
import { NextResponse } from 'next/server';
import { signOut } from '@/lib/auth';
import { currentUser } from '@/lib/auth/session';
import { getDatabase } from '@/db/client';
import { recordAudit } from '@/lib/queries/audit';

export async function POST(request: Request) {
  const origin = request.headers.get('origin');
  if (origin && origin !== new URL(request.url).origin && origin !== `${request.headers.get('x-forwarded-proto') ?? 'http'}://${request.headers.get('host')}`) {
    return NextResponse.json({ error: 'forbidden', message: 'Cross-site sign-out refused.' }, { status: 403 });
  }
  const user = await currentUser();
  if (user) recordAudit(getDatabase(), { userId: user.id, username: user.name, action: 'sign_out' });
  await signOut({ redirect: false });
  return NextResponse.redirect(new URL('/sign-in', request.url), 303);
}
