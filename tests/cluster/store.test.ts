// The store convention on PostgreSQL (db/store.ts, db/schema-pg.ts): the app_tables migration upgrades a database of
// the first cluster slice without losing its audit rows, rows come back with the same JavaScript types as from SQLite,
// and inTransaction commits or rolls back as a unit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { applyPgMigrations, openPgDatabase, pgMigrationsFolder, type PgDatabase } from '@/db/pg';
import { dialectOf, inTransaction, storeOf, type Database } from '@/db/store';
import { startPostgres, type Postgres } from '../support/postgres';

const started = await startPostgres();
if (!started.ok) console.warn(`[cluster tests] skipped: PostgreSQL cannot start here: ${started.reason}`);

describe.skipIf(!started.ok)('the store on PostgreSQL', () => {
  let pg: Postgres;
  let db: PgDatabase;
  const firstSlice = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-migrations-'));
  beforeAll(() => {
    pg = (started as { ok: true; pg: Postgres }).pg;
    db = openPgDatabase(pg.url);
    // The migrations as the first cluster slice had them: 0000 only.
    fs.cpSync(pgMigrationsFolder(), firstSlice, { recursive: true });
    const journalPath = path.join(firstSlice, 'meta', '_journal.json');
    const journal = JSON.parse(fs.readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
    journal.entries = journal.entries.filter((e) => e.tag === '0000_cluster_jobs');
    fs.writeFileSync(journalPath, JSON.stringify(journal));
  });
  afterAll(async () => {
    await db?.$client.end();
    pg?.stop();
    fs.rmSync(firstSlice, { recursive: true, force: true });
  });

  test('a first-slice database upgrades in place: audit rows keep their time (created_at becomes at)', async () => {
    await applyPgMigrations(db, firstSlice);
    await db.execute(sql`INSERT INTO audit_log (username, action, job_id, created_at) VALUES ('analyst', 'model_run', 'j1', '2026-01-02T03:04:05.678Z')`);
    await db.execute(sql`INSERT INTO model_cache (key, dataset_id, spec, result) VALUES ('k', 1, '{}', '{}')`);
    await applyPgMigrations(db);
    const { q, auditLog, modelCache } = storeOf(db);
    const [row] = await q.select().from(auditLog).where(eq(auditLog.jobId, 'j1')).limit(1);
    expect(row!.at.toISOString()).toBe('2026-01-02T03:04:05.678Z');
    expect((await q.select().from(modelCache).limit(1))[0]!.durationMs).toBe(0);
    // the job id stays unique
    await expect(q.insert(auditLog).values({ username: 'x', action: 'model_run', jobId: 'j1' })).rejects.toThrow();
  });

  test('rows come back with the same JavaScript types as from SQLite', async () => {
    expect(dialectOf(db)).toBe('pg');
    const { q, users, auditLog, sessions } = storeOf(db);
    const [user] = await q.insert(users).values({ username: 'u', displayName: 'U', passwordHash: 'x', role: 'viewer' }).returning();
    expect(user!.createdAt).toBeInstanceOf(Date);
    expect(user!.active).toBe(true);
    expect(typeof user!.id).toBe('number');
    const at = new Date('2026-11-30T01:02:03.456Z');
    await q.insert(sessions).values({ id: 's1', userId: user!.id, createdAt: at, lastSeenAt: at, expiresAt: at });
    expect((await q.select().from(sessions).limit(1))[0]!.createdAt.getTime()).toBe(at.getTime());
    const [audit] = await q.insert(auditLog).values({ action: 'sign_in', detail: { a: 1 } }).returning();
    expect(typeof audit!.id).toBe('number');
    expect(audit!.detail).toEqual({ a: 1 });
  });

  test('a transaction commits together or not at all, and a nested call joins it', async () => {
    const add = async (handle: Database, key: string) => {
      const { q, appSettings } = storeOf(handle);
      await q.insert(appSettings).values({ key, value: '1' });
    };
    await inTransaction(db, async (tx) => {
      await add(tx, 'a');
      await inTransaction(tx, (inner) => add(inner, 'b'));
    });
    await expect(
      inTransaction(db, async (tx) => {
        await add(tx, 'c');
        await add(tx, 'a');
      }),
    ).rejects.toThrow();
    const { q, appSettings } = storeOf(db);
    expect((await q.select({ key: appSettings.key }).from(appSettings).orderBy(appSettings.key)).map((r) => r.key)).toEqual(['a', 'b']);
  });
});
