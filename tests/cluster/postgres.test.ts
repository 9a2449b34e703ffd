// The throwaway PostgreSQL of the cluster tests starts (as the postgres account when run as root), takes the
// generated pg migrations and pg-boss's schema, and the fit outcome is written once however many times it is saved.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'drizzle-orm';
import { applyPgMigrations, openPgDatabase, type PgDatabase } from '@/db/pg';
import { startBoss } from '@/lib/jobs/pg/boss';
import { countRunAudits, findFitOutcome, saveFitOutcome } from '@/lib/queries/cluster-jobs';
import { findCachedModel } from '@/lib/queries/model-cache';
import { startPostgres, type Postgres } from '../support/postgres';
import { testTiming } from './harness';

const started = await startPostgres();
if (!started.ok) console.warn(`[cluster tests] skipped: PostgreSQL cannot start here: ${started.reason}`);

describe.skipIf(!started.ok)('PostgreSQL for the cluster back end', () => {
  let pg: Postgres;
  let db: PgDatabase;
  beforeAll(async () => {
    pg = (started as { ok: true; pg: Postgres }).pg;
    db = openPgDatabase(pg.url);
  });
  afterAll(async () => {
    await db?.$client.end();
    pg?.stop();
  });

  test('the migrations create the tables, twice without harm, and pg-boss creates its schema and the fit and briefing queues', async () => {
    await applyPgMigrations(db);
    await applyPgMigrations(db);
    const tables = await db.execute(sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);
    expect(tables.rows.map((r) => r.table_name)).toEqual(['app_settings', 'audit_log', 'briefing_files', 'cities', 'datasets', 'equity_measures', 'fit_results', 'indicators', 'model_cache', 'provinces', 'respondents', 'sessions', 'sign_in_attempts', 'users', 'waves']);
    const boss = await startBoss(pg.url, testTiming(), { supervise: false });
    expect((await boss.getQueue('fit'))?.retryLimit).toBe(2);
    // A lost briefing is retried sooner than a lost fit (its expiry is at most its 30 s limit + 30 s).
    expect(await boss.getQueue('briefing')).toMatchObject({ retryLimit: 2, expireInSeconds: Math.min(testTiming().expireSeconds, 60) });
    await boss.stop({ graceful: false, wait: true });
  });

  test('a fit outcome, its cache entry and its audit row are written once', async () => {
    const outcome = {
      jobId: '00000000-0000-4000-8000-000000000001',
      datasetId: 7,
      ownerId: 3,
      username: 'analyst',
      target: 'ols:x',
      request: { type: 'ols' },
      cacheKey: 'key-1',
      attempts: 1,
      worker: 'w1',
      waitedMs: 5,
      durationMs: 120,
      state: 'done' as const,
      output: { value: 1 },
    };
    expect(await saveFitOutcome(db, outcome)).toBe(true);
    expect(await saveFitOutcome(db, { ...outcome, worker: 'w2', output: { value: 2 } })).toBe(false);
    expect((await findFitOutcome(db, outcome.jobId))?.worker).toBe('w1');
    expect(JSON.parse((await findCachedModel(db, 'key-1', 7))!.result)).toEqual({ value: 1 });
    expect(await findCachedModel(db, 'key-1', 8)).toBeNull();
    expect((await countRunAudits(db)).get(outcome.jobId)).toBe(1);
  });
});
