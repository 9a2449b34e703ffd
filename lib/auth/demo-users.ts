// Demonstration accounts, one per role, created at setup only while the synthetic dataset is the active one, so a
// newcomer can sign in at once (README lists them). With real data they are never created and are refused at sign-in.
import 'server-only';
import { and, eq } from 'drizzle-orm';
import { storeOf, type Database } from '@/db/store';
import { demoAccountsAllowed } from '@/lib/queries/sessions';
import { disableDemoUsers } from '@/lib/queries/users';
import { hashPassword } from './password';
import type { Role } from './permissions';

export const DEMO_ACCOUNTS: ReadonlyArray<{ username: string; password: string; displayName: string; role: Role }> = [
  { username: 'viewer', password: 'viewer-demo', displayName: '演示查看员 Demo viewer', role: 'viewer' },
  { username: 'analyst', password: 'analyst-demo', displayName: '演示分析员 Demo analyst', role: 'analyst' },
  { username: 'admin', password: 'admin-demo', displayName: '演示管理员 Demo admin', role: 'admin' },
];

/**
 * A demo account's stored name is bilingual ("演示查看员 Demo viewer"): show the part in the interface language.
 * Any other name is the person's own and is shown as written.
 */
export function localizedDisplayName(name: string, locale: 'zh' | 'en'): string {
  const demo = DEMO_ACCOUNTS.find((account) => account.displayName === name);
  if (!demo) return name;
  const space = demo.displayName.indexOf(' ');
  return locale === 'zh' ? demo.displayName.slice(0, space) : demo.displayName.slice(space + 1);
}

/** Whether a real (imported) dataset was ever loaded: from then on demo accounts are never created again. */
export async function realDatasetExists(db: Database): Promise<boolean> {
  const { q, datasets } = storeOf(db);
  const rows = await q.select({ id: datasets.id }).from(datasets).where(and(eq(datasets.kind, 'imported'), eq(datasets.status, 'ready'))).limit(1);
  return rows.length > 0;
}

/**
 * Creates the missing demo accounts while only synthetic data exist; with a real dataset active, disables any that
 * exist instead. Returns what it did. `datasets` is the handle whose dataset versions decide (by default the accounts'
 * own; setup passes the SQLite file, where a dataset is loaded, when the accounts are in PostgreSQL).
 */
export async function ensureDemoUsers(db: Database, datasets: Database = db): Promise<'created' | 'disabled' | 'skipped'> {
  if (!(await demoAccountsAllowed(datasets)) || !(await demoAccountsAllowed(db))) {
    await disableDemoUsers(db);
    return 'disabled';
  }
  if ((await realDatasetExists(datasets)) || (await realDatasetExists(db))) return 'skipped';
  const { q, users } = storeOf(db);
  for (const account of DEMO_ACCOUNTS) {
    const passwordHash = hashPassword(account.password);
    // Another process running setup at the same time may have created it: the unique username decides.
    await q
      .insert(users)
      .values({ username: account.username, displayName: account.displayName, role: account.role, passwordHash, demo: true })
      .onConflictDoNothing({ target: users.username });
  }
  return 'created';
}
