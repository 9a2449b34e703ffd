// Briefing jobs: PDFs are laid out in one worker thread (the machine has two cores and the server needs one), with a
// short fair line; a full line is refused with a message rather than waited for, and a stuck layout is stopped.
import type { BriefingModel } from '../pdf/briefing-model';
import { JobPool } from './pool';
import { briefingPayloadSchema, type BriefingPayload } from './payloads';
import { sharedPool, startWorkerThread } from './threads';

export const BRIEFING_LIMITS = { maxConcurrent: 1, queueLimit: 8, perOwnerQueueLimit: 3, timeoutMs: 30_000 };

export function briefingJobs(): JobPool<BriefingPayload, Uint8Array> {
  return sharedPool('briefing', () => new JobPool<BriefingPayload, Uint8Array>({ kind: 'briefing', noun: 'briefing', schema: briefingPayloadSchema, createWorker: () => startWorkerThread('briefing'), ...BRIEFING_LIMITS }));
}

/** Renders a briefing in the worker for `ownerId` (QueueFullError when the line is full, JobFailedError on failure). */
export async function renderBriefingJob(model: BriefingModel, ownerId: number): Promise<Buffer> {
  const bytes = await briefingJobs().run({ model }, ownerId);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
