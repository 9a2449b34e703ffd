// The session check of a page request, without Auth.js's whole session round trip. Auth.js answers a proxy's auth()
// by running its session endpoint: a CSRF token (a SHA-256), the token decrypted (HKDF, AES-CBC, HMAC) and encrypted
// again for a fresh cookie, all through WebCrypto; on a cached page that was most of the request's CPU. Here a token
// is decrypted once and its claims remembered (a token's content never changes; until its `exp`), and the session row
// is still read on every request (lib/queries/sessions.ts checkSession): sign-out, revocation, a disabled account or
// a role change apply at once, as before. The cookie is not re-issued: the session's lifetime is the row's absolute
// expiry (SESSION_MAX_HOURS from sign-in, which is also the token's), and idleness is the row's last-seen time.
// Anything unusual (no cookie, a split cookie, a token that does not decrypt, a dead session) answers null, and the
// proxy then asks Auth.js as before.
import 'server-only';
import { decode } from 'next-auth/jwt';
import { getDatabase } from '@/lib/queries/database';
import { secureCookies } from '@/lib/env';
import { checkSession } from '@/lib/queries/sessions';
import { isRole, type Role } from './permissions';
import { readAuthSecret } from './secret';
import { sessionLimits } from './session-limits';

export interface PageSessionUser {
  id: string;
  name: string;
  role: Role;
  mustChangePassword: boolean;
}

interface Claims {
  sid: string;
  uid: number;
  /** ms since the epoch. */
  expiresAt: number;
}

const MAX_REMEMBERED = 10_000;
const state = globalThis as unknown as { pageSessionClaims?: Map<string, Claims> };
const remembered = (state.pageSessionClaims ??= new Map<string, Claims>());

/** Auth.js's session cookie name; also the salt of its token's key. */
export function sessionCookieName(secure = secureCookies()): string {
  return `${secure ? '__Secure-' : ''}authjs.session-token`;
}

async function claimsOf(token: string, cookieName: string, now: number): Promise<Claims | null> {
  const known = remembered.get(token);
  if (known) {
    if (known.expiresAt > now) return known;
    remembered.delete(token);
    return null;
  }
  let payload: Record<string, unknown> | null;
  try {
    payload = await decode<Record<string, unknown>>({ token, secret: readAuthSecret(), salt: cookieName });
  } catch {
    return null;
  }
  if (!payload || typeof payload.sid !== 'string' || typeof payload.uid !== 'number' || typeof payload.exp !== 'number') return null;
  const claims = { sid: payload.sid, uid: payload.uid, expiresAt: payload.exp * 1000 };
  if (remembered.size >= MAX_REMEMBERED) remembered.clear();
  remembered.set(token, claims);
  return claims;
}

/**
 * The signed-in user of a request from its session cookie and a live session row, or null when that cannot be
 * decided here (the caller then runs Auth.js's full check, which also signs a dead session out).
 */
export async function pageSessionUser(cookies: { get(name: string): { value: string } | undefined }, now = Date.now()): Promise<PageSessionUser | null> {
  const cookieName = sessionCookieName();
  const token = cookies.get(cookieName)?.value;
  if (!token || cookies.get(`${cookieName}.0`)) return null;
  const claims = await claimsOf(token, cookieName, now);
  if (!claims) return null;
  const live = await checkSession(getDatabase(), claims.sid, sessionLimits(), now);
  if (live?.userId !== claims.uid || !isRole(live.role)) return null;
  return { id: String(live.userId), name: live.displayName, role: live.role, mustChangePassword: live.mustChangePassword };
}
