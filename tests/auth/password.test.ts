// Passwords are stored as bcrypt hashes; the credential check is the only code that sees a hash and returns none.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type AppDatabase } from '@/db/client';
import { applyMigrations } from '@/db/migrate';
import { DEMO_ACCOUNTS, ensureDemoUsers } from '@/lib/auth/demo-users';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { findUserByCredentials, listUsers } from '@/lib/queries/users';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'auth-password-'));
let db: AppDatabase;

beforeAll(async () => {
  db = openDatabase(path.join(folder, 'auth.db'));
  applyMigrations(db);
  await ensureDemoUsers(db);
});
afterAll(() => {
  db.$client.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

describe('passwords', () => {
  test('are stored as bcrypt hashes of cost 10, never in clear', () => {
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
    expect(hashPassword('correct horse')).not.toBe(hash);
  });

  test('the credential check returns the user without its hash, and null for a wrong password or unknown name', async () => {
    const user = await findUserByCredentials(db, 'analyst', 'analyst-demo');
    expect(user).toEqual({ id: expect.any(Number), username: 'analyst', displayName: expect.any(String), role: 'analyst' });
    expect(await findUserByCredentials(db, 'analyst', 'wrong')).toBeNull();
    expect(await findUserByCredentials(db, 'nobody', 'analyst-demo')).toBeNull();
    expect(JSON.stringify(await listUsers(db))).not.toContain('$2');
  });

  test('an unknown username costs a bcrypt comparison too, so timing does not reveal which names exist', async () => {
    const timed = async (username: string) => {
      const started = performance.now();
      await findUserByCredentials(db, username, 'wrong');
      return performance.now() - started;
    };
    await timed('viewer');
    expect(await timed('nobody-at-all')).toBeGreaterThan((await timed('viewer')) / 4);
  });

  test('every demo account signs in with its documented password and has its role', async () => {
    for (const account of DEMO_ACCOUNTS) {
      expect((await findUserByCredentials(db, account.username, account.password))?.role).toBe(account.role);
    }
  });

  test('creating the demo users twice does not duplicate them', async () => {
    await ensureDemoUsers(db);
    expect(await listUsers(db)).toHaveLength(DEMO_ACCOUNTS.length);
  });

  test('with the accounts in another database (PostgreSQL), the dataset file decides: an imported active version means no demo accounts', async () => {
    const accounts = openDatabase(':memory:');
    const data = openDatabase(':memory:');
    applyMigrations(accounts);
    applyMigrations(data);
    data.$client.prepare("INSERT INTO datasets (label, kind, status, active) VALUES ('CMDS 2017', 'imported', 'ready', 1)").run();
    expect(await ensureDemoUsers(accounts, data)).toBe('disabled');
    expect(await listUsers(accounts)).toHaveLength(0);
    expect(await ensureDemoUsers(accounts)).toBe('created');
    expect(await ensureDemoUsers(accounts, data)).toBe('disabled');
    expect((await listUsers(accounts)).every((u) => !u.active)).toBe(true);
    accounts.$client.close();
    data.$client.close();
  });

  test('the credential check asks the dataset handle whether demo accounts may sign in', async () => {
    const data = openDatabase(':memory:');
    applyMigrations(data);
    expect(await findUserByCredentials(db, 'admin', 'admin-demo', data)).not.toBeNull();
    data.$client.prepare("INSERT INTO datasets (label, kind, status, active) VALUES ('CMDS 2017', 'imported', 'ready', 1)").run();
    expect(await findUserByCredentials(db, 'admin', 'admin-demo', data)).toBeNull();
    expect(await findUserByCredentials(db, 'admin', 'admin-demo')).not.toBeNull();
    data.$client.close();
  });
});
