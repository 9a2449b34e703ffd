// The cluster back end's data access (PostgreSQL, db/schema-pg.ts): a fit job's outcome is written once, with its
// model-cache entry and its audit row in the same transaction, whichever worker (or web instance, for a job given up)
// gets there first; later attempts find the row and write nothing.
import 'server-only';
import { eq, sql } from 'drizzle-orm';
import type { PgDatabase } from '@/db/pg';
import { auditLog as pgAuditLog, fitResults, modelCache as pgModelCache } from '@/db/schema-pg';
import type { JobError } from '@/lib/jobs/types';

export interface FitOutcome {
  jobId: string;
  datasetId: number;
  ownerId: number;
  username: string;
  target: string;
  request: unknown;
  cacheKey: string;
  attempts: number;
  worker: string | null;
  waitedMs: number;
  durationMs: number | null;
  state: 'done' | 'failed';
  /** The fit's output (done), stored as JSON. */
  output?: unknown;
  error?: JobError;
}

/** Writes a job's outcome once; returns false when another attempt already did (nothing is written then). */
export async function saveFitOutcome(db: PgDatabase, outcome: FitOutcome): Promise<boolean> {
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(fitResults)
      .values({
        jobId: outcome.jobId,
        datasetId: outcome.datasetId,
        ownerId: outcome.ownerId,
        state: outcome.state,
        output: outcome.output ?? null,
        error: outcome.error ?? null,
        worker: outcome.worker,
        attempts: outcome.attempts,
        durationMs: outcome.durationMs,
      })
      .onConflictDoNothing()
      .returning({ jobId: fitResults.jobId });
    if (inserted.length === 0) return false;
    if (outcome.state === 'done') {
      const entry = { key: outcome.cacheKey, datasetId: outcome.datasetId, spec: JSON.stringify(outcome.request), result: JSON.stringify(outcome.output), durationMs: outcome.durationMs ?? 0 };
      await tx.insert(pgModelCache).values(entry).onConflictDoUpdate({ target: pgModelCache.key, set: { result: entry.result, spec: entry.spec, durationMs: entry.durationMs, createdAt: sql`now()` } });
    }
    await tx.insert(pgAuditLog).values({
      userId: outcome.ownerId,
      username: outcome.username,
      action: 'model_run',
      target: outcome.target,
      detail: { outcome: outcome.state, cached: false, request: outcome.request, datasetId: outcome.datasetId, error: outcome.error?.message ?? null, waitedMs: outcome.waitedMs, attempts: outcome.attempts, worker: outcome.worker },
      durationMs: outcome.durationMs,
      jobId: outcome.jobId,
    });
    return true;
  });
}

export async function findFitOutcome(db: PgDatabase, jobId: string) {
  const [row] = await db.select().from(fitResults).where(eq(fitResults.jobId, jobId)).limit(1);
  return row ?? null;
}

/** How many times each fit job was audited (the fault-tolerance tests: once each). */
export async function countRunAudits(db: PgDatabase): Promise<Map<string, number>> {
  const rows = await db.select({ jobId: pgAuditLog.jobId, n: sql<number>`count(*)::int` }).from(pgAuditLog).where(eq(pgAuditLog.action, 'model_run')).groupBy(pgAuditLog.jobId);
  return new Map(rows.filter((r) => r.jobId !== null).map((r) => [r.jobId as string, r.n]));
}
