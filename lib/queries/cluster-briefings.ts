// Briefing PDFs of the cluster back end (PostgreSQL, db/schema-pg.ts briefing_files): the worker that rendered a
// briefing writes its file once; any web instance serves it, to its owner only, until it expires. Expired files are
// deleted by the workers as they write new ones.
import 'server-only';
import { and, eq, gt, lte, sql } from 'drizzle-orm';
import type { PgDatabase } from '@/db/pg';
import { briefingFiles } from '@/db/schema-pg';
import type { JobError } from '@/lib/jobs/types';

/** How long a rendered briefing stays downloadable. */
export const BRIEFING_FILE_TTL_SECONDS = 15 * 60;

export interface BriefingFileStem {
  ascii: string;
  unicode: string;
}

export interface BriefingOutcome {
  jobId: string;
  ownerId: number;
  state: 'done' | 'failed';
  pdf?: Uint8Array;
  fileStem: BriefingFileStem;
  error?: JobError;
  worker: string | null;
  attempts: number;
  durationMs: number | null;
}

/** Writes a briefing's outcome once; false when another attempt already did (nothing is written then). */
export async function saveBriefingOutcome(db: PgDatabase, outcome: BriefingOutcome, ttlSeconds = BRIEFING_FILE_TTL_SECONDS): Promise<boolean> {
  const inserted = await db
    .insert(briefingFiles)
    .values({
      jobId: outcome.jobId,
      ownerId: outcome.ownerId,
      state: outcome.state,
      pdf: outcome.pdf ? Buffer.from(outcome.pdf.buffer, outcome.pdf.byteOffset, outcome.pdf.byteLength) : null,
      fileStem: outcome.fileStem,
      error: outcome.error ?? null,
      worker: outcome.worker,
      attempts: outcome.attempts,
      durationMs: outcome.durationMs,
      expiresAt: sql`now() + make_interval(secs => ${ttlSeconds})`,
    })
    .onConflictDoNothing()
    .returning({ jobId: briefingFiles.jobId });
  return inserted.length > 0;
}

/** How a briefing job ended, without its file (null while it has not ended, or once it expired). */
export async function findBriefingOutcome(db: PgDatabase, jobId: string) {
  const [row] = await db
    .select({ ownerId: briefingFiles.ownerId, state: briefingFiles.state, error: briefingFiles.error, durationMs: briefingFiles.durationMs })
    .from(briefingFiles)
    .where(and(eq(briefingFiles.jobId, jobId), gt(briefingFiles.expiresAt, sql`now()`)))
    .limit(1);
  return row ? { ...row, error: row.error as JobError | null } : null;
}

/** A rendered briefing's file for its owner; null for anyone else, for a failed render and once it expired. */
export async function findBriefingFile(db: PgDatabase, jobId: string, ownerId: number): Promise<{ pdf: Buffer; fileStem: BriefingFileStem } | null> {
  const [row] = await db
    .select({ pdf: briefingFiles.pdf, fileStem: briefingFiles.fileStem })
    .from(briefingFiles)
    .where(and(eq(briefingFiles.jobId, jobId), eq(briefingFiles.ownerId, ownerId), eq(briefingFiles.state, 'done'), gt(briefingFiles.expiresAt, sql`now()`)))
    .limit(1);
  return row?.pdf ? { pdf: row.pdf, fileStem: row.fileStem as BriefingFileStem } : null;
}

/** Deletes expired briefings; returns how many. */
export async function deleteExpiredBriefings(db: PgDatabase): Promise<number> {
  const deleted = await db.delete(briefingFiles).where(lte(briefingFiles.expiresAt, sql`now()`)).returning({ jobId: briefingFiles.jobId });
  return deleted.length;
}
