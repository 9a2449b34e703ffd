// Briefing jobs: PDFs are laid out in one worker thread (the machine has two cores and the server needs one), with a
// short fair line; a full line is refused with a message rather than waited for, and a stuck layout is stopped. With
// DATABASE_URL=postgres://… (the cluster back end) the layout runs in a worker process instead, and the PDF waits in
// PostgreSQL for its owner on any web instance (lib/jobs/pg/briefing-jobs.ts).
import type { BriefingModel } from '../pdf/briefing-model';
import { JobFailedError, JobPool } from './pool';
import { briefingPayloadSchema, type BriefingPayload } from './payloads';
import type { ClusterBriefingJobs } from './pg/briefing-jobs';
import { sharedPool, startWorkerThread } from './threads';

export const BRIEFING_LIMITS = { maxConcurrent: 1, queueLimit: 8, perOwnerQueueLimit: 3, timeoutMs: 30_000 };

export function briefingJobs(): JobPool<BriefingPayload, Uint8Array> {
  return sharedPool('briefing', () => new JobPool<BriefingPayload, Uint8Array>({ kind: 'briefing', noun: 'briefing', schema: briefingPayloadSchema, createWorker: () => startWorkerThread('briefing'), ...BRIEFING_LIMITS }));
}

/** Renders a briefing in the worker for `ownerId` (QueueFullError when the line is full, JobFailedError on failure). */
export async function renderBriefingJob(model: BriefingModel, ownerId: number): Promise<Buffer> {
  const bytes = await briefingJobs().run({ model }, ownerId);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const cluster = globalThis as unknown as { clusterBriefingJobs?: Promise<ClusterBriefingJobs> };

/** The cluster back end's briefing line, started once per process; loaded only when DATABASE_URL is postgres://. */
export function clusterBriefingJobs(url: string): Promise<ClusterBriefingJobs> {
  cluster.clusterBriefingJobs ??= (async () => {
    const [{ openPgDatabase }, { clusterTiming, webBoss }, { ClusterBriefingJobs }] = await Promise.all([import('@/db/pg'), import('./pg/boss'), import('./pg/briefing-jobs')]);
    const timing = clusterTiming(process.env);
    // The same pg-boss as the instance's fits (lib/jobs/pg/boss.ts webBoss).
    const boss = await webBoss(url, timing);
    // Three connections: one LISTENs for announced outcomes, two answer the waits and downloads.
    return new ClusterBriefingJobs(boss, openPgDatabase(url, { max: 3 }), timing, BRIEFING_LIMITS);
  })();
  cluster.clusterBriefingJobs.catch(() => {
    cluster.clusterBriefingJobs = undefined;
  });
  return cluster.clusterBriefingJobs;
}

/** A cluster briefing still in line or being laid out when the request stopped waiting; fetch it later by id. */
export class BriefingNotReadyError extends Error {
  constructor(readonly jobId: string) {
    super('The briefing is not ready yet.');
    this.name = 'BriefingNotReadyError';
  }
}

/** How long a web request waits for a cluster worker's briefing (the line plus the layout's own limit). */
const CLUSTER_WAIT_MS = 60_000;

/**
 * Renders a briefing on the configured back end: `jobId` names the stored file on the cluster (null embedded, where
 * nothing is kept). Throws QueueFullError when the line is full, JobFailedError when the layout fails, and BriefingNotReadyError when a
 * cluster briefing takes longer than a request waits.
 */
export async function renderBriefing(model: BriefingModel, fileStem: { ascii: string; unicode: string }, ownerId: number, databaseUrl: string | undefined): Promise<{ pdf: Buffer; jobId: string | null }> {
  if (!databaseUrl) return { pdf: await renderBriefingJob(model, ownerId), jobId: null };
  const jobs = await clusterBriefingJobs(databaseUrl);
  const { id } = await jobs.submit({ model, fileStem }, ownerId);
  const result = await jobs.wait(id, ownerId, CLUSTER_WAIT_MS);
  if (result.ok) return { pdf: result.pdf, jobId: id };
  if (result.error.code === 'timeout') throw new BriefingNotReadyError(id);
  throw new JobFailedError({ id, kind: 'briefing', ownerId, payload: null, state: 'failed', submittedAt: 0, startedAt: null, finishedAt: null, timeLimitMs: 0, progress: null, output: null, error: result.error });
}

/** A stored cluster briefing for its owner (null embedded, for anyone else, and once it expired). */
export async function storedBriefing(id: string, ownerId: number, databaseUrl: string | undefined): Promise<{ pdf: Buffer; fileStem: { ascii: string; unicode: string } } | null> {
  if (!databaseUrl) return null;
  return (await clusterBriefingJobs(databaseUrl)).download(id, ownerId);
}
