// Worker entry for model fits (compiled to dist/workers/fit.mjs): runs a fit on the worker's own read-only SQLite
// connection. Mediation bootstraps split their replicates with a second thread, the runner passed to the engine.
import Database from 'better-sqlite3';
import path from 'node:path';
import { workerData } from 'node:worker_threads';
import { createParallelReplicateRunner } from '../../models/parallel-bootstrap';
import { runModelRequest } from '../../models/run';
import type { FitPayload } from '../payloads';
import { serveJobs } from '../worker-runtime';

// The pool says where the compiled workers are; the bootstrap half is this file's neighbour.
const directory = (workerData as { workerDirectory?: string } | null)?.workerDirectory ?? path.dirname(new URL(import.meta.url).pathname);
const replicateRunner = createParallelReplicateRunner(path.join(directory, 'bootstrap.mjs'));

const connections = new Map<string, Database.Database>();
function connection(databasePath: string): Database.Database {
  let db = connections.get(databasePath);
  if (!db) {
    db = new Database(databasePath, { readonly: true, fileMustExist: true });
    connections.set(databasePath, db);
  }
  return db;
}

serveJobs(({ databasePath, datasetId, request }: FitPayload) => runModelRequest(connection(databasePath), datasetId, request, { replicateRunner }));
