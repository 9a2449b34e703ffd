// Import jobs for the admin page: one survey-file check or load at a time in a worker thread with its own database
// connection, so the seconds of CPU do not block the web server and a stopped load never touches the server's handle.
import { JobPool } from './pool';
import { importPayloadSchema, type ImportPayload } from './payloads';
import type { DryRunResult, ImportResult } from './import-job';
import { sharedPool, startWorkerThread } from './threads';

export const IMPORT_LIMITS = { maxConcurrent: 1, queueLimit: 2, perOwnerQueueLimit: 1, timeoutMs: 15 * 60_000 };

export function importJobs(): JobPool<ImportPayload, DryRunResult | ImportResult> {
  return sharedPool('import', () => new JobPool<ImportPayload, DryRunResult | ImportResult>({ kind: 'import', noun: 'import', schema: importPayloadSchema, createWorker: () => startWorkerThread('import'), ...IMPORT_LIMITS }));
}

/** Runs an import job and resolves with its result line (QueueFullError, JobFailedError as for any job). */
export function runImportJob<T extends DryRunResult | ImportResult>(payload: ImportPayload): Promise<T> {
  return importJobs().run(payload, payload.user.id) as Promise<T>;
}
