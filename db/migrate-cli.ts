// `npm run db:migrate`: brings the database schema up to date. With DATABASE_URL=postgres://… (the cluster back end),
// the PostgreSQL tables of db/migrations-pg and pg-boss's own `pgboss` schema with its fit queue; otherwise the SQLite
// file at DATABASE_PATH (which `npm run setup` also migrates).
import { isPostgresUrl, openPgDatabase, applyPgMigrations } from './pg';
import { clusterTiming, startBoss } from '../lib/jobs/pg/boss';
import { applyMigrations } from './migrate';
import { openDatabase } from './client';
import { env } from '../lib/env';

async function main() {
  const url = process.env.DATABASE_URL;
  if (isPostgresUrl(url)) {
    const db = openPgDatabase(url, { max: 1 });
    await applyPgMigrations(db);
    await db.$client.end();
    const boss = await startBoss(url, clusterTiming(), { supervise: false });
    await boss.stop({ graceful: false, wait: true });
    console.log(`PostgreSQL migrated (db/migrations-pg, pg-boss schema and the fit queue): ${url.replace(/\/\/[^@/]*@/, '//…@')}`);
  } else {
    const db = openDatabase(env.DATABASE_PATH);
    applyMigrations(db);
    db.$client.close();
    console.log(`SQLite migrated: ${env.DATABASE_PATH}`);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
