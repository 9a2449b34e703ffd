// The model service the server actions and route handlers call: answers from the cache when it can, otherwise puts
// the fit on the jobs layer's fit line (lib/jobs) of the configured back end. Embedded (default): worker threads in
// this process, and this module writes the SQLite cache and audit log when a fit settles. Cluster
// (DATABASE_URL=postgres://…): pg-boss, worker processes, and the cache and audit of fits in PostgreSQL. The admin's
// limits live in the configured database; in the cluster each submit reads them through (one primary-key lookup), so a
// change saved on one web instance holds on every other at its next fit request. The callers check the session and
// permission first; this module checks that a job belongs to the person asking for it.
import 'server-only';
import { getDatabase } from '@/lib/queries/database';
import { env } from '@/lib/env';
import { can } from '@/lib/auth/permissions';
import type { SignedInUser } from '@/lib/auth/session';
import { recordAudit } from '@/lib/queries/audit';
import { findCachedModel, storeCachedModel } from '@/lib/queries/model-cache';
import { getModelLimits, saveModelLimits, type ModelLimits } from '@/lib/queries/settings';
import { modelCacheKey } from './cache-key';
import { MODEL_DISCLOSURE_VERSION } from './disclosure';
import type { ModelRequest } from './request';
import { JobPool } from '@/lib/jobs/pool';
import { fitPayloadSchema, type FitPayload } from '@/lib/jobs/payloads';
import { sharedPool, startWorkerThread } from '@/lib/jobs/threads';
import type { Job, JobStatus } from '@/lib/jobs/types';
import { embeddedBackend, type JobBackend } from '@/lib/jobs/backend';
import type { ClusterFitJobs } from '@/lib/jobs/pg/fit-jobs';
import type { ModelRunOutput } from './run';

type ModelJob = Job<FitPayload, ModelRunOutput>;

export type ModelAnswer =
  | { state: 'done'; output: ModelRunOutput; cached: boolean; jobId: string | null }
  | { state: 'queued' | 'running'; jobId: string; position: number };

function onSettled(job: ModelJob): void {
  const { payload } = job;
  if (job.state === 'done' && job.output) {
    storeCachedModel(getDatabase(), { key: payload.cacheKey, datasetId: payload.datasetId, spec: JSON.stringify(payload.request), result: JSON.stringify(job.output), durationMs: job.output.durationMs }).catch((error: unknown) =>
      console.error('[models] result of a fit not cached:', error instanceof Error ? error.message : error),
    );
  }
  recordAudit(getDatabase(), {
    userId: job.ownerId,
    username: payload.username,
    action: 'model_run',
    target: `${payload.request.type}:${payload.request.outcome}`,
    detail: { outcome: job.state, cached: false, request: payload.request, datasetId: payload.datasetId, error: job.error?.message ?? null, waitedMs: (job.startedAt ?? job.submittedAt) - job.submittedAt },
    durationMs: job.finishedAt !== null && job.startedAt !== null ? job.finishedAt - job.startedAt : null,
  }).catch((error: unknown) => console.error('[models] audit of a fit not written:', error instanceof Error ? error.message : error));
}

let embedded: Promise<JobBackend<FitPayload, ModelRunOutput>> | undefined;

function embeddedFitJobs(): Promise<JobBackend<FitPayload, ModelRunOutput>> {
  embedded ??= createEmbeddedFitJobs();
  embedded.catch(() => (embedded = undefined));
  return embedded;
}

async function createEmbeddedFitJobs(): Promise<JobBackend<FitPayload, ModelRunOutput>> {
  // The admin's saved limits, or the environment's (read once, when the line is made; later changes go through setLimits).
  const limits = await getModelLimits(getDatabase());
  const pool = sharedPool('fit', () => {
    return new JobPool<FitPayload, ModelRunOutput>({
      kind: 'fit',
      noun: 'model',
      schema: fitPayloadSchema,
      maxConcurrent: limits.maxConcurrent,
      queueLimit: limits.queueLimit,
      perOwnerQueueLimit: limits.perUserQueueLimit,
      timeoutMs: limits.timeoutSeconds * 1000,
      createWorker: () => startWorkerThread('fit'),
      onSettled,
    });
  });
  return embeddedBackend(pool);
}

const cluster = globalThis as unknown as { clusterFitJobs?: Promise<ClusterFitJobs> };

/** The cluster back end (DATABASE_URL=postgres://…), started once per process; loaded only when configured. */
function clusterFitJobs(url: string): Promise<ClusterFitJobs> {
  cluster.clusterFitJobs ??= (async () => {
    const [{ openPgDatabase }, { clusterTiming, webBoss }, { ClusterFitJobs }] = await Promise.all([import('@/db/pg'), import('@/lib/jobs/pg/boss'), import('@/lib/jobs/pg/fit-jobs')]);
    const limits = await getModelLimits(getDatabase());
    const timing = clusterTiming(process.env, limits.timeoutSeconds * 1000);
    const boss = await webBoss(url, timing);
    return new ClusterFitJobs(boss, openPgDatabase(url), timing, { queueLimit: limits.queueLimit, perOwnerQueueLimit: limits.perUserQueueLimit });
  })();
  cluster.clusterFitJobs.catch(() => {
    cluster.clusterFitJobs = undefined;
  });
  return cluster.clusterFitJobs;
}

/** The fit line of the configured back end: embedded worker threads, or pg-boss when DATABASE_URL is postgres://. */
export function getModelJobs(): Promise<JobBackend<FitPayload, ModelRunOutput>> {
  return env.DATABASE_URL ? clusterFitJobs(env.DATABASE_URL) : embeddedFitJobs();
}

/** Starts the embedded back end's fit workers ahead of the first Run (the cluster's workers are other processes). */
export function warmModelWorkers(): void {
  if (!env.DATABASE_URL) void embeddedFitJobs().then((jobs) => jobs.warm(), (error: unknown) => console.error('[models] workers not warmed:', error instanceof Error ? error.message : error));
}

/** Fits running and waiting now, over the whole cluster for the cluster back end. */
export async function modelQueueLoad(): Promise<{ running: number; waiting: number }> {
  return (await getModelJobs()).load();
}

/** Saves an admin's new limits and applies them to the running queue at once. */
export async function updateModelLimits(user: SignedInUser, limits: ModelLimits): Promise<void> {
  const db = getDatabase();
  await saveModelLimits(db, limits, user.id);
  (await getModelJobs()).setLimits({ maxConcurrent: limits.maxConcurrent, queueLimit: limits.queueLimit, perOwnerQueueLimit: limits.perUserQueueLimit, timeoutMs: limits.timeoutSeconds * 1000 });
  await recordAudit(db, { userId: user.id, username: user.name, action: 'model_limits_set', detail: limits });
}

/** A cached result passed the current output checks, or null. */
async function findCached(cacheKey: string, datasetId: number): Promise<ModelRunOutput | null> {
  // The configured back end's cache: on the cluster, PostgreSQL's, where every worker's fits are.
  const result = (await findCachedModel(getDatabase(), cacheKey, datasetId))?.result ?? null;
  const output = result ? (JSON.parse(result) as ModelRunOutput) : null;
  return output?.disclosureChecked === MODEL_DISCLOSURE_VERSION ? output : null;
}

/** Answers from the cache, or queues the fit (QueueFullError when the line is full). */
export async function requestModel(user: SignedInUser, datasetId: number, request: ModelRequest): Promise<ModelAnswer> {
  const cacheKey = modelCacheKey(request, datasetId);
  // A cached answer is served only if it passed the current output checks (else it is fitted, and checked, again).
  const started = performance.now();
  const cachedOutput = await findCached(cacheKey, datasetId);
  if (cachedOutput) {
    const entry = { userId: user.id, username: user.name, action: 'model_run', target: `${request.type}:${request.outcome}`, detail: { outcome: 'done', cached: true, request, datasetId }, durationMs: Math.round(performance.now() - started) };
    await recordAudit(getDatabase(), entry);
    return { state: 'done', output: cachedOutput, cached: true, jobId: null };
  }
  const jobs = await getModelJobs();
  if (env.DATABASE_URL) {
    // Read through: another web instance may have saved new limits since this one started.
    const limits = await getModelLimits(getDatabase());
    jobs.setLimits({ queueLimit: limits.queueLimit, perOwnerQueueLimit: limits.perUserQueueLimit });
  }
  const { id, status } = await jobs.submit({ databasePath: env.DATABASE_PATH, datasetId, request, cacheKey, username: user.name }, user.id);
  return { state: status.state === 'running' ? 'running' : 'queued', jobId: id, position: status.state === 'queued' ? status.position : 0 };
}

/** A job's status for its owner (or a role with models:manage-any-job); null when unknown or not theirs. */
export async function modelJobStatus(user: SignedInUser, jobId: string): Promise<JobStatus<ModelRunOutput> | null> {
  const jobs = await getModelJobs();
  const owner = await jobs.ownerOf(jobId);
  if (owner === null || (owner !== user.id && !can(user.role, 'models:manage-any-job'))) return null;
  return jobs.status(jobId);
}

export async function cancelModelJob(user: SignedInUser, jobId: string): Promise<boolean> {
  const jobs = await getModelJobs();
  const owner = await jobs.ownerOf(jobId);
  if (owner === null || (owner !== user.id && !can(user.role, 'models:manage-any-job'))) return false;
  return jobs.cancel(jobId);
}
