// The web side of the cluster back end for briefings: the web instance builds the BriefingModel (from the query
// layer, disclosure-controlled and formatted) and queues it as a pg-boss job; a worker process (`npm run worker`,
// lib/jobs/pg/worker.ts) lays it out in its briefing thread, with no database of its own, and stores the PDF in
// PostgreSQL (briefing_files), where any web instance finds it for its owner until it expires. A worker lost mid-way
// is retried by pg-boss after the briefing's expiry; a job given up is recorded failed by the first instance to look.
// A waiting request wakes when the outcome is announced (PostgreSQL NOTIFY on one LISTENing connection per instance),
// and looks again every second anyway, in case an announcement was lost with a connection.
import type pg from 'pg';
import type PgBoss from 'pg-boss';
import type { PgDatabase } from '@/db/pg';
import { findBriefingFile, findBriefingOutcome, saveBriefingOutcome, type BriefingFileStem } from '@/lib/queries/cluster-briefings';
import type { JobBackend } from '../backend';
import { briefingPayloadSchema, type BriefingPayload } from '../payloads';
import { JobPayloadError, QueueFullError } from '../pool';
import type { JobError, JobLimits, JobStatus } from '../types';
import { BRIEFING_QUEUE, briefingExpireSeconds, ClusterQueueJobs, WAITING, type ClusterTiming } from './boss';
import { givenUpError } from './fit-jobs';

/** What a briefing job carries in pg-boss. */
export interface ClusterBriefingData {
  payload: BriefingPayload;
  ownerId: number;
  submittedAt: number;
}


/** The channel a briefing's outcome is announced on, its job id as the payload. */
export const BRIEFING_SETTLED_CHANNEL = 'briefing_settled';

/** Wakes every web instance waiting for this briefing (PostgreSQL delivers the notice to each listening session). */
export async function announceBriefingSettled(pool: pg.Pool, jobId: string): Promise<void> {
  await pool.query('SELECT pg_notify($1, $2)', [BRIEFING_SETTLED_CHANNEL, jobId]);
}

/** How often a waiting request looks anyway: while this instance listens, and while it cannot. */
const POLL_MS = { listening: 1000, notListening: 200 };

/** The file name a briefing is stored under when its payload names none. */
export const DEFAULT_FILE_STEM: BriefingFileStem = { ascii: 'briefing', unicode: 'briefing' };

export class ClusterBriefingJobs extends ClusterQueueJobs<ClusterBriefingData> implements JobBackend<BriefingPayload, Uint8Array> {
  /** The connection that LISTENs for announced outcomes (null when it could not be had: polling only). */
  private listener: Promise<pg.PoolClient | null> | undefined;
  /** Requests waiting for a briefing, by job id. */
  private readonly waiting = new Map<string, Set<() => void>>();

  constructor(boss: PgBoss, db: PgDatabase, timing: ClusterTiming, limits: Pick<JobLimits, 'queueLimit' | 'perOwnerQueueLimit'>) {
    super(boss, db, timing, BRIEFING_QUEUE, limits);
  }

  async submit(payload: BriefingPayload, ownerId: number): Promise<{ id: string; status: JobStatus<Uint8Array> }> {
    const parsed = briefingPayloadSchema.safeParse(payload);
    if (!parsed.success) throw new JobPayloadError(`Invalid briefing job: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ')}`);
    // The line's limits over every web instance's briefings (a guard, not an exact quota: see ClusterFitJobs.submit).
    const { rows } = await this.db.$client.query<{ owner: number }>(`SELECT (data->>'ownerId')::int AS owner FROM pgboss.job WHERE name = $1 AND ${WAITING} ORDER BY created_on, id`, [BRIEFING_QUEUE]);
    const ownPositions = rows.flatMap((row, index) => (row.owner === ownerId ? [index + 1] : []));
    if (ownPositions.length >= this.limits.perOwnerQueueLimit) throw new QueueFullError({ reason: 'owner_limit', limit: this.limits.perOwnerQueueLimit, ownPositions });
    if (rows.length >= this.limits.queueLimit) {
      const { running } = await this.load();
      throw new QueueFullError({ reason: 'queue_full', waiting: rows.length, running, ownPositions, wouldBePosition: rows.length + 1 });
    }
    const data: ClusterBriefingData = { payload: parsed.data, ownerId, submittedAt: Date.now() };
    const id = await this.boss.send(BRIEFING_QUEUE, data, { retryLimit: this.timing.retryLimit, retryDelay: 0, expireInSeconds: briefingExpireSeconds(this.timing) });
    if (!id) throw new Error('pg-boss did not queue the briefing.');
    return { id, status: { state: 'queued', position: rows.length + 1 } };
  }


  async ownerOf(id: string): Promise<number | null> {
    const outcome = await findBriefingOutcome(this.db, id);
    if (outcome) return outcome.ownerId;
    const job = await this.job(id);
    return job ? job.data.ownerId : null;
  }

  /** Where a briefing stands, without its file (`download` gives the file to its owner). */
  private async progress(id: string): Promise<Exclude<JobStatus<never>, { state: 'done' }> | { state: 'done'; durationMs: number } | null> {
    const outcome = await findBriefingOutcome(this.db, id);
    if (outcome) return outcome.state === 'done' ? { state: 'done', durationMs: outcome.durationMs ?? 0 } : { state: 'failed', error: outcome.error ?? { code: 'failed', message: 'The briefing could not be rendered.' } };
    const job = await this.job(id);
    if (!job) return null;
    switch (job.state) {
      case 'created':
      case 'retry': {
        const { rows } = await this.db.$client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND ${WAITING} AND (created_on, id) < ($2, $3::uuid)`,
          [BRIEFING_QUEUE, job.createdOn, id],
        );
        return { state: 'queued', position: (rows[0]?.n ?? 0) + 1 };
      }
      case 'active':
        return { state: 'running', startedAt: new Date(job.startedOn).getTime(), progress: null };
      case 'cancelled':
        return { state: 'cancelled' };
      case 'completed':
      case 'failed': {
        // The worker writes the outcome before it completes the job: here the retries ran out with the worker lost
        // or crashed each time (or the file has already expired). Record it once.
        const error: JobError = { ...givenUpError(job.retryCount + 1, job.retryLimit), message: `The briefing worker stopped ${job.retryCount + 1} time(s) while laying out this briefing; it was given up. Try again, or ask an administrator to check the workers.` };
        if (await saveBriefingOutcome(this.db, { jobId: id, ownerId: job.data.ownerId, state: 'failed', fileStem: job.data.payload.fileStem ?? DEFAULT_FILE_STEM, error, worker: null, attempts: job.retryCount + 1, durationMs: null })) {
          await announceBriefingSettled(this.db.$client, id).catch(() => undefined);
        }
        const saved = await findBriefingOutcome(this.db, id);
        return saved?.state === 'done' ? { state: 'done', durationMs: saved.durationMs ?? 0 } : { state: 'failed', error: saved?.error ?? error };
      }
    }
  }

  async status(id: string): Promise<JobStatus<Uint8Array> | null> {
    const progress = await this.progress(id);
    if (progress?.state !== 'done') return progress;
    const owner = await this.ownerOf(id);
    const file = owner === null ? null : await findBriefingFile(this.db, id, owner);
    return file ? { state: 'done', output: new Uint8Array(file.pdf), durationMs: progress.durationMs } : null;
  }

  /** The PDF for its owner only; null for anyone else, while it is not ready, and once it expired. */
  async download(id: string, ownerId: number): Promise<{ pdf: Buffer; fileStem: BriefingFileStem } | null> {
    return findBriefingFile(this.db, id, ownerId);
  }

  /**
   * Waits for a briefing to end; the PDF for its owner, or the error. Wakes when a worker announces the outcome, and
   * looks every `pollMs` regardless. Gives up waiting (not the job) after `timeoutMs`, with a `timeout` error: the
   * file can still be fetched by id once it is ready.
   */
  async wait(id: string, ownerId: number, timeoutMs: number, pollMs?: number): Promise<{ ok: true; pdf: Buffer; fileStem: BriefingFileStem } | { ok: false; error: JobError }> {
    const deadline = Date.now() + timeoutMs;
    const listening = (await this.listen()) !== null;
    const interval = pollMs ?? (listening ? POLL_MS.listening : POLL_MS.notListening);
    for (;;) {
      // Registered before looking, so an announcement between the look and the sleep is not missed.
      const announced = this.announcement(id);
      try {
        const progress = await this.progress(id);
        if (progress?.state === 'done') {
          const file = await this.download(id, ownerId);
          return file ? { ok: true, ...file } : { ok: false, error: { code: 'not_found', message: 'The briefing is not available.' } };
        }
        if (!progress) return { ok: false, error: { code: 'not_found', message: 'No such briefing.' } };
        if (progress.state === 'failed') return { ok: false, error: progress.error };
        if (progress.state === 'cancelled') return { ok: false, error: { code: 'cancelled', message: 'The briefing was cancelled.' } };
        const left = deadline - Date.now();
        if (left <= 0) return { ok: false, error: { code: 'timeout', message: 'The briefing is not ready yet.' } };
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([announced.promise, new Promise((resolve) => (timer = setTimeout(resolve, Math.min(interval, left))))]);
        clearTimeout(timer);
      } finally {
        announced.stop();
      }
    }
  }

  /** Resolves when the briefing's outcome is announced; `stop` forgets the wait. */
  private announcement(id: string): { promise: Promise<void>; stop: () => void } {
    let wake!: () => void;
    const promise = new Promise<void>((resolve) => (wake = resolve));
    const waiters = this.waiting.get(id) ?? new Set<() => void>();
    waiters.add(wake);
    this.waiting.set(id, waiters);
    return {
      promise,
      stop: () => {
        waiters.delete(wake);
        if (waiters.size === 0 && this.waiting.get(id) === waiters) this.waiting.delete(id);
      },
    };
  }

  /** This instance's LISTENing connection, opened on first use; null when it cannot be had (the waits then poll). */
  private listen(): Promise<pg.PoolClient | null> {
    this.listener ??= (async () => {
      let client: pg.PoolClient | undefined;
      try {
        client = await this.db.$client.connect();
        const listening = client;
        client.on('notification', (notice) => {
          for (const wake of this.waiting.get(notice.payload ?? '') ?? []) wake();
        });
        client.on('error', (error) => {
          console.error('briefing announcements:', error.message);
          this.listener = undefined;
          listening.release(error);
        });
        await client.query(`LISTEN ${BRIEFING_SETTLED_CHANNEL}`);
        return client;
      } catch (error) {
        client?.release(true);
        console.error('briefing announcements: not listening, polling instead:', error instanceof Error ? error.message : error);
        this.listener = undefined;
        return null;
      }
    })();
    return this.listener;
  }

  /** Gives back the listening connection, then stops as every cluster line does. */
  override async close(): Promise<void> {
    const listener = await this.listener;
    this.listener = undefined;
    listener?.release(true);
    await super.close();
  }
}
