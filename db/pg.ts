// The cluster back end's PostgreSQL handle (DATABASE_URL=postgres://…): a small connection pool with drizzle's pg
// dialect over db/schema-pg.ts, and the generated migrations in db/migrations-pg.
import path from 'node:path';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema-pg';

export type PgDatabase = NodePgDatabase<typeof schema> & { $client: pg.Pool };

export function isPostgresUrl(url: string | undefined): url is string {
  return typeof url === 'string' && /^postgres(ql)?:\/\//.test(url);
}

export function openPgDatabase(url: string, options: { max?: number } = {}): PgDatabase {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 4 });
  // An idle client losing its connection (PostgreSQL restarting) must not crash the process.
  pool.on('error', (error) => console.error('PostgreSQL pool:', error.message));
  return drizzle(pool, { schema });
}

export function pgMigrationsFolder(root = path.resolve(__dirname, '..')): string {
  return path.join(root, 'db', 'migrations-pg');
}

export async function applyPgMigrations(db: PgDatabase, migrationsFolder = pgMigrationsFolder()): Promise<void> {
  await migrate(db, { migrationsFolder });
}
