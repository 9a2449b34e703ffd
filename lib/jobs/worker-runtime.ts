// The worker side of the jobs layer: a worker entry hands its handler to serveJobs, which takes one job at a time from
// the pool, passes a progress reporter, and answers with the output or a readable error (an error with a string
// `code`, such as the engine's ModelError, keeps its code and message).
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { JobProgress, WorkerMessage, WorkerRequest } from './types';

export type JobHandler<Payload, Output> = (payload: Payload, reportProgress: (progress: JobProgress) => void) => Output | Promise<Output>;

/** Objects whose buffers are moved to the pool rather than copied (a PDF's bytes). */
export type TransferList = (output: unknown) => ArrayBuffer[];

export function serveJobs<Payload, Output>(handler: JobHandler<Payload, Output>, transfer?: TransferList): void {
  const port = parentPort;
  if (!port) throw new Error('serveJobs runs inside a worker thread.');
  // Background jobs yield the CPU to the server's request thread: on Linux a thread's priority is its own, so this
  // lowers this worker (and the threads it starts) only. Not allowed or not Linux: run at normal priority.
  const niceness = (workerData as { niceness?: unknown } | null)?.niceness;
  if (typeof niceness === 'number' && niceness > 0) {
    try {
      os.setPriority(0, niceness);
    } catch {
      // keep the normal priority
    }
  }
  // A failure to post the reply itself (an output that cannot be cloned) rejects: the unhandled rejection ends the
  // worker, which the pool reports as a crash.
  const reply = async ({ jobId, payload }: WorkerRequest<Payload>) => {
    let message: WorkerMessage<Output>;
    try {
      const output = await handler(payload, (progress) => port.postMessage({ jobId, progress } satisfies WorkerMessage<Output>));
      message = { jobId, ok: true, output };
    } catch (error) {
      const code = error instanceof Error && typeof (error as unknown as { code?: unknown }).code === 'string' ? (error as unknown as { code: string }).code : null;
      const text = error instanceof Error ? error.message : String(error);
      message = { jobId, ok: false, error: { code: code ?? 'failed', message: code ? text : `The job failed: ${text}` } };
    }
    port.postMessage(message, message.ok && transfer ? transfer(message.output) : []);
  };
  port.on('message', (request: WorkerRequest<Payload>) => void reply(request));
}
