// Failed sign-ins: progressive delays per username, a hard limit per client address within a window (temporary database).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type AppDatabase } from '@/db/client';
import { applyMigrations } from '@/db/migrate';
import { MAX_FAILURES_PER_CLIENT, SIGN_IN_WINDOW_MS, checkSignInGate, isSignInBlocked, recordSignInAttempt, usernameDelayMs } from '@/lib/auth/rate-limit';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'auth-rate-'));
let db: AppDatabase;

beforeAll(() => {
  db = openDatabase(path.join(folder, 'auth.db'));
  applyMigrations(db);
});
afterAll(() => {
  db.$client.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

describe('rate limiting of failed sign-ins', () => {
  test('the username delay doubles after three failures and stops at 30 s; the client limit is 20 in 15 minutes', async () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10, 20].map(usernameDelayMs)).toEqual([0, 0, 0, 1000, 2000, 4000, 8000, 30_000, 30_000]);
    expect([MAX_FAILURES_PER_CLIENT, SIGN_IN_WINDOW_MS]).toEqual([20, 15 * 60 * 1000]);
  });

  test('a username is delayed, never locked: after five failures the next try waits 4 s, then is allowed', async () => {
    const now = Date.now();
    for (let i = 0; i < 5; i++) await recordSignInAttempt(db, 'viewer', `client-${i}`, false, now - 10 + i);
    const gate = await checkSignInGate(db, 'viewer', 'client-x', now);
    expect(gate).toMatchObject({ allowed: false, reason: 'username_delay' });
    expect(gate.allowed === false && gate.retryAfterMs).toBeGreaterThan(3900);
    expect((await checkSignInGate(db, 'viewer', 'client-x', now + 4000)).allowed).toBe(true);
    expect(await isSignInBlocked(db, 'admin', 'client-x', now)).toBe(false);
  });

  test('a success clears the delay, and failures older than the window no longer count', async () => {
    const now = Date.now();
    for (let i = 0; i < 6; i++) await recordSignInAttempt(db, 'analyst', 'client-a', false, now - 100 + i);
    expect(await isSignInBlocked(db, 'analyst', 'client-b', now)).toBe(true);
    expect(await isSignInBlocked(db, 'analyst', 'client-b', now + SIGN_IN_WINDOW_MS + 1000)).toBe(false);
    await recordSignInAttempt(db, 'analyst', 'client-a', true, now + 1);
    expect(await isSignInBlocked(db, 'analyst', 'client-b', now + 2)).toBe(false);
  });

  test(`blocks a client address after ${MAX_FAILURES_PER_CLIENT} failures across usernames`, async () => {
    const now = Date.now();
    for (let i = 0; i < MAX_FAILURES_PER_CLIENT - 1; i++) await recordSignInAttempt(db, `user-${i}`, '10.0.0.9', false, now);
    expect(await isSignInBlocked(db, 'someone-new', '10.0.0.9', now)).toBe(false);
    await recordSignInAttempt(db, 'user-last', '10.0.0.9', false, now);
    expect(await checkSignInGate(db, 'someone-new', '10.0.0.9', now)).toMatchObject({ allowed: false, reason: 'client_limit' });
    expect(await isSignInBlocked(db, 'someone-new', '10.0.0.10', now)).toBe(false);
  });
});
