// Auth.js (next-auth v5) with a username/password provider checked against bcrypt hashes in SQLite, JWT sessions that
// carry the user's role, failed sign-ins rate-limited and every attempt written to the audit log.
import NextAuth, { CredentialsSignin, type DefaultSession } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { z } from 'zod';
import { getDatabase } from '@/db/client';
import { recordAudit } from '@/lib/queries/audit';
import { findUserByCredentials } from '@/lib/queries/users';
import { isRole, type Role } from './permissions';
import { isSignInBlocked, recordSignInAttempt } from './rate-limit';
import { readAuthSecret } from './secret';

declare module 'next-auth' {
  interface User {
    role?: Role;
  }
  interface Session {
    user: { id: string; role: Role } & DefaultSession['user'];
  }
}

class RateLimitedSignIn extends CredentialsSignin {
  code = 'rate_limited';
}

const credentialsSchema = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});

function clientKeyOf(request: Request | undefined): string {
  const forwarded = request?.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || request?.headers.get('x-real-ip') || 'local';
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: readAuthSecret(),
  trustHost: true,
  session: { strategy: 'jwt', maxAge: 8 * 60 * 60 },
  pages: { signIn: '/sign-in' },
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
        if (!parsed.success) return null;
        const { username, password } = parsed.data;
        const db = getDatabase();
        const clientKey = clientKeyOf(request);
        if (isSignInBlocked(db, username, clientKey)) {
          recordAudit(db, { username, action: 'sign_in_blocked', detail: { clientKey } });
          throw new RateLimitedSignIn();
        }
        const user = findUserByCredentials(db, username, password);
        recordSignInAttempt(db, username, clientKey, user !== null);
        recordAudit(db, { userId: user?.id ?? null, username, action: user ? 'sign_in' : 'sign_in_failed', detail: { clientKey } });
        if (!user) return null;
        return { id: String(user.id), name: user.displayName, role: user.role };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.role = user.role;
        token.uid = user.id;
      }
      return token;
    },
    session({ session, token }) {
      session.user.id = String(token.uid ?? token.sub ?? '');
      session.user.role = isRole(token.role) ? token.role : 'viewer';
      return session;
    },
  },
}));
