// A model worker thread: takes one job at a time from the queue (queue.ts), runs it on its own read-only SQLite
// connection and posts the output or a readable error back. Heavy numerical work stays off the server's event loop.
import Database from 'better-sqlite3';
import { parentPort } from 'node:worker_threads';
import { setReplicateRunner } from '../stats/mediation';
import { ModelError } from '../stats/types';
import { createParallelReplicateRunner } from './parallel-bootstrap';
import type { ModelRequest } from './request';
import { runModelRequest } from './run';

export interface WorkerJob {
  jobId: string;
  databasePath: string;
  datasetId: number;
  request: ModelRequest;
}

export type WorkerReply =
  | { jobId: string; ok: true; output: ReturnType<typeof runModelRequest> }
  | { jobId: string; ok: false; error: { code: string; message: string } };

// Mediation bootstraps use a second thread for half of their replicates.
setReplicateRunner(createParallelReplicateRunner());

const connections = new Map<string, Database.Database>();

function connection(databasePath: string): Database.Database {
  let db = connections.get(databasePath);
  if (!db) {
    db = new Database(databasePath, { readonly: true, fileMustExist: true });
    connections.set(databasePath, db);
  }
  return db;
}

parentPort?.on('message', (job: WorkerJob) => {
  let reply: WorkerReply;
  try {
    reply = { jobId: job.jobId, ok: true, output: runModelRequest(connection(job.databasePath), job.datasetId, job.request) };
  } catch (error) {
    const known = error instanceof ModelError;
    reply = {
      jobId: job.jobId,
      ok: false,
      error: { code: known ? error.code : 'failed', message: known ? error.message : `The model failed: ${error instanceof Error ? error.message : String(error)}` },
    };
  }
  parentPort?.postMessage(reply);
});
