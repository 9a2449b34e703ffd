// The model service the server actions and route handlers call: answers from the cache when it can, otherwise puts
// the fit on the jobs layer's fit line (lib/jobs); writes the cache and the audit log when a fit settles. The callers check the
// session and permission first; this module checks that a job belongs to the person asking for it.
import 'server-only';
import { getDatabase } from '@/db/client';
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
import type { ModelRunOutput } from './run';

type ModelJob = Job<FitPayload, ModelRunOutput>;

export type ModelAnswer =
  | { state: 'done'; output: ModelRunOutput; cached: boolean; jobId: string | null }
  | { state: 'queued' | 'running'; jobId: string; position: number };

function onSettled(job: ModelJob): void {
  const db = getDatabase();
  const { payload } = job;
  if (job.state === 'done' && job.output) {
    storeCachedModel(db, { key: payload.cacheKey, datasetId: payload.datasetId, spec: JSON.stringify(payload.request), result: JSON.stringify(job.output), durationMs: job.output.durationMs });
  }
  recordAudit(db, {
    userId: job.ownerId,
    username: payload.username,
    action: 'model_run',
    target: `${payload.request.type}:${payload.request.outcome}`,
    detail: { outcome: job.state, cached: false, request: payload.request, datasetId: payload.datasetId, error: job.error?.message ?? null, waitedMs: (job.startedAt ?? job.submittedAt) - job.submittedAt },
    durationMs: job.finishedAt !== null && job.startedAt !== null ? job.finishedAt - job.startedAt : null,
  });
}

export function getModelQueue(): JobPool<FitPayload, ModelRunOutput> {
  return sharedPool('fit', () => {
    // The admin's saved limits, or the environment's.
    const limits = getModelLimits(getDatabase());
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
}

/** Saves an admin's new limits and applies them to the running queue at once. */
export function updateModelLimits(user: SignedInUser, limits: ModelLimits): void {
  const db = getDatabase();
  saveModelLimits(db, limits, user.id);
  getModelQueue().setLimits({ maxConcurrent: limits.maxConcurrent, queueLimit: limits.queueLimit, perOwnerQueueLimit: limits.perUserQueueLimit, timeoutMs: limits.timeoutSeconds * 1000 });
  recordAudit(db, { userId: user.id, username: user.name, action: 'model_limits_set', detail: limits });
}

/** Answers from the cache, or queues the fit (QueueFullError when the line is full). */
export function requestModel(user: SignedInUser, datasetId: number, request: ModelRequest): ModelAnswer {
  const db = getDatabase();
  const cacheKey = modelCacheKey(request, datasetId);
  const cached = findCachedModel(db, cacheKey, datasetId);
  // A cached answer is served only if it passed the current output checks (else it is fitted, and checked, again).
  const cachedOutput = cached ? (JSON.parse(cached.result) as ModelRunOutput) : null;
  if (cached && cachedOutput?.disclosureChecked === MODEL_DISCLOSURE_VERSION) {
    const started = performance.now();
    const output = cachedOutput;
    recordAudit(db, {
      userId: user.id,
      username: user.name,
      action: 'model_run',
      target: `${request.type}:${request.outcome}`,
      detail: { outcome: 'done', cached: true, request, datasetId },
      durationMs: Math.round(performance.now() - started),
    });
    return { state: 'done', output, cached: true, jobId: null };
  }
  const job = getModelQueue().submit({ databasePath: env.DATABASE_PATH, datasetId, request, cacheKey, username: user.name }, user.id);
  const status = getModelQueue().status(job.id);
  return { state: status?.state === 'running' ? 'running' : 'queued', jobId: job.id, position: status?.state === 'queued' ? status.position : 0 };
}

/** A job's status for its owner (or a role with models:manage-any-job); null when unknown or not theirs. */
export function modelJobStatus(user: SignedInUser, jobId: string): JobStatus<ModelRunOutput> | null {
  const queue = getModelQueue();
  const job = queue.get(jobId);
  if (!job || (job.ownerId !== user.id && !can(user.role, 'models:manage-any-job'))) return null;
  return queue.status(jobId);
}

export function cancelModelJob(user: SignedInUser, jobId: string): boolean {
  const queue = getModelQueue();
  const job = queue.get(jobId);
  if (!job || (job.ownerId !== user.id && !can(user.role, 'models:manage-any-job'))) return false;
  return queue.cancel(jobId);
}
