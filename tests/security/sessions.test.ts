// Issue 11, item 2: sessions can be revoked. The token names a session row; sign-out, disabling, a password reset and a
// role change end it at once; the role comes from the database; lifetimes are enforced; forged or unknown fail closed.
import fs from 'node:fs';
import path from 'node:path';
import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { setUserActive, setUserRole, resetUserPassword } from '@/lib/queries/users';
import { addUser, get, signInOverHttp, type TestServer, startServer } from './support';

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

const sessionRow = (userId: number) => server.db().$client.prepare('SELECT * FROM sessions WHERE user_id = ? ORDER BY created_at DESC').get(userId) as { id: string; revoked_reason: string | null };

describe('revocable sessions', () => {
  test('after sign-out the old cookie no longer gets a session: /compare redirects to sign-in', async () => {
    const { user, jar } = await signedIn();
    const stolen = jar.header();
    const out = await fetch(`${server.baseUrl}/api/sign-out`, { method: 'POST', redirect: 'manual', headers: { cookie: stolen, origin: server.baseUrl } });
    expect(out.status).toBe(303);
    const replay = await fetch(`${server.baseUrl}/compare`, { redirect: 'manual', headers: { cookie: stolen } });
    expect(replay.status).toBe(307);
    expect(replay.headers.get('location')).toContain('/sign-in');
    expect(sessionRow(user.id).revoked_reason).toBe('signed_out');
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
    expect(sessionRow(user.id).revoked_reason).toBe('signed_out');
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
    server.db().$client.prepare("UPDATE users SET role = 'viewer' WHERE id = ?").run(user.id);
    const after = await get(server.baseUrl, '/admin/users', jar);
    // The page streams, so the refusal is a redirect inside the body (or a Location header when not streamed).
    expect(after.headers.get('location') ?? (await after.text())).toContain('/forbidden');
    expect(server.db().$client.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'forbidden' AND user_id = ?").pluck().get(user.id)).toBe(1);
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
    server.db().$client.prepare("UPDATE users SET role = 'superuser' WHERE id = ?").run(user.id);
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
    server.db().$client.prepare('UPDATE sessions SET expires_at = ? WHERE id = ?').run(Date.now() - 1000, sessionRow(a.user.id).id);
    expect((await get(server.baseUrl, '/compare', a.jar)).status).toBe(307);
    expect(sessionRow(a.user.id).revoked_reason).toBe('expired');
    const b = await signedIn();
    server.db().$client.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ?').run(Date.now() - 31 * 60 * 1000, sessionRow(b.user.id).id);
    expect((await get(server.baseUrl, '/compare', b.jar)).status).toBe(307);
    expect(sessionRow(b.user.id).revoked_reason).toBe('idle');
  });

  test('a new session lasts 12 hours at most from sign-in, however often it is used', async () => {
    const { user, jar } = await signedIn();
    for (let i = 0; i < 3; i++) await get(server.baseUrl, '/compare', jar);
    const row = server.db().$client.prepare('SELECT created_at, expires_at FROM sessions WHERE user_id = ?').get(user.id) as { created_at: number; expires_at: number };
    expect(row.expires_at - row.created_at).toBe(12 * 60 * 60 * 1000);
  });
});
