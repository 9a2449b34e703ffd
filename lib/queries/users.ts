// The only code that reads or writes users. Callers get plain objects without password hashes, except the credential
// check, which needs the hash and returns only the verified user. Changes that affect access revoke sessions at once,
// in the same transaction. In the configured database (db/store.ts): PostgreSQL with DATABASE_URL.
import 'server-only';
import { asc, eq } from 'drizzle-orm';
import { inTransaction, storeOf, type Database } from '@/db/store';
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
export async function findUserByCredentials(db: Database, username: string, password: string, datasets: Database = db): Promise<PublicUser | null> {
  const { q, users } = storeOf(db);
  const [row] = await q.select().from(users).where(eq(users.username, username)).limit(1);
  if (!row) {
    verifyPassword(password, UNKNOWN_USER_HASH);
    return null;
  }
  if (!verifyPassword(password, row.passwordHash)) return null;
  if (!row.active || !isRole(row.role) || (row.demo && !(await demoAccountsAllowed(datasets)))) return null;
  return { id: row.id, username: row.username, displayName: row.displayName, role: row.role };
}

export async function listUsers(db: Database): Promise<ManagedUser[]> {
  const { q, users } = storeOf(db);
  return q
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
    .orderBy(asc(users.id));
}

export async function findUserById(db: Database, id: number): Promise<ManagedUser | null> {
  return (await listUsers(db)).find((u) => u.id === id) ?? null;
}

export async function findUserByUsername(db: Database, username: string): Promise<ManagedUser | null> {
  const { q, users } = storeOf(db);
  const [row] = await q.select({ id: users.id }).from(users).where(eq(users.username, username)).limit(1);
  return row ? findUserById(db, row.id) : null;
}

export class UsernameTaken extends Error {
  constructor(username: string) {
    super(`用户名 ${username} 已存在 · The username ${username} is taken.`);
    this.name = 'UsernameTaken';
  }
}

export async function createUser(
  db: Database,
  input: { username: string; displayName: string; role: Role; password: string; mustChangePassword?: boolean; demo?: boolean },
): Promise<number> {
  if (await findUserByUsername(db, input.username)) throw new UsernameTaken(input.username);
  const { q, users } = storeOf(db);
  const [row] = await q
    .insert(users)
    .values({
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      passwordHash: hashPassword(input.password),
      mustChangePassword: input.mustChangePassword ?? false,
      demo: input.demo ?? false,
    })
    .returning({ id: users.id });
  return row!.id;
}

export async function setUserActive(db: Database, id: number, active: boolean): Promise<void> {
  await inTransaction(db, async (tx) => {
    const { q, users } = storeOf(tx);
    await q.update(users).set({ active }).where(eq(users.id, id));
    if (!active) await revokeUserSessions(tx, id, 'disabled');
  });
}

export async function setUserRole(db: Database, id: number, role: Role): Promise<void> {
  await inTransaction(db, async (tx) => {
    const { q, users } = storeOf(tx);
    await q.update(users).set({ role }).where(eq(users.id, id));
    await revokeUserSessions(tx, id, 'role_changed');
  });
}

/** An admin's reset: the new password works once, for choosing another; every session of the user ends. */
export async function resetUserPassword(db: Database, id: number, temporaryPassword: string): Promise<void> {
  const passwordHash = hashPassword(temporaryPassword);
  await inTransaction(db, async (tx) => {
    const { q, users } = storeOf(tx);
    await q.update(users).set({ passwordHash, mustChangePassword: true }).where(eq(users.id, id));
    await revokeUserSessions(tx, id, 'password_reset');
  });
}

/** The user's own change, after checking the current password. Returns false when the current password is wrong. */
export async function changeOwnPassword(db: Database, id: number, currentPassword: string, newPassword: string): Promise<boolean> {
  const { q, users } = storeOf(db);
  const [row] = await q.select({ hash: users.passwordHash }).from(users).where(eq(users.id, id)).limit(1);
  if (!row || !verifyPassword(currentPassword, row.hash)) return false;
  await q.update(users).set({ passwordHash: hashPassword(newPassword), mustChangePassword: false }).where(eq(users.id, id));
  return true;
}

/** Disables the demonstration accounts (when a real dataset is active) and ends their sessions. */
export async function disableDemoUsers(db: Database): Promise<number> {
  const { q, users } = storeOf(db);
  const demo = await q.select({ id: users.id }).from(users).where(eq(users.demo, true));
  for (const { id } of demo) await setUserActive(db, id, false);
  return demo.length;
}
