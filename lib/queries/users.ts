// The only code that reads or writes users. Callers get plain objects without password hashes, except the credential
// check, which needs the hash and returns only the verified user. Changes that affect access revoke sessions at once.
import 'server-only';
import { asc, eq } from 'drizzle-orm';
import type { AppDatabase } from '@/db/client';
import { users } from '@/db/schema';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { isRole, type Role } from '@/lib/auth/permissions';
import { demoAccountsAllowed, revokeUserSessions } from './sessions';

export interface PublicUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
}

export interface ManagedUser extends PublicUser {
  active: boolean;
  mustChangePassword: boolean;
  demo: boolean;
  createdAt: Date;
}

// Checked against when the username does not exist, so an unknown name costs as long as a wrong password and
// response times do not reveal which usernames exist. (bcrypt of a random string, cost 10.)
const UNKNOWN_USER_HASH = '$2b$10$CwTycUXWue0Thq9StjUM0uJ8.cf6Xz1JrPYK8Z8Q6N9T6r0aBc4xS';

/** The user whose password this is, if the account may sign in now (active, known role, demo only on demo data). */
export function findUserByCredentials(db: AppDatabase, username: string, password: string): PublicUser | null {
  const row = db.select().from(users).where(eq(users.username, username)).get();
  if (!row) {
    verifyPassword(password, UNKNOWN_USER_HASH);
    return null;
  }
  if (!verifyPassword(password, row.passwordHash)) return null;
  if (!row.active || !isRole(row.role) || (row.demo && !demoAccountsAllowed(db))) return null;
  return { id: row.id, username: row.username, displayName: row.displayName, role: row.role };
}

export function listUsers(db: AppDatabase): ManagedUser[] {
  return db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      active: users.active,
      mustChangePassword: users.mustChangePassword,
      demo: users.demo,
      createdAt: users.createdAt,
    })
    .from(users)
    .orderBy(asc(users.id))
    .all();
}

export function findUserById(db: AppDatabase, id: number): ManagedUser | null {
  return listUsers(db).find((u) => u.id === id) ?? null;
}

export function findUserByUsername(db: AppDatabase, username: string): ManagedUser | null {
  const row = db.select({ id: users.id }).from(users).where(eq(users.username, username)).get();
  return row ? findUserById(db, row.id) : null;
}

export class UsernameTaken extends Error {
  constructor(username: string) {
    super(`用户名 ${username} 已存在 · The username ${username} is taken.`);
    this.name = 'UsernameTaken';
  }
}

export function createUser(
  db: AppDatabase,
  input: { username: string; displayName: string; role: Role; password: string; mustChangePassword?: boolean; demo?: boolean },
): number {
  if (findUserByUsername(db, input.username)) throw new UsernameTaken(input.username);
  const row = db
    .insert(users)
    .values({
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      passwordHash: hashPassword(input.password),
      mustChangePassword: input.mustChangePassword ?? false,
      demo: input.demo ?? false,
    })
    .returning({ id: users.id })
    .get();
  return row.id;
}

export function setUserActive(db: AppDatabase, id: number, active: boolean): void {
  db.update(users).set({ active }).where(eq(users.id, id)).run();
  if (!active) revokeUserSessions(db, id, 'disabled');
}

export function setUserRole(db: AppDatabase, id: number, role: Role): void {
  db.update(users).set({ role }).where(eq(users.id, id)).run();
  revokeUserSessions(db, id, 'role_changed');
}

/** An admin's reset: the new password works once, for choosing another; every session of the user ends. */
export function resetUserPassword(db: AppDatabase, id: number, temporaryPassword: string): void {
  db.update(users).set({ passwordHash: hashPassword(temporaryPassword), mustChangePassword: true }).where(eq(users.id, id)).run();
  revokeUserSessions(db, id, 'password_reset');
}

/** The user's own change, after checking the current password. Returns false when the current password is wrong. */
export function changeOwnPassword(db: AppDatabase, id: number, currentPassword: string, newPassword: string): boolean {
  const row = db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, id)).get();
  if (!row || !verifyPassword(currentPassword, row.hash)) return false;
  db.update(users).set({ passwordHash: hashPassword(newPassword), mustChangePassword: false }).where(eq(users.id, id)).run();
  return true;
}

/** Disables the demonstration accounts (when a real dataset is active) and ends their sessions. */
export function disableDemoUsers(db: AppDatabase): number {
  const demo = db.select({ id: users.id }).from(users).where(eq(users.demo, true)).all();
  for (const { id } of demo) setUserActive(db, id, false);
  return demo.length;
}
