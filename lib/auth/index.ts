// Auth.js (next-auth v5) with a username/password provider checked against bcrypt hashes in the configured database
// (SQLite, or PostgreSQL with DATABASE_URL, so any web instance honours any other's sessions). The signed token
// carries only a session id: every request looks the session and its user up (lib/queries/sessions.ts), so sign-out,
// disabling, password reset and role changes take effect at once and the role always comes from the database.
// Failed sign-ins are slowed per username, limited per socket address, and every attempt is in the audit log.
import 'server-only';
import NextAuth, { CredentialsSignin, type DefaultSession } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { z } from 'zod';
import { env, secureCookies } from '@/lib/env';
import { recordAudit } from '@/lib/queries/audit';
import { getDatabase } from '@/lib/queries/database';
import { checkSession, createSession, revokeSession } from '@/lib/queries/sessions';
import { sessionLimits } from './session-limits';
import { findUserByCredentials } from '@/lib/queries/users';
import { clientAddressOf } from './client-address';
import { isRole, type Role } from './permissions';
import { checkSignInGate, recordSignInAttempt } from './rate-limit';
import { safeCallbackPath } from './request-origin';
import { readAuthSecret } from './secret';

declare module 'next-auth' {
  interface User {
    role?: Role;
  }
  interface Session {
    user: { id: string; role: Role; mustChangePassword: boolean } & DefaultSession['user'];
  }
}

class RateLimitedSignIn extends CredentialsSignin {
  code = 'rate_limited';
}

const credentialsSchema = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});


export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: readAuthSecret(),
  // Host headers are trustworthy here: the server discards forwarded headers unless TRUST_PROXY says otherwise
  // (lib/auth/client-address.ts), and AUTH_URL, when set, overrides them.
  trustHost: true,
  useSecureCookies: secureCookies(),
  session: { strategy: 'jwt', maxAge: Math.ceil(env.SESSION_MAX_HOURS * 60 * 60) },
  pages: { signIn: '/sign-in', error: '/sign-in' },
  // A wrong password is an expected event, already in the audit log: keep it out of the server's error output.
  logger: {
    error(error) {
      if (error instanceof CredentialsSignin || (error as { type?: string }).type === 'CredentialsSignin') return;
      console.error('[auth]', error);
    },
  },
  providers: [
    Credentials({
      credentials: { username: {}, password: {} },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        const db = getDatabase();
        const clientKey = clientAddressOf(request.headers);
        if (!parsed.success) {
          await recordAudit(db, { action: 'sign_in_failed', detail: { clientKey, reason: 'malformed' } });
          return null;
        }
        const { username, password } = parsed.data;
        const gate = await checkSignInGate(db, username, clientKey);
        if (!gate.allowed) {
          await recordAudit(db, { username, action: 'sign_in_blocked', detail: { clientKey, reason: gate.reason, retryAfterMs: gate.retryAfterMs } });
          throw new RateLimitedSignIn();
        }
        const user = await findUserByCredentials(db, username, password);
        await recordSignInAttempt(db, username, clientKey, user !== null);
        await recordAudit(db, { userId: user?.id ?? null, username, action: user ? 'sign_in' : 'sign_in_failed', detail: { clientKey } });
        if (!user) return null;
        return { id: String(user.id), name: user.displayName, role: user.role };
      },
    }),
  ],
  events: {
    async signOut(message) {
      const token = 'token' in message ? message.token : null;
      if (typeof token?.sid === 'string') await revokeSession(getDatabase(), token.sid, 'signed_out');
    },
  },
  callbacks: {
    async jwt({ token, user }) {
      const db = getDatabase();
      if (user) {
        // A fresh sign-in: open a session row; the token carries only its id (and the user id for the audit log).
        return { sid: await createSession(db, Number(user.id), sessionLimits()), uid: Number(user.id), iat: Math.floor(Date.now() / 1000) };
      }
      const live = await checkSession(db, token.sid, sessionLimits(), Date.now());
      if (!live || live.userId !== token.uid) return null; // revoked, expired, idle, disabled, unknown: fail closed
      return { ...token, name: live.displayName, role: live.role, username: live.username, mustChangePassword: live.mustChangePassword };
    },
    session({ session, token }) {
      if (!isRole(token.role)) throw new Error('session without a known role');
      session.user.id = String(token.uid);
      session.user.role = token.role;
      session.user.name = typeof token.name === 'string' ? token.name : '';
      session.user.mustChangePassword = token.mustChangePassword === true;
      return session;
    },
    redirect({ url, baseUrl }) {
      // Only paths on this site: an absolute URL of our own origin becomes its path, anything else goes home.
      const path = url.startsWith(`${baseUrl}/`) ? url.slice(baseUrl.length) : url;
      return `${baseUrl}${safeCallbackPath(path)}`;
    },
  },
}));
