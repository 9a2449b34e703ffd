// Failed sign-ins are limited per username and per client address within a sliding window (temporary database).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type AppDatabase } from '@/db/client';
import { applyMigrations } from '@/db/migrate';
import { MAX_FAILURES_PER_CLIENT, MAX_FAILURES_PER_USERNAME, SIGN_IN_WINDOW_MS, isSignInBlocked, recordSignInAttempt } from '@/lib/auth/rate-limit';

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
  test('the limits are 5 failures per username and 20 per client address in 15 minutes', () => {
    expect([MAX_FAILURES_PER_USERNAME, MAX_FAILURES_PER_CLIENT, SIGN_IN_WINDOW_MS]).toEqual([5, 20, 15 * 60 * 1000]);
  });

  test(`blocks a username after ${MAX_FAILURES_PER_USERNAME} failures within the window, and not before`, () => {
    const now = Date.now();
    for (let i = 0; i < MAX_FAILURES_PER_USERNAME - 1; i++) recordSignInAttempt(db, 'viewer', `client-${i}`, false, now);
    expect(isSignInBlocked(db, 'viewer', 'client-x', now)).toBe(false);
    recordSignInAttempt(db, 'viewer', 'client-last', false, now);
    expect(isSignInBlocked(db, 'viewer', 'client-x', now)).toBe(true);
    expect(isSignInBlocked(db, 'admin', 'client-x', now)).toBe(false);
  });

  test('failures older than the window no longer count', () => {
    const now = Date.now();
    expect(isSignInBlocked(db, 'viewer', 'client-x', now + SIGN_IN_WINDOW_MS + 1000)).toBe(false);
  });

  test(`blocks a client address after ${MAX_FAILURES_PER_CLIENT} failures across usernames`, () => {
    const now = Date.now();
    for (let i = 0; i < MAX_FAILURES_PER_CLIENT - 1; i++) recordSignInAttempt(db, `user-${i}`, '10.0.0.9', false, now);
    expect(isSignInBlocked(db, 'someone-new', '10.0.0.9', now)).toBe(false);
    recordSignInAttempt(db, 'user-last', '10.0.0.9', false, now);
    expect(isSignInBlocked(db, 'someone-new', '10.0.0.9', now)).toBe(true);
    expect(isSignInBlocked(db, 'someone-new', '10.0.0.10', now)).toBe(false);
  });

  test('successful sign-ins do not count towards the limit', () => {
    const now = Date.now();
    for (let i = 0; i < 10; i++) recordSignInAttempt(db, 'analyst', 'client-ok', true, now);
    expect(isSignInBlocked(db, 'analyst', 'client-ok', now)).toBe(false);
  });
});
