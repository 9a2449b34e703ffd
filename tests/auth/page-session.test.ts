// The proxy's session check of page views without Auth.js's round trip (lib/auth/page-session.ts): a token Auth.js
// issued is decrypted and its claims remembered, but the session row is read on every request, so a revoked session,
// a disabled account or a changed role apply to the very next request; anything it cannot decide answers null (the
// proxy then asks Auth.js). Temporary database, tokens made with Auth.js's own encoder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AppDatabase } from '@/db/client';

// lib/env reads these at its first import.
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'page-session-'));
process.env.DATABASE_PATH = path.join(folder, 'auth.db');
process.env.AUTH_SECRET = 'page-session-test-secret-0123456789abcdef';

let db: AppDatabase;
let pageSessionUser: typeof import('@/lib/auth/page-session').pageSessionUser;
let cookieName: string;
let encode: typeof import('next-auth/jwt').encode;
let sessions: typeof import('@/lib/queries/sessions');
let limits: import('@/lib/queries/sessions').SessionLimits;
let analystId: number;
let viewerId: number;

const jar = (cookies: Record<string, string>) => ({ get: (name: string) => (name in cookies ? { value: cookies[name]! } : undefined) });
const tokenFor = (claims: Record<string, unknown>, maxAge = 3600) => encode({ token: claims, secret: process.env.AUTH_SECRET!, salt: cookieName, maxAge });

beforeAll(async () => {
  const { getSqliteDatabase } = await import('@/db/client');
  const { applyMigrations } = await import('@/db/migrate');
  const { ensureDemoUsers } = await import('@/lib/auth/demo-users');
  db = getSqliteDatabase();
  applyMigrations(db);
  await ensureDemoUsers(db);
  ({ encode } = await import('next-auth/jwt'));
  const pageSession = await import('@/lib/auth/page-session');
  pageSessionUser = pageSession.pageSessionUser;
  cookieName = pageSession.sessionCookieName();
  sessions = await import('@/lib/queries/sessions');
  limits = (await import('@/lib/auth/session-limits')).sessionLimits();
  const id = (name: string) => db.$client.prepare('SELECT id FROM users WHERE username = ?').pluck().get(name) as number;
  [analystId, viewerId] = [id('analyst'), id('viewer')];
});
afterAll(() => {
  db.$client.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

describe('page-view session check', () => {
  test('a live session gives its user, with the name and role read from the database on every request', async () => {
    const sid = await sessions.createSession(db, analystId, limits);
    const cookies = jar({ [cookieName]: await tokenFor({ sid, uid: analystId }) });
    expect(await pageSessionUser(cookies)).toEqual({ id: String(analystId), name: expect.any(String) as string, role: 'analyst', mustChangePassword: false });
    db.$client.prepare("UPDATE users SET role = 'viewer' WHERE id = ?").run(analystId);
    expect((await pageSessionUser(cookies))?.role).toBe('viewer');
    db.$client.prepare("UPDATE users SET role = 'analyst' WHERE id = ?").run(analystId);
    db.$client.prepare('UPDATE users SET must_change_password = 1 WHERE id = ?').run(analystId);
    expect((await pageSessionUser(cookies))?.mustChangePassword).toBe(true);
    db.$client.prepare('UPDATE users SET must_change_password = 0 WHERE id = ?').run(analystId);
  });

  test('a revoked session and a disabled account end at the next request, although the token was remembered', async () => {
    const sid = await sessions.createSession(db, viewerId, limits);
    const cookies = jar({ [cookieName]: await tokenFor({ sid, uid: viewerId }) });
    expect((await pageSessionUser(cookies))?.id).toBe(String(viewerId));
    await sessions.revokeSession(db, sid, 'signed_out');
    expect(await pageSessionUser(cookies)).toBeNull();

    const second = await sessions.createSession(db, viewerId, limits);
    const again = jar({ [cookieName]: await tokenFor({ sid: second, uid: viewerId }) });
    expect(await pageSessionUser(again)).not.toBeNull();
    db.$client.prepare('UPDATE users SET active = 0 WHERE id = ?').run(viewerId);
    expect(await pageSessionUser(again)).toBeNull();
    db.$client.prepare('UPDATE users SET active = 1 WHERE id = ?').run(viewerId);
  });

  test("a token naming another user's session, an expired token, a forged one, a split cookie and none: null", async () => {
    const sid = await sessions.createSession(db, viewerId, limits);
    expect(await pageSessionUser(jar({ [cookieName]: await tokenFor({ sid, uid: analystId }) }))).toBeNull();
    expect(await pageSessionUser(jar({ [cookieName]: await tokenFor({ sid, uid: viewerId }, -60) }))).toBeNull();
    const other = await encode({ token: { sid, uid: viewerId }, secret: 'another-secret-entirely-0123456789abcdef', salt: cookieName, maxAge: 3600 });
    expect(await pageSessionUser(jar({ [cookieName]: other }))).toBeNull();
    expect(await pageSessionUser(jar({ [cookieName]: 'not-a-token' }))).toBeNull();
    const valid = await tokenFor({ sid, uid: viewerId });
    expect(await pageSessionUser(jar({ [cookieName]: valid, [`${cookieName}.0`]: 'x' }))).toBeNull();
    expect(await pageSessionUser(jar({}))).toBeNull();
    expect((await pageSessionUser(jar({ [cookieName]: valid })))?.id).toBe(String(viewerId));
  });

  test('a remembered token is dropped at its expiry', async () => {
    const sid = await sessions.createSession(db, viewerId, limits);
    const cookies = jar({ [cookieName]: await tokenFor({ sid, uid: viewerId }, 60) });
    expect(await pageSessionUser(cookies)).not.toBeNull();
    expect(await pageSessionUser(cookies, Date.now() + 61_000)).toBeNull();
  });
});
