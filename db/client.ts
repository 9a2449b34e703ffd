// The one database handle: opens the SQLite file named by lib/env.ts with WAL and foreign keys on.
// Server code reaches the database only through lib/queries (which imports this), scripts through openDatabase().
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { env } from '../lib/env';
import * as schema from './schema';

export type AppDatabase = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export function openDatabase(filePath: string, options: { readonly?: boolean } = {}): AppDatabase {
  if (filePath !== ':memory:') fs.mkdirSync(path.dirname(filePath), { recursive: true });
  const sqlite = new Database(filePath, { readonly: options.readonly ?? false });
  if (!options.readonly) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return drizzle<typeof schema>(sqlite, { schema });
}

let shared: AppDatabase | undefined;

/** The process-wide handle for the app, opened lazily from DATABASE_PATH. */
export function getSqliteDatabase(): AppDatabase {
  shared ??= openDatabase(env.DATABASE_PATH);
  return shared;
}
