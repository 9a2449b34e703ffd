// Starts worker threads from the compiled entries and keeps one pool per job kind for the life of the server process
// (on globalThis, so that Next.js's module reloading in development does not start a second set of workers).
import type { Worker } from 'node:worker_threads';
import type { JobPool } from './pool';
import type { JobKind } from './types';
import { workerDirectory, workerFile, type WorkerEntry } from './worker-files';

// Taken at run time rather than imported: a bundler treats `new Worker(<path>)` from an imported worker_threads as a
// worker to bundle; these workers are already compiled (dist/workers).
const { Worker: WorkerThread } = process.getBuiltinModule('node:worker_threads');

/** Niceness of each kind's worker threads: fits and imports run in the background; a briefing is awaited by a click. */
const NICENESS: Record<Exclude<WorkerEntry, 'bootstrap'>, number> = { fit: 19, import: 10, briefing: 0 };

export function startWorkerThread(entry: Exclude<WorkerEntry, 'bootstrap'>): Worker {
  const directory = workerDirectory();
  return new WorkerThread(workerFile(entry, directory), { workerData: { workerDirectory: directory, niceness: NICENESS[entry] } });
}

const pools = globalThis as unknown as { jobPools?: Map<JobKind, JobPool<unknown, unknown>> };

/** The process's pool for a kind, created on first use. */
export function sharedPool<Payload, Output>(kind: JobKind, create: () => JobPool<Payload, Output>): JobPool<Payload, Output> {
  pools.jobPools ??= new Map();
  let pool = pools.jobPools.get(kind) as JobPool<Payload, Output> | undefined;
  if (!pool) {
    pool = create();
    pools.jobPools.set(kind, pool as JobPool<unknown, unknown>);
  }
  return pool;
}

/** Stops every pool's workers (tests, shutdown). */
export async function closeSharedPools(): Promise<void> {
  const all = [...(pools.jobPools?.values() ?? [])];
  pools.jobPools?.clear();
  await Promise.all(all.map((pool) => pool.close()));
}
