// pg-boss for the cluster back end: one instance per process (web or worker), its tables in PostgreSQL's `pgboss`
// schema (created and upgraded by pg-boss itself on start). Fits go through the `fit` queue, briefings through the
// `briefing` queue.
import type pg from 'pg';
import PgBoss from 'pg-boss';
import type { PgDatabase } from '@/db/pg';
import type { JobLimits } from '../types';

export const FIT_QUEUE = 'fit';
export const BRIEFING_QUEUE = 'briefing';
/** A briefing's time limit in a worker (as the embedded pool's, lib/jobs/briefings.ts). */
export const BRIEFING_TIMEOUT_SECONDS = 30;

export interface ClusterTiming {
  /** A fit's time limit (the worker stops the fit after it). */
  fitTimeoutSeconds: number;
  /**
   * How long a job may stay active before pg-boss counts its worker as lost and retries it (a killed worker process
   * never reports). Default: the fit's time limit plus 30 s.
   */
  expireSeconds: number;
  /** How often pg-boss looks for lost jobs (its maintenance), across all processes. */
  maintenanceSeconds: number;
  /** How often an idle worker asks for a job. */
  pollingSeconds: number;
  /** Attempts after the first one when a worker is lost or crashes. */
  retryLimit: number;
}

export function clusterTiming(environment: NodeJS.ProcessEnv = process.env, fitTimeoutMs = Number(environment.MODEL_TIMEOUT_MS) || 120_000): ClusterTiming {
  const number = (name: string, fallback: number, min: number) => {
    const value = Number(environment[name]);
    return Number.isFinite(value) && value >= min ? value : fallback;
  };
  const fitTimeoutSeconds = Math.ceil(fitTimeoutMs / 1000);
  return {
    fitTimeoutSeconds,
    expireSeconds: Math.round(number('CLUSTER_JOB_EXPIRE_SECONDS', fitTimeoutSeconds + 30, 1)),
    maintenanceSeconds: Math.round(number('CLUSTER_MAINTENANCE_SECONDS', 30, 1)),
    pollingSeconds: number('CLUSTER_POLLING_SECONDS', 1, 0.5),
    retryLimit: Math.round(number('CLUSTER_RETRY_LIMIT', 2, 0)),
  };
}

export async function startBoss(url: string, timing: ClusterTiming, options: { supervise?: boolean } = {}): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: url,
    max: 4,
    maintenanceIntervalSeconds: timing.maintenanceSeconds,
    supervise: options.supervise ?? true,
    schedule: false,
  });
  boss.on('error', (error) => console.error('pg-boss:', error.message));
  await boss.start();
  await ensureFitQueue(boss, timing);
  await ensureBriefingQueue(boss, timing);
  return boss;
}

const shared = globalThis as unknown as { webBoss?: Promise<PgBoss> };

/**
 * A web instance's one pg-boss, for the fit and the briefing queues alike (started once per process). It does not
 * supervise: the workers look for lost jobs, so a web machine adds no poller. Its queues' defaults are set from the
 * first caller's timing; every job carries its own limits anyway. Closing either line (tests) stops it for both.
 */
export function webBoss(url: string, timing: ClusterTiming): Promise<PgBoss> {
  shared.webBoss ??= startBoss(url, timing, { supervise: false });
  shared.webBoss.catch(() => {
    shared.webBoss = undefined;
  });
  return shared.webBoss;
}

/** A lost briefing is retried sooner than a lost fit: its layout takes seconds, not minutes. */
export function briefingExpireSeconds(timing: ClusterTiming): number {
  return Math.min(timing.expireSeconds, BRIEFING_TIMEOUT_SECONDS + 30);
}

export async function ensureBriefingQueue(boss: PgBoss, timing: ClusterTiming): Promise<void> {
  const options = { name: BRIEFING_QUEUE, policy: 'standard' as const, retryLimit: timing.retryLimit, retryDelay: 0, expireInSeconds: briefingExpireSeconds(timing) };
  if (await boss.getQueue(BRIEFING_QUEUE)) await boss.updateQueue(BRIEFING_QUEUE, options);
  else await boss.createQueue(BRIEFING_QUEUE, options);
}

export async function ensureFitQueue(boss: PgBoss, timing: ClusterTiming): Promise<void> {
  const options = { name: FIT_QUEUE, policy: 'standard' as const, retryLimit: timing.retryLimit, retryDelay: 0, expireInSeconds: timing.expireSeconds };
  if (await boss.getQueue(FIT_QUEUE)) await boss.updateQueue(FIT_QUEUE, options);
  else await boss.createQueue(FIT_QUEUE, options);
}

/** pg-boss's states of a job still waiting for a worker (queued, or to be retried). */
export const WAITING = `state IN ('created', 'retry')`;

/** How many jobs of a queue run and wait, over every web instance and worker. */
export async function queueLoad(pool: pg.Pool, queue: string): Promise<{ running: number; waiting: number }> {
  const { rows } = await pool.query<{ running: number; waiting: number }>(
    `SELECT count(*) FILTER (WHERE state = 'active')::int AS running, count(*) FILTER (WHERE ${WAITING})::int AS waiting FROM pgboss.job WHERE name = $1`,
    [queue],
  );
  return rows[0] ?? { running: 0, waiting: 0 };
}

/**
 * What the web side of a cluster queue (fits, briefings) does the same way: find, cancel and count its jobs, hold the
 * line's limits, and stop. The subclasses submit and report their own kind of job.
 */
export abstract class ClusterQueueJobs<Data extends object> {
  readonly name = 'cluster' as const;
  protected limits: Pick<JobLimits, 'queueLimit' | 'perOwnerQueueLimit'>;

  constructor(
    protected readonly boss: PgBoss,
    protected readonly db: PgDatabase,
    protected readonly timing: ClusterTiming,
    private readonly queue: string,
    limits: Pick<JobLimits, 'queueLimit' | 'perOwnerQueueLimit'>,
  ) {
    this.limits = { queueLimit: limits.queueLimit, perOwnerQueueLimit: limits.perOwnerQueueLimit };
  }

  protected async job(id: string) {
    return this.boss.getJobById<Data>(this.queue, id, { includeArchive: true });
  }

  async cancel(id: string): Promise<boolean> {
    const job = await this.job(id);
    if (!job || !['created', 'retry', 'active'].includes(job.state)) return false;
    await this.boss.cancel(this.queue, id);
    return true;
  }

  async load(): Promise<{ running: number; waiting: number }> {
    return queueLoad(this.db.$client, this.queue);
  }

  /** The line's limits apply here; how many jobs run at once is each worker process's concurrency. */
  setLimits(limits: Partial<JobLimits>): void {
    this.limits = { queueLimit: limits.queueLimit ?? this.limits.queueLimit, perOwnerQueueLimit: limits.perOwnerQueueLimit ?? this.limits.perOwnerQueueLimit };
  }

  warm(): void {
    // The workers are other processes.
  }

  /** Stops this instance's pg-boss and connections (the jobs and their results stay in PostgreSQL). */
  async close(): Promise<void> {
    await this.boss.stop({ graceful: false, wait: true });
    await this.db.$client.end();
  }
}
