// A cluster worker process (`npm run worker`): takes fit and briefing jobs from pg-boss and runs each in a worker
// thread of its kind (the embedded back end's JobPool, so time limits and a crashed thread are handled as on the web
// server). For fits, the respondents come from PostgreSQL, where setup and import publish each dataset version
// (db/publish.ts): the first fit of a version copies them into this process's cache (lib/queries/cluster-dataset.ts),
// so a worker machine needs only DATABASE_URL; the outcome, the model cache and the audit row go to PostgreSQL once.
// A briefing needs no database here: its job carries the finished layout model, and the PDF goes to PostgreSQL
// (briefing_files) for its owner to fetch from any web instance.
//
// Retries: a fit that ends (a result, or the engine's refusal, or its time limit) is final. A fit thread that crashes
// makes the job fail here and pg-boss retries it; a worker process that dies (kill -9, a lost machine) never answers,
// and pg-boss retries its job once the job's expiry has passed. After the retry limit the job ends failed.
import os from 'node:os';
import type PgBoss from 'pg-boss';
import { openPgDatabase, type PgDatabase } from '@/db/pg';
import { ClusterDatasetCache } from '@/lib/queries/cluster-dataset';
import { findFitOutcome, saveFitOutcome } from '@/lib/queries/cluster-jobs';
import type { ModelRunOutput } from '@/lib/models/run';
import { deleteExpiredBriefings, findBriefingOutcome, saveBriefingOutcome } from '@/lib/queries/cluster-briefings';
import { briefingPayloadSchema, fitPayloadSchema, type BriefingPayload, type FitPayload } from '../payloads';
import { JobPool } from '../pool';
import { startWorkerThread } from '../threads';
import { BRIEFING_QUEUE, BRIEFING_TIMEOUT_SECONDS, clusterTiming, FIT_QUEUE, startBoss, type ClusterTiming } from './boss';
import { announceBriefingSettled, DEFAULT_FILE_STEM, type ClusterBriefingData } from './briefing-jobs';
import { outcomeOfJob, type ClusterFitData } from './fit-jobs';
import type { JobError } from '../types';

export interface ClusterWorkerOptions {
  url: string;
  /** Fits this process runs at once (one thread each). */
  concurrency?: number;
  /** This worker's name in the results and the audit (default host:pid). */
  name?: string;
  timing?: ClusterTiming;
  /** Briefings this process lays out at once (one thread each; default 1, 0 takes no briefings). */
  briefingConcurrency?: number;
  /** Awaited as each fit starts (the tests' fault injection). */
  onFitStart?: (payload: FitPayload, job: PgBoss.JobWithMetadata<ClusterFitData>) => void | Promise<void>;
  log?: (line: string) => void;
}

/** The refusal when PostgreSQL holds no such published version (final: publishing it is an administrator's step). */
export function datasetMissingError(datasetId: number): JobError {
  return {
    code: 'dataset_missing',
    message: `Dataset version ${datasetId} is not published in PostgreSQL; the request was not fitted. Ask an administrator to run \`npm run setup\` (or the import) with DATABASE_URL set.`,
  };
}

export interface ClusterWorker {
  name: string;
  stop(): Promise<void>;
}

export async function startClusterWorker(options: ClusterWorkerOptions): Promise<ClusterWorker> {
  const timing = options.timing ?? clusterTiming();
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const name = options.name ?? `${os.hostname()}:${process.pid}`;
  const log = options.log ?? ((line: string) => console.log(line));
  const briefingConcurrency = Math.max(0, options.briefingConcurrency ?? 1);
  const db: PgDatabase = openPgDatabase(options.url, { max: 2 + concurrency + briefingConcurrency });
  const boss = await startBoss(options.url, timing);
  const pool = new JobPool<FitPayload, ModelRunOutput>({
    kind: 'fit',
    noun: 'model',
    schema: fitPayloadSchema,
    maxConcurrent: concurrency,
    queueLimit: concurrency,
    perOwnerQueueLimit: concurrency + 1,
    timeoutMs: timing.fitTimeoutSeconds * 1000,
    createWorker: () => startWorkerThread('fit'),
  });
  pool.warm();
  const datasets = new ClusterDatasetCache(db.$client);
  const logged = new Set<number>();

  const handle = async (job: PgBoss.JobWithMetadata<ClusterFitData>) => {
    // An earlier attempt may have written the outcome and died before telling pg-boss: do not fit it again.
    if (await findFitOutcome(db, job.id)) return { worker: name, alreadyDone: true };
    const payload = fitPayloadSchema.parse(job.data.payload);
    log(`worker ${name}: fit ${job.id} started (attempt ${job.retryCount + 1})`);
    await options.onFitStart?.(payload, job);
    const started = Date.now();
    const copy = await datasets.get(payload.datasetId);
    if (!copy) log(`worker ${name}: PostgreSQL holds no published dataset version ${payload.datasetId}: fit ${job.id} refused`);
    else if (!logged.has(copy.datasetId)) {
      // The first fit of a version pays for its copy (the cluster's first-fit cost): said once per version.
      logged.add(copy.datasetId);
      log(`worker ${name}: dataset version ${copy.datasetId} copied from PostgreSQL (${copy.respondents} respondents) in ${copy.ms} ms`);
    }
    // The web server's dataset path in the payload means nothing here: the fit reads this process's copy.
    const settled = copy
      ? await pool.wait(pool.submit({ ...payload, databasePath: copy.databasePath }, job.data.ownerId).id)
      : { state: 'failed' as const, output: null, error: datasetMissingError(payload.datasetId) };
    if (settled.state === 'failed' && settled.error?.code === 'worker_crashed') throw new Error(settled.error.message);
    if (settled.state === 'cancelled') throw new Error('The fit was stopped on this worker.');
    // Cancelled meanwhile by its owner: nothing to record.
    const { rows } = await db.$client.query<{ state: string }>('SELECT state FROM pgboss.job WHERE name = $1 AND id = $2', [FIT_QUEUE, job.id]);
    if (rows[0]?.state === 'cancelled') return { worker: name, cancelled: true };
    const first = await saveFitOutcome(db, {
      ...outcomeOfJob(job.id, job.data),
      attempts: job.retryCount + 1,
      worker: name,
      waitedMs: Math.max(0, started - job.data.submittedAt),
      durationMs: Date.now() - started,
      state: settled.state === 'done' ? 'done' : 'failed',
      output: settled.output ?? undefined,
      error: settled.error ?? undefined,
    });
    log(`worker ${name}: fit ${job.id} ${settled.state}${first ? '' : ' (already recorded)'} in ${Date.now() - started} ms`);
    return { worker: name };
  };

  // The active version is copied before the first job is taken, so that the first fit does not pay for it (nor count
  // the copy against its expiry). A version activated later is copied by its first fit.
  try {
    const { rows } = await db.$client.query<{ id: number }>("SELECT id FROM datasets WHERE active AND status = 'ready' LIMIT 1");
    const active = rows[0]?.id;
    const copy = active === undefined ? null : await datasets.get(active);
    if (copy) {
      logged.add(copy.datasetId);
      log(`worker ${name}: dataset version ${copy.datasetId} copied from PostgreSQL (${copy.respondents} respondents) in ${copy.ms} ms`);
    }
  } catch (error) {
    log(`worker ${name}: could not copy the active dataset version yet (${error instanceof Error ? error.message : String(error)}); its first fit will`);
  }
  // Briefings: a layout thread started ahead of the first job (a briefing is awaited by a click), no niceness.
  const briefings = new JobPool<BriefingPayload, Uint8Array>({
    kind: 'briefing',
    noun: 'briefing',
    schema: briefingPayloadSchema,
    maxConcurrent: Math.max(1, briefingConcurrency),
    queueLimit: Math.max(1, briefingConcurrency),
    perOwnerQueueLimit: Math.max(1, briefingConcurrency) + 1,
    timeoutMs: BRIEFING_TIMEOUT_SECONDS * 1000,
    createWorker: () => startWorkerThread('briefing'),
  });
  if (briefingConcurrency > 0) briefings.warm();

  const handleBriefing = async (job: PgBoss.JobWithMetadata<ClusterBriefingData>) => {
    if (await findBriefingOutcome(db, job.id)) return { worker: name, alreadyDone: true };
    const payload = briefingPayloadSchema.parse(job.data.payload);
    const started = Date.now();
    const settled = await briefings.wait(briefings.submit(payload, job.data.ownerId).id);
    // A crashed layout thread: let pg-boss retry it (up to the retry limit), as for fits.
    if (settled.state === 'failed' && settled.error?.code === 'worker_crashed') throw new Error(settled.error.message);
    if (settled.state === 'cancelled') throw new Error('The briefing was stopped on this worker.');
    await deleteExpiredBriefings(db);
    const first = await saveBriefingOutcome(db, {
      jobId: job.id,
      ownerId: job.data.ownerId,
      state: settled.state === 'done' ? 'done' : 'failed',
      pdf: settled.output ?? undefined,
      fileStem: payload.fileStem ?? DEFAULT_FILE_STEM,
      error: settled.error ?? undefined,
      worker: name,
      attempts: job.retryCount + 1,
      durationMs: Date.now() - started,
    });
    // Wakes the web instances waiting for it (they also look every second, so a lost notice only costs time).
    if (first) await announceBriefingSettled(db.$client, job.id).catch((error: unknown) => log(`worker ${name}: briefing ${job.id} not announced: ${error instanceof Error ? error.message : String(error)}`));
    log(`worker ${name}: briefing ${job.id} ${settled.state}${first ? '' : ' (already recorded)'} in ${Date.now() - started} ms`);
    return { worker: name };
  };

  for (let i = 0; i < concurrency; i++) {
    await boss.work<ClusterFitData>(FIT_QUEUE, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: timing.pollingSeconds }, async ([job]) => (job ? handle(job) : undefined));
  }
  for (let i = 0; i < briefingConcurrency; i++) {
    await boss.work<ClusterBriefingData>(BRIEFING_QUEUE, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: timing.pollingSeconds }, async ([job]) => (job ? handleBriefing(job) : undefined));
  }
  log(`worker ${name}: taking fit jobs (${concurrency} at once) and briefing jobs (${briefingConcurrency} at once); lost jobs retried after their expiry, ${timing.retryLimit} retries`);
  return {
    name,
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 5_000 });
      await Promise.all([pool.close(), briefings.close()]);
      datasets.close();
      await db.$client.end();
    },
  };
}
