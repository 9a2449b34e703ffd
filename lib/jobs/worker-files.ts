// Where the compiled worker entries are: dist/workers/*.mjs, built by `npm run build:workers` (esbuild, see
// lib/jobs/build-workers.mjs) from lib/jobs/entries. Found from this module's own location, or, inside the Next.js
// server bundle, from JOBS_WORKER_DIR that next.config.js sets at build time: never from the working directory.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WORKER_ENTRIES = ['fit', 'bootstrap', 'briefing', 'import'] as const;
export type WorkerEntry = (typeof WORKER_ENTRIES)[number];

export function workerDirectory(): string {
  const configured = process.env.JOBS_WORKER_DIR;
  if (configured) return configured;
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'workers');
}

export class WorkerNotBuiltError extends Error {}

/** The compiled entry of a worker; a readable error when `npm run build:workers` has not run. */
export function workerFile(entry: WorkerEntry, directory = workerDirectory()): string {
  const file = path.join(directory, `${entry}.mjs`);
  if (!fs.existsSync(file)) throw new WorkerNotBuiltError(`The ${entry} worker is not built (${file} is missing): run \`npm run build:workers\`.`);
  return file;
}
