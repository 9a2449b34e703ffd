// The web side of the cluster back end for model fits: a fit is a pg-boss job in PostgreSQL, taken by whichever
// worker process (`npm run worker`, lib/jobs/pg/worker.ts) asks first. Its outcome, the model cache and the audit row
// are written once in PostgreSQL (lib/queries/cluster-jobs.ts), so every web instance answers the same status. A job
// whose worker was lost (killed, machine gone) is retried by pg-boss after its expiry, up to the retry limit; one
// given up is recorded failed, with a message saying so, by the first web instance that looks at it.
import type PgBoss from 'pg-boss';
import type { PgDatabase } from '@/db/pg';
import { findFitOutcome, saveFitOutcome, type FitOutcome } from '@/lib/queries/cluster-jobs';
import type { ModelRunOutput } from '@/lib/models/run';
import type { JobBackend } from '../backend';
import { fitPayloadSchema, type FitPayload } from '../payloads';
import { JobPayloadError, QueueFullError } from '../pool';
import type { JobError, JobLimits, JobStatus } from '../types';
import { ClusterQueueJobs, FIT_QUEUE, WAITING, type ClusterTiming } from './boss';

/** What a fit job carries in pg-boss. */
export interface ClusterFitData {
  payload: FitPayload;
  ownerId: number;
  submittedAt: number;
}


/** What an outcome row records of the job itself, whoever writes it (the worker, or a web instance giving it up). */
export function outcomeOfJob(jobId: string, data: ClusterFitData): Pick<FitOutcome, 'jobId' | 'datasetId' | 'ownerId' | 'username' | 'target' | 'request' | 'cacheKey'> {
  const { payload } = data;
  return { jobId, datasetId: payload.datasetId, ownerId: data.ownerId, username: payload.username, target: `${payload.request.type}:${payload.request.outcome}`, request: payload.request, cacheKey: payload.cacheKey };
}

export function givenUpError(attempts: number, retryLimit: number): JobError {
  return {
    code: 'worker_lost',
    message: `The model worker stopped while fitting this request ${attempts} time${attempts === 1 ? '' : 's'} (the retry limit is ${retryLimit}); the request was given up. Try a smaller model, or ask an administrator to check the workers.`,
  };
}

export class ClusterFitJobs extends ClusterQueueJobs<ClusterFitData> implements JobBackend<FitPayload, ModelRunOutput> {
  constructor(boss: PgBoss, db: PgDatabase, timing: ClusterTiming, limits: Pick<JobLimits, 'queueLimit' | 'perOwnerQueueLimit'>) {
    super(boss, db, timing, FIT_QUEUE, limits);
  }

  async submit(payload: FitPayload, ownerId: number): Promise<{ id: string; status: JobStatus<ModelRunOutput> }> {
    const parsed = fitPayloadSchema.safeParse(payload);
    if (!parsed.success) throw new JobPayloadError(`Invalid fit job: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ')}`);
    // The line's limits, counted in PostgreSQL over every web instance's jobs (two instances submitting at the same
    // moment may both pass: the limits are a guard against one person filling the line, not an exact quota).
    const { rows } = await this.db.$client.query<{ id: string; owner: number }>(
      `SELECT id::text, (data->>'ownerId')::int AS owner FROM pgboss.job WHERE name = $1 AND ${WAITING} ORDER BY priority DESC, created_on, id`,
      [FIT_QUEUE],
    );
    const { rows: running } = await this.db.$client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state = 'active' AND (data->>'ownerId')::int = $2`,
      [FIT_QUEUE, ownerId],
    );
    const ownPositions = rows.flatMap((row, index) => (row.owner === ownerId ? [index + 1] : []));
    if (ownPositions.length >= this.limits.perOwnerQueueLimit) throw new QueueFullError({ reason: 'owner_limit', limit: this.limits.perOwnerQueueLimit, ownPositions });
    if (rows.length >= this.limits.queueLimit) {
      const running = (await this.load()).running;
      throw new QueueFullError({ reason: 'queue_full', waiting: rows.length, running, ownPositions, wouldBePosition: rows.length + 1 });
    }
    const data: ClusterFitData = { payload: parsed.data, ownerId, submittedAt: Date.now() };
    // Fair order, as near as pg-boss's (priority, then age) allows: a request goes behind the requests of owners with
    // fewer fits waiting or running than its owner has, so one person's burst does not hold everyone else back.
    const priority = -(ownPositions.length + (running[0]?.n ?? 0));
    const id = await this.boss.send(FIT_QUEUE, data, { priority, retryLimit: this.timing.retryLimit, retryDelay: 0, expireInSeconds: this.timing.expireSeconds });
    if (!id) throw new Error('pg-boss did not queue the fit.');
    return { id, status: (await this.status(id)) ?? { state: 'queued', position: rows.length + 1 } };
  }


  async ownerOf(id: string): Promise<number | null> {
    const job = await this.job(id);
    return job ? job.data.ownerId : null;
  }

  async status(id: string): Promise<JobStatus<ModelRunOutput> | null> {
    const outcome = await findFitOutcome(this.db, id);
    if (outcome) {
      return outcome.state === 'done'
        ? { state: 'done', output: outcome.output as ModelRunOutput, durationMs: outcome.durationMs ?? 0 }
        : { state: 'failed', error: outcome.error as JobError };
    }
    const job = await this.job(id);
    if (!job) return null;
    switch (job.state) {
      case 'created':
      case 'retry': {
        const { rows } = await this.db.$client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND ${WAITING} AND (priority > $2 OR (priority = $2 AND (created_on, id) < ($3, $4::uuid)))`,
          [FIT_QUEUE, job.priority, job.createdOn, id],
        );
        return { state: 'queued', position: (rows[0]?.n ?? 0) + 1 };
      }
      case 'active':
        return { state: 'running', startedAt: new Date(job.startedOn).getTime(), progress: null };
      case 'cancelled':
        return { state: 'cancelled' };
      case 'completed':
      case 'failed': {
        // Completed without an outcome cannot happen (the worker writes it first); failed means the retries ran out
        // with the worker lost or crashed each time: record it once, with its audit row.
        const attempts = job.retryCount + 1;
        const error = givenUpError(attempts, job.retryLimit);
        await saveFitOutcome(this.db, {
          ...outcomeOfJob(id, job.data),
          attempts,
          worker: null,
          waitedMs: 0,
          durationMs: null,
          state: 'failed',
          error,
        });
        const saved = await findFitOutcome(this.db, id);
        return { state: 'failed', error: (saved?.error as JobError | null) ?? error };
      }
    }
  }
}
