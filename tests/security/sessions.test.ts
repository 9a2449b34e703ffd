// Issue 11, item 2: sessions can be revoked. The token names a session row; sign-out, disabling, a password reset and a
// role change end it at once; the role comes from the database; lifetimes are enforced; forged or unknown fail closed.
import fs from 'node:fs';
import path from 'node:path';
import { encode } from 'next-auth/jwt';
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { storeOf } from '@/db/store';
import type { Role } from '@/lib/auth/permissions';
import { setUserActive, setUserRole, resetUserPassword } from '@/lib/queries/users';
import { addUser, auditCount, get, signInOverHttp, type TestServer, startServer } from './support';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ SESSION_IDLE_MINUTES: '30' });
});
afterAll(async () => {
  await server?.stop();
});

async function signedIn(role: 'viewer' | 'analyst' | 'admin' = 'analyst') {
  const user = await addUser(server, role);
  const { jar, response } = await signInOverHttp(server.baseUrl, user.username, user.password);
  expect(response.status).toBe(302);
  expect((await get(server.baseUrl, '/compare', jar)).status).toBe(200);
  return { user, jar };
}

// Rows and changes through the store, on the server's back end (SQLite, or PostgreSQL with E2E_BACKEND=pg).
async function sessionRow(userId: number) {
  const { q, sessions } = storeOf(server.db());
  const [row] = await q.select().from(sessions).where(eq(sessions.userId, userId)).orderBy(desc(sessions.createdAt)).limit(1);
  if (!row) throw new Error(`no session for user ${userId}`);
  return row;
}
/** Writes the role straight into the users table: no revocation, as a database administrator's UPDATE would. */
async function writeRole(userId: number, role: string) {
  const { q, users } = storeOf(server.db());
  await q.update(users).set({ role: role as Role }).where(eq(users.id, userId));
}
async function setSession(id: string, values: { expiresAt?: Date; lastSeenAt?: Date }) {
  const { q, sessions } = storeOf(server.db());
  await q.update(sessions).set(values).where(eq(sessions.id, id));
}

describe('revocable sessions', () => {
  test('after sign-out the old cookie no longer gets a session: /compare redirects to sign-in', async () => {
    const { user, jar } = await signedIn();
    const stolen = jar.header();
    const out = await fetch(`${server.baseUrl}/api/sign-out`, { method: 'POST', redirect: 'manual', headers: { cookie: stolen, origin: server.baseUrl } });
    expect(out.status).toBe(303);
    const replay = await fetch(`${server.baseUrl}/compare`, { redirect: 'manual', headers: { cookie: stolen } });
    expect(replay.status).toBe(307);
    expect(replay.headers.get('location')).toContain('/sign-in');
    expect((await sessionRow(user.id)).revokedReason).toBe('signed_out');
  });

  test("Auth.js's own sign-out revokes the session too", async () => {
    const { user, jar } = await signedIn();
    const stolen = jar.header();
    const { csrfToken } = (await (await get(server.baseUrl, '/api/auth/csrf', jar)).json()) as { csrfToken: string };
    await fetch(`${server.baseUrl}/api/auth/signout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrfToken }),
    });
    expect((await fetch(`${server.baseUrl}/compare`, { redirect: 'manual', headers: { cookie: stolen } })).status).toBe(307);
    expect((await sessionRow(user.id)).revokedReason).toBe('signed_out');
  });

  test('demoting an admin in the database takes effect on the next request, and ends the session', async () => {
    const { user, jar } = await signedIn('admin');
    expect((await get(server.baseUrl, '/admin/users', jar)).status).toBe(200);
    await setUserRole(server.db(), user.id, 'viewer');
    const after = await get(server.baseUrl, '/admin/users', jar);
    expect(after.status).toBe(307);
    expect(after.headers.get('location')).toContain('/sign-in');
  });

  test('a role changed directly in the table (no revocation) is still read from the database on the next request', async () => {
    const { user, jar } = await signedIn('admin');
    await writeRole(user.id, 'viewer');
    const after = await get(server.baseUrl, '/admin/users', jar);
    // The page streams, so the refusal is a redirect inside the body (or a Location header when not streamed).
    expect(after.headers.get('location') ?? (await after.text())).toContain('/forbidden');
    expect(await auditCount(server, { action: 'forbidden', userId: user.id })).toBe(1);
  });

  test('disabling a user and resetting a password end their sessions at once', async () => {
    const a = await signedIn();
    await setUserActive(server.db(), a.user.id, false);
    expect((await get(server.baseUrl, '/compare', a.jar)).status).toBe(307);
    const b = await signedIn();
    await resetUserPassword(server.db(), b.user.id, 'Another-Temporary-Pass-77');
    expect((await get(server.baseUrl, '/compare', b.jar)).status).toBe(307);
  });

  test('an unknown role fails closed instead of falling back to viewer', async () => {
    const { user, jar } = await signedIn();
    await writeRole(user.id, 'superuser');
    expect((await get(server.baseUrl, '/compare', jar)).status).toBe(307);
  });

  test('a correctly signed token for a user or session that does not exist is refused', async () => {
    const secret = fs.readFileSync(path.join(server.folder, 'auth-secret'), 'utf8').trim();
    const salt = 'authjs.session-token';
    const forged = await encode({ secret, salt, token: { sid: 'no-such-session', uid: 999_999, role: 'admin', name: 'Forged' } });
    const response = await fetch(`${server.baseUrl}/compare`, { redirect: 'manual', headers: { cookie: `${salt}=${forged}` } });
    expect(response.status).toBe(307);
    // A token without any session id, as the old code issued, is refused as well.
    const legacy = await encode({ secret, salt, token: { uid: 1, role: 'admin', name: 'Old token' } });
    expect((await fetch(`${server.baseUrl}/compare`, { redirect: 'manual', headers: { cookie: `${salt}=${legacy}` } })).status).toBe(307);
  });

  test('the absolute lifetime and the idle timeout end a session whatever the token says', async () => {
    const a = await signedIn();
    await setSession((await sessionRow(a.user.id)).id, { expiresAt: new Date(Date.now() - 1000) });
    expect((await get(server.baseUrl, '/compare', a.jar)).status).toBe(307);
    expect((await sessionRow(a.user.id)).revokedReason).toBe('expired');
    const b = await signedIn();
    await setSession((await sessionRow(b.user.id)).id, { lastSeenAt: new Date(Date.now() - 31 * 60 * 1000) });
    expect((await get(server.baseUrl, '/compare', b.jar)).status).toBe(307);
    expect((await sessionRow(b.user.id)).revokedReason).toBe('idle');
  });

  test('a new session lasts 12 hours at most from sign-in, however often it is used', async () => {
    const { user, jar } = await signedIn();
    for (let i = 0; i < 3; i++) await get(server.baseUrl, '/compare', jar);
    const row = await sessionRow(user.id);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(12 * 60 * 60 * 1000);
  });
});
