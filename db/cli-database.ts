// The configured database for command-line tools that manage the app's state (`npm run user`, setup's demo accounts,
// the sign-in notice of `npm start`): PostgreSQL when DATABASE_URL is set, else the SQLite file; migrations applied.
// Kept out of db/store.ts so that the request path and the job workers do not load the migrators.
import { env } from '../lib/env';
import { openDatabase } from './client';
import { applyMigrations } from './migrate';
import { applyPgMigrations, openPgDatabase } from './pg';
import type { Database } from './store';

export async function openConfiguredDatabase(): Promise<{ db: Database; close: () => Promise<void> }> {
  if (env.DATABASE_URL) {
    const db = openPgDatabase(env.DATABASE_URL, { max: 2 });
    await applyPgMigrations(db);
    const close = async () => {
      await db.$client.end();
    };
    return { db, close };
  }
  const db = openDatabase(env.DATABASE_PATH);
  applyMigrations(db);
  const close = () => {
    db.$client.close();
    return Promise.resolve();
  };
  return { db, close };
}
