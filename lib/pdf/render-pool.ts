// Renders briefings off the request thread: one long-lived worker_threads Worker (the machine has two cores and the
// server needs one) with a small bounded queue. A full queue or a stuck render is refused, not waited for.
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { BriefingModel } from './briefing-model';

// Taken at run time rather than imported: the bundler treats `new Worker(<path>)` from an imported worker_threads as
// a worker to bundle, and would pull tsx and esbuild's binary into the server build.
const { Worker: WorkerThread } = process.getBuiltinModule('node:worker_threads');

const QUEUE_LIMIT = 8;
const TIMEOUT_MS = 30_000;

export class BriefingBusyError extends Error {
  constructor() {
    super('Too many briefings are being rendered; try again in a moment.');
  }
}

interface Pending {
  resolve: (pdf: Buffer) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

function workerFile(): string {
  // Resolved from the project root at run time (not bundled): the worker loads lib/pdf with tsx, as scripts do.
  return path.join(process.cwd(), 'lib', 'pdf', 'briefing-worker.mjs');
}

function failAll(error: Error) {
  for (const [id, job] of pending) {
    clearTimeout(job.timer);
    job.reject(error);
    pending.delete(id);
  }
}

function getWorker(): Worker {
  if (worker) return worker;
  const started = new WorkerThread(workerFile());
  started.on('message', (message: { id: number; ok: boolean; bytes?: Uint8Array; message?: string }) => {
    const job = pending.get(message.id);
    if (!job) return;
    pending.delete(message.id);
    clearTimeout(job.timer);
    if (message.ok && message.bytes) job.resolve(Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength));
    else job.reject(new Error(`Briefing rendering failed: ${message.message ?? 'unknown error'}`));
    if (pending.size === 0) started.unref();
  });
  started.on('error', (error) => {
    worker = null;
    failAll(error);
  });
  started.on('exit', () => {
    if (worker === started) worker = null;
    failAll(new Error('The briefing worker stopped.'));
  });
  worker = started;
  return started;
}

/** Starts the worker ahead of the first download (server start), so that download does not pay for loading it. */
export function warmBriefingWorker(): void {
  getWorker().unref();
}

export function renderBriefingInWorker(model: BriefingModel): Promise<Buffer> {
  if (pending.size >= QUEUE_LIMIT) return Promise.reject(new BriefingBusyError());
  const target = getWorker();
  target.ref();
  const id = nextId++;
  return new Promise<Buffer>((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error(`Briefing rendering took longer than ${TIMEOUT_MS / 1000} s.`));
      // A stuck layout would hold every later job: start afresh.
      void target.terminate();
    }, TIMEOUT_MS);
    pending.set(id, { resolve, reject, timer });
    target.postMessage({ id, model });
  });
}

export async function closeBriefingWorkers(): Promise<void> {
  const current = worker;
  worker = null;
  if (current) await current.terminate();
}
