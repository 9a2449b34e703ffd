// What the cluster tests share: a throwaway PostgreSQL, migrated, with a dataset version built in a SQLite file (as
// setup builds it) and published into PostgreSQL, where the workers read it; worker processes (the compiled `npm run worker` entry, or tests/cluster/test-worker.ts with injected faults) whose output
// lines are kept; and the web side of the back end (ClusterFitJobs) in this process.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { applyPgMigrations, openPgDatabase, type PgDatabase } from '@/db/pg';
import { openDatabase } from '@/db/client';
import { publishDatasetVersion } from '@/db/publish';
import { clusterTiming, startBoss, type ClusterTiming } from '@/lib/jobs/pg/boss';
import { ClusterFitJobs } from '@/lib/jobs/pg/fit-jobs';
import type { FitPayload } from '@/lib/jobs/payloads';
import { modelCacheKey } from '@/lib/models/cache-key';
import { MODEL_PRESETS } from '@/lib/models/presets';
import type { ModelRequest } from '@/lib/models/request';
import { startPostgres, type Postgres } from '../support/postgres';
import { createDatabase, temporaryFolder } from '../import/database';

const root = path.resolve(import.meta.dirname, '..', '..');

/** Short times so that a lost worker's job is retried within seconds (production: the fit's limit + 30 s). */
export const TEST_ENV = { CLUSTER_JOB_EXPIRE_SECONDS: '5', CLUSTER_MAINTENANCE_SECONDS: '1', CLUSTER_POLLING_SECONDS: '0.5', CLUSTER_RETRY_LIMIT: '2', MODEL_TIMEOUT_MS: '60000' };
export const testTiming = (): ClusterTiming => clusterTiming({ ...process.env, ...TEST_ENV });

export interface ClusterSetup {
  pg: Postgres;
  url: string;
  databasePath: string;
  datasetId: number;
  folder: string;
  db: PgDatabase;
  close(): Promise<void>;
}

/** PostgreSQL started, migrated and holding a published dataset version (also in a SQLite file, as a web machine
 * built it); or the reason PostgreSQL cannot run here. */
export async function setUpCluster(respondents = 3000): Promise<{ ok: true; setup: ClusterSetup } | { ok: false; reason: string }> {
  const started = await startPostgres();
  if (!started.ok) return started;
  const { pg } = started;
  const folder = temporaryFolder('cluster-');
  const databasePath = path.join(folder, 'dataset.db');
  const { db: sqlite, datasetId } = await createDatabase(databasePath, respondents);
  sqlite.$client.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.$client.close();
  const db = openPgDatabase(pg.url);
  await applyPgMigrations(db);
  const readonly = openDatabase(databasePath, { readonly: true });
  try {
    await publishDatasetVersion(readonly, db.$client, datasetId);
  } finally {
    readonly.$client.close();
  }
  return {
    ok: true,
    setup: {
      pg,
      url: pg.url,
      databasePath,
      datasetId,
      folder,
      db,
      async close() {
        await db.$client.end();
        pg.stop();
        fs.rmSync(folder, { recursive: true, force: true });
      },
    },
  };
}

/** The web side of the back end, as a web instance has it. */
export async function webInstance(url: string, limits = { queueLimit: 100, perOwnerQueueLimit: 100 }, timing = testTiming()): Promise<ClusterFitJobs> {
  return new ClusterFitJobs(await startBoss(url, timing, { supervise: false }), openPgDatabase(url), timing, limits);
}

export const olsRequest = (): ModelRequest => MODEL_PRESETS.find((p) => p.request.type === 'ols' && p.request.wave === 2017)!.request;

export function fitPayload(setup: Pick<ClusterSetup, 'databasePath' | 'datasetId'>, username = 'analyst', request: ModelRequest = olsRequest()): FitPayload {
  return { databasePath: setup.databasePath, datasetId: setup.datasetId, request, cacheKey: modelCacheKey(request, setup.datasetId), username };
}

export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
  /** Resolves when an output line matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  kill(signal?: NodeJS.Signals): void;
}

/** A worker process (the compiled `npm run worker` entry, or the fault-injecting test worker), with no SQLite file:
 * DATABASE_PATH names a path that does not exist, so a fit can only read the dataset from PostgreSQL. */
export function startWorkerProcess(setup: Pick<ClusterSetup, 'url'>, name: string, options: { kind?: 'compiled' | 'test'; env?: Record<string, string> } = {}): WorkerProcess {
  const [command, args] =
    options.kind === 'test'
      ? // The react-server condition makes `server-only` (on every database module) resolve to its empty server build.
      [process.execPath, ['--conditions=react-server', '--import', 'tsx', path.join(root, 'tests', 'cluster', 'test-worker.ts')]]
      : [process.execPath, [path.join(root, 'dist', 'workers', 'pg-worker.mjs')]];
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...TEST_ENV, DATABASE_URL: setup.url, DATABASE_PATH: path.join(root, 'no-such-folder', `${name}.db`), WORKER_NAME: name, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      lines.push(line);
      for (const listener of listeners) listener(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    name,
    child,
    lines,
    exited,
    kill: (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    waitFor(pattern, timeoutMs = 60_000) {
      const seen = lines.find((line) => pattern.test(line));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`worker ${name}: no line matching ${pattern} within ${timeoutMs} ms. Output:\n${lines.join('\n')}`));
        }, timeoutMs);
        const listener = (line: string) => {
          if (!pattern.test(line)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(line);
        };
        listeners.add(listener);
      });
    },
  };
}

/** Polls a job's status until it has settled. */
export async function settled(jobs: ClusterFitJobs, id: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await jobs.status(id);
    if (status && (status.state === 'done' || status.state === 'failed' || status.state === 'cancelled')) return status;
    if (Date.now() > deadline) throw new Error(`job ${id} not settled within ${timeoutMs} ms (last: ${JSON.stringify(status)})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
