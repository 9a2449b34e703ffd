// Passwords are stored as bcrypt hashes; failed sign-ins are limited per username and per client address.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type AppDatabase } from '@/db/client';
import { applyMigrations } from '@/db/migrate';
import { DEMO_ACCOUNTS, ensureDemoUsers } from '@/lib/auth/demo-users';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { MAX_FAILURES_PER_CLIENT, MAX_FAILURES_PER_USERNAME, SIGN_IN_WINDOW_MS, isSignInBlocked, recordSignInAttempt } from '@/lib/auth/rate-limit';
import { findUserByCredentials, listUsers } from '@/lib/queries/users';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'auth-'));
let db: AppDatabase;

beforeAll(() => {
  db = openDatabase(path.join(folder, 'auth.db'));
  applyMigrations(db);
  ensureDemoUsers(db);
});
afterAll(() => {
  db.$client.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

describe('passwords', () => {
  test('are stored as bcrypt hashes, never in clear', () => {
    const stored = db.$client.prepare('SELECT username, password_hash FROM users').all() as Array<{ username: string; password_hash: string }>;
    expect(stored).toHaveLength(DEMO_ACCOUNTS.length);
    for (const row of stored) {
      expect(row.password_hash).toMatch(/^\$2[aby]\$10\$/);
      expect(row.password_hash).not.toContain(DEMO_ACCOUNTS.find((a) => a.username === row.username)!.password);
    }
  });

  test('verify only the right password', () => {
    const hash = hashPassword('correct horse');
    expect(verifyPassword('correct horse', hash)).toBe(true);
    expect(verifyPassword('correct horse!', hash)).toBe(false);
  });

  test('the credential check returns the user without its hash, and null for a wrong password', () => {
    const user = findUserByCredentials(db, 'analyst', 'analyst-demo');
    expect(user).toEqual({ id: expect.any(Number), username: 'analyst', displayName: expect.any(String), role: 'analyst' });
    expect(findUserByCredentials(db, 'analyst', 'wrong')).toBeNull();
    expect(findUserByCredentials(db, 'nobody', 'analyst-demo')).toBeNull();
    expect(JSON.stringify(listUsers(db))).not.toContain('$2');
  });

  test('creating the demo users twice does not duplicate them', () => {
    ensureDemoUsers(db);
    expect(listUsers(db)).toHaveLength(DEMO_ACCOUNTS.length);
  });
});

describe('rate limiting of failed sign-ins', () => {
  test(`blocks a username after ${MAX_FAILURES_PER_USERNAME} failures within the window, and not before`, () => {
    const now = Date.now();
    for (let i = 0; i < MAX_FAILURES_PER_USERNAME - 1; i++) recordSignInAttempt(db, 'viewer', `client-${i}`, false, now);
    expect(isSignInBlocked(db, 'viewer', 'client-x', now)).toBe(false);
    recordSignInAttempt(db, 'viewer', 'client-last', false, now);
    expect(isSignInBlocked(db, 'viewer', 'client-x', now)).toBe(true);
    expect(isSignInBlocked(db, 'admin', 'client-x', now)).toBe(false);
    expect(isSignInBlocked(db, 'viewer', 'client-x', now + SIGN_IN_WINDOW_MS + 1000)).toBe(false);
  });

  test(`blocks a client address after ${MAX_FAILURES_PER_CLIENT} failures across usernames`, () => {
    const now = Date.now();
    for (let i = 0; i < MAX_FAILURES_PER_CLIENT; i++) recordSignInAttempt(db, `user-${i}`, '10.0.0.9', false, now);
    expect(isSignInBlocked(db, 'someone-new', '10.0.0.9', now)).toBe(true);
    expect(isSignInBlocked(db, 'someone-new', '10.0.0.10', now)).toBe(false);
  });

  test('successful sign-ins do not count towards the limit', () => {
    const now = Date.now();
    for (let i = 0; i < 10; i++) recordSignInAttempt(db, 'analyst', 'client-ok', true, now);
    expect(isSignInBlocked(db, 'analyst', 'client-ok', now)).toBe(false);
  });
});
