// Applies the generated drizzle migrations in db/migrations to a database handle.
import path from 'node:path';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { AppDatabase } from './client';

export const migrationsFolder = path.join(__dirname, 'migrations');

export function applyMigrations(db: AppDatabase): void {
  migrate(db, { migrationsFolder });
}
