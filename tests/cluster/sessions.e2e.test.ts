// Issue 17: the app's state in PostgreSQL. Two instances of the built app (`next start` on .next-e2e, each with its own
// copy of the dataset file, as two web machines would have) with DATABASE_URL=postgres://… share accounts, sessions,
// revocations, the sign-in rate limit, the audit log and the admin's model limits: a session opened on A works on B;
// sign-out on A, and an account disabled or demoted while signed in, end it on B at the next request; failed sign-ins
// on both count towards one limit; an audit row written by A is on B's audit page; limits saved by one are shown by
// the other. Skips with the reason printed where PostgreSQL cannot start.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { applyPgMigrations, openPgDatabase, type PgDatabase } from '@/db/pg';
import { storeOf } from '@/db/store';
import { ensureDemoUsers } from '@/lib/auth/demo-users';
import { saveModelLimits } from '@/lib/queries/settings';
import { createUser, setUserRole } from '@/lib/queries/users';
import { startPostgres } from '../support/postgres';
import { get, signInOverHttp, startServer, type CookieJar, type TestServer } from '../security/support';

const root = path.resolve(import.meta.dirname, '..', '..');
const started = await startPostgres();
if (!started.ok) console.warn(`[cluster tests] skipped: PostgreSQL cannot start here: ${started.reason}`);

describe.skipIf(!started.ok)('two web instances share the app state in PostgreSQL', () => {
  const pg = started.ok ? started.pg : null!;
  let db: PgDatabase;
  let a: TestServer;
  let b: TestServer;
  let counter = 0;
  const password = 'Cluster-Session-Passphrase-17';

  beforeAll(async () => {
    db = openPgDatabase(pg.url);
    await applyPgMigrations(db);
    expect(await ensureDemoUsers(db)).toBe('created');
    const env = { DATABASE_URL: pg.url };
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.$client.end();
    pg?.stop();
  });

  const newUser = async (role: 'viewer' | 'analyst' | 'admin' = 'viewer') => {
    const username = `cluster-${role}-${++counter}`;
    const id = await createUser(db, { username, displayName: `Cluster ${role} ${counter}`, role, password });
    return { id, username };
  };
  const signedIn = async (server: TestServer, username: string, pass = password) => {
    const { jar, response } = await signInOverHttp(server.baseUrl, username, pass);
    expect(response.headers.get('location') ?? '').not.toContain('error');
    return jar;
  };
  const compareStatus = async (server: TestServer, jar: CookieJar) => (await get(server.baseUrl, '/compare', jar)).status;
  const attempt = async (server: TestServer, username: string, pass: string) => (await signInOverHttp(server.baseUrl, username, pass)).response.headers.get('location') ?? '';

  test('accounts and sessions are in PostgreSQL, not in the instances’ SQLite files', async () => {
    const { q, users, sessions } = storeOf(db);
    expect((await q.select({ username: users.username }).from(users).orderBy(users.username)).map((u) => u.username)).toEqual(['admin', 'analyst', 'viewer']);
    const jar = await signedIn(a, 'analyst', 'analyst-demo');
    expect(await compareStatus(a, jar)).toBe(200);
    expect((await q.select().from(sessions)).length).toBeGreaterThanOrEqual(1);
    expect(a.sqlite().$client.prepare('SELECT COUNT(*) FROM sessions').pluck().get()).toBe(0);
  });

  test('a session opened on A works on B; sign-out on A ends it on B at the next request', async () => {
    const user = await newUser();
    const jar = await signedIn(a, user.username);
    expect(await compareStatus(b, jar)).toBe(200);
    const out = await fetch(`${a.baseUrl}/api/sign-out`, { method: 'POST', redirect: 'manual', headers: { cookie: jar.header(), origin: a.baseUrl } });
    expect(out.status).toBe(303);
    const replay = await fetch(`${b.baseUrl}/compare`, { redirect: 'manual', headers: { cookie: jar.header() } });
    expect(replay.status).toBe(307);
    expect(replay.headers.get('location')).toContain('/sign-in');
  });

  test('disabling an account (npm run user on any machine) ends its session on both instances at the next request', async () => {
    const user = await newUser();
    const jar = await signedIn(b, user.username);
    expect(await compareStatus(a, jar)).toBe(200);
    const cli = spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), ['--conditions=react-server', 'db/user.ts', 'disable', user.username], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: pg.url, DATABASE_PATH: a.databasePath },
      encoding: 'utf8',
    });
    expect(cli.stdout + cli.stderr).toContain(`Disabled ${user.username}`);
    expect(await compareStatus(a, jar)).toBe(307);
    expect(await compareStatus(b, jar)).toBe(307);
    // and it cannot sign in again, on either
    expect(await attempt(a, user.username, password)).toContain('error');
  });

  test('a role change ends the session everywhere: an admin demoted while signed in on A loses /admin/users on B', async () => {
    const user = await newUser('admin');
    const jar = await signedIn(a, user.username);
    expect((await get(b.baseUrl, '/admin/users', jar)).status).toBe(200);
    await setUserRole(db, user.id, 'viewer');
    const after = await get(b.baseUrl, '/admin/users', jar);
    expect(after.status).toBe(307);
    expect(after.headers.get('location')).toContain('/sign-in');
  });

  test('failed sign-ins on A and on B count towards one limit for the username', async () => {
    const user = await newUser();
    // Three failures are free over the whole cluster (two on A, one on B); the fourth waits, on either instance.
    const results = [await attempt(a, user.username, 'wrong-1'), await attempt(a, user.username, 'wrong-2'), await attempt(b, user.username, 'wrong-3'), await attempt(b, user.username, 'wrong-4'), await attempt(a, user.username, password)];
    expect(results.map((l) => l.includes('code=rate_limited'))).toEqual([false, false, false, true, true]);
    const { q, signInAttempts } = storeOf(db);
    expect((await q.select().from(signInAttempts).where(eq(signInAttempts.username, user.username))).length).toBe(3);
  });

  test("an audit row written on A is on B's audit page", async () => {
    const stranger = `nobody-${Date.now()}`;
    expect(await attempt(a, stranger, 'whatever')).toContain('error');
    const admin = await signedIn(b, 'admin', 'admin-demo');
    const page = await get(b.baseUrl, `/admin/audit?user=${stranger}`, admin);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(stranger);
    expect(a.sqlite().$client.prepare('SELECT COUNT(*) FROM audit_log WHERE username = ?').pluck().get(stranger)).toBe(0);
  });

  test('model limits saved through one instance are what the other shows (read through, no cache)', async () => {
    const admin = await signedIn(a, 'admin', 'admin-demo');
    const { q, users } = storeOf(db);
    const [row] = await q.select({ id: users.id }).from(users).where(eq(users.username, 'admin')).limit(1);
    await saveModelLimits(db, { maxConcurrent: 3, queueLimit: 17, perUserQueueLimit: 4, timeoutSeconds: 95 }, row!.id);
    const html = await (await get(b.baseUrl, '/admin/models', admin)).text();
    expect(html).toMatch(/value="17"/);
    expect(html).toMatch(/value="95"/);
  });
});
