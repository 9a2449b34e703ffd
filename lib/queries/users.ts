// The only code that reads or writes users. Callers get plain objects without password hashes, except the credential
// check, which needs the hash and returns only the verified user.
import { eq } from 'drizzle-orm';
import type { AppDatabase } from '@/db/client';
import { users } from '@/db/schema';
import { verifyPassword } from '@/lib/auth/password';
import type { Role } from '@/lib/auth/permissions';

export interface PublicUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
}

// Checked against when the username does not exist, so an unknown name costs as long as a wrong password and
// response times do not reveal which usernames exist. (bcrypt of a random string, cost 10.)
const UNKNOWN_USER_HASH = '$2b$10$CwTycUXWue0Thq9StjUM0uJ8.cf6Xz1JrPYK8Z8Q6N9T6r0aBc4xS';

export function findUserByCredentials(db: AppDatabase, username: string, password: string): PublicUser | null {
  const row = db.select().from(users).where(eq(users.username, username)).get();
  if (!row) {
    verifyPassword(password, UNKNOWN_USER_HASH);
    return null;
  }
  if (!verifyPassword(password, row.passwordHash)) return null;
  return { id: row.id, username: row.username, displayName: row.displayName, role: row.role };
}

export function listUsers(db: AppDatabase): PublicUser[] {
  return db
    .select({ id: users.id, username: users.username, displayName: users.displayName, role: users.role })
    .from(users)
    .orderBy(users.id)
    .all();
}
