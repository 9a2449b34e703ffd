// Demonstration accounts, one per role, created at setup so a newcomer can sign in at once (README lists them).
import { eq } from 'drizzle-orm';
import type { AppDatabase } from '@/db/client';
import { users } from '@/db/schema';
import { hashPassword } from './password';
import type { Role } from './permissions';

export const DEMO_ACCOUNTS: ReadonlyArray<{ username: string; password: string; displayName: string; role: Role }> = [
  { username: 'viewer', password: 'viewer-demo', displayName: '演示查看员 Demo viewer', role: 'viewer' },
  { username: 'analyst', password: 'analyst-demo', displayName: '演示分析员 Demo analyst', role: 'analyst' },
  { username: 'admin', password: 'admin-demo', displayName: '演示管理员 Demo admin', role: 'admin' },
];

export function ensureDemoUsers(db: AppDatabase): void {
  for (const account of DEMO_ACCOUNTS) {
    const existing = db.select({ id: users.id }).from(users).where(eq(users.username, account.username)).get();
    if (existing) continue;
    db.insert(users)
      .values({ username: account.username, displayName: account.displayName, role: account.role, passwordHash: hashPassword(account.password) })
      .run();
  }
}
