// A small bounded job queue over worker threads: at most `maxConcurrent` fits run at once (2 on this 2-core machine),
// up to `queueLimit` more wait in line with their position known, later ones are refused. Each job has a time limit
// and can be cancelled; a worker that crashes, times out or is cancelled is terminated and replaced, so one bad fit
// never blocks the queue. Framework-free: the service (service.ts) adds caching, audit and the session checks.
import { randomUUID } from 'node:crypto';
import type { Worker } from 'node:worker_threads';

export interface JobError {
  code: string;
  message: string;
}

export type JobStatus<Output> =
  | { state: 'queued'; position: number }
  | { state: 'running'; startedAt: number }
  | { state: 'done'; output: Output; durationMs: number }
  | { state: 'failed'; error: JobError }
  | { state: 'cancelled' };

export interface Job<Payload, Output> {
  id: string;
  ownerId: number;
  payload: Payload;
  submittedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  output: Output | null;
  error: JobError | null;
  state: JobStatus<Output>['state'];
}

export class QueueFullError extends Error {
  constructor(limit: number) {
    super(`The model queue is full (${limit} requests waiting). Try again in a minute.`);
    this.name = 'QueueFullError';
  }
}

export interface QueueOptions<Payload, Output> {
  maxConcurrent: number;
  queueLimit: number;
  timeoutMs: number;
  /** A fresh worker thread; it receives `{ jobId, ...payload }` and replies `{ jobId, ok, output | error }`. */
  createWorker: () => Worker;
  /** Called once per job when it finishes, fails or is cancelled. */
  onSettled?: (job: Job<Payload, Output>) => void;
  /** How long finished jobs stay readable (default 10 minutes). */
  retainMs?: number;
}

interface Slot<Payload, Output> {
  worker: Worker | null;
  job: Job<Payload, Output> | null;
  timer: NodeJS.Timeout | null;
}

type Reply<Output> = { jobId: string; ok: true; output: Output } | { jobId: string; ok: false; error: JobError };

export class ModelQueue<Payload extends object, Output> {
  private readonly jobs = new Map<string, Job<Payload, Output>>();
  private readonly waiting: Job<Payload, Output>[] = [];
  private readonly slots: Slot<Payload, Output>[];

  private maxConcurrent: number;
  private queueLimit: number;
  private timeoutMs: number;

  constructor(private readonly options: QueueOptions<Payload, Output>) {
    this.maxConcurrent = options.maxConcurrent;
    this.queueLimit = options.queueLimit;
    this.timeoutMs = options.timeoutMs;
    this.slots = Array.from({ length: options.maxConcurrent }, () => ({ worker: null, job: null, timer: null }));
  }

  /** New limits from an admin: more slots start at once; surplus slots retire as their fits finish. */
  setLimits(limits: { maxConcurrent: number; queueLimit: number; timeoutMs: number }): void {
    this.maxConcurrent = limits.maxConcurrent;
    this.queueLimit = limits.queueLimit;
    this.timeoutMs = limits.timeoutMs;
    while (this.slots.length < this.maxConcurrent) this.slots.push({ worker: null, job: null, timer: null });
    this.trimSlots();
    this.pump();
  }

  /** Starts the idle slots' workers now, so the first fit does not wait for a worker to load its code. */
  warm(): void {
    for (const slot of this.slots.slice(0, this.maxConcurrent)) if (!slot.worker) slot.worker = this.spawn(slot);
  }

  limits(): { maxConcurrent: number; queueLimit: number; timeoutMs: number } {
    return { maxConcurrent: this.maxConcurrent, queueLimit: this.queueLimit, timeoutMs: this.timeoutMs };
  }

  private trimSlots(): void {
    for (let index = this.slots.length - 1; index >= this.maxConcurrent; index--) {
      const slot = this.slots[index] as Slot<Payload, Output>;
      if (slot.job !== null) continue;
      if (slot.worker) void slot.worker.terminate();
      slot.worker = null;
      this.slots.splice(index, 1);
    }
  }

  /** Adds a job; throws QueueFullError when the line is full. */
  submit(payload: Payload, ownerId: number): Job<Payload, Output> {
    this.forgetOldJobs();
    const freeSlot = this.slots.slice(0, this.maxConcurrent).some((slot) => slot.job === null);
    if (!freeSlot && this.waiting.length >= this.queueLimit) throw new QueueFullError(this.queueLimit);
    const job: Job<Payload, Output> = {
      id: randomUUID(),
      ownerId,
      payload,
      submittedAt: Date.now(),
      startedAt: null,
      finishedAt: null,
      output: null,
      error: null,
      state: 'queued',
    };
    this.jobs.set(job.id, job);
    this.waiting.push(job);
    this.pump();
    return job;
  }

  get(id: string): Job<Payload, Output> | undefined {
    return this.jobs.get(id);
  }

  status(id: string): JobStatus<Output> | null {
    const job = this.jobs.get(id);
    if (!job) return null;
    switch (job.state) {
      case 'queued':
        return { state: 'queued', position: this.waiting.indexOf(job) + 1 };
      case 'running':
        return { state: 'running', startedAt: job.startedAt as number };
      case 'done':
        return { state: 'done', output: job.output as Output, durationMs: (job.finishedAt as number) - (job.startedAt as number) };
      case 'failed':
        return { state: 'failed', error: job.error as JobError };
      case 'cancelled':
        return { state: 'cancelled' };
    }
  }

  /** Cancels a waiting or running job (a running one's worker is terminated). Returns false if already finished. */
  cancel(id: string): boolean {
    const job = this.jobs.get(id);
    if (!job || (job.state !== 'queued' && job.state !== 'running')) return false;
    if (job.state === 'queued') {
      this.waiting.splice(this.waiting.indexOf(job), 1);
      this.settle(job, 'cancelled');
      return true;
    }
    const slot = this.slots.find((s) => s.job === job);
    if (slot) this.retire(slot);
    this.settle(job, 'cancelled');
    this.pump();
    return true;
  }

  /** Fits running and waiting now. */
  load(): { running: number; waiting: number } {
    return { running: this.slots.filter((s) => s.job !== null).length, waiting: this.waiting.length };
  }

  /** Stops every worker (tests, shutdown). */
  async close(): Promise<void> {
    for (const job of [...this.waiting]) this.cancel(job.id);
    for (const slot of this.slots) {
      if (slot.job) this.cancel(slot.job.id);
      const worker = slot.worker;
      slot.worker = null;
      if (worker) await worker.terminate();
    }
  }

  private pump(): void {
    this.trimSlots();
    for (const slot of this.slots.slice(0, this.maxConcurrent)) {
      if (slot.job !== null) continue;
      const job = this.waiting.shift();
      if (!job) return;
      this.start(slot, job);
    }
  }

  private start(slot: Slot<Payload, Output>, job: Job<Payload, Output>): void {
    if (!slot.worker) slot.worker = this.spawn(slot);
    slot.job = job;
    job.state = 'running';
    job.startedAt = Date.now();
    slot.timer = setTimeout(() => {
      if (slot.job !== job) return;
      this.retire(slot);
      this.settle(job, 'failed', { code: 'timeout', message: `The model took longer than ${Math.round(this.timeoutMs / 1000)} s and was stopped. Narrow the model or the subgroup.` });
      this.pump();
    }, this.timeoutMs);
    slot.worker.postMessage({ jobId: job.id, ...job.payload });
  }

  private spawn(slot: Slot<Payload, Output>): Worker {
    const worker = this.options.createWorker();
    worker.unref();
    worker.on('message', (reply: Reply<Output>) => {
      const job = slot.job;
      if (slot.worker !== worker || !job || reply.jobId !== job.id) return;
      this.clearSlot(slot);
      if (reply.ok) this.settle(job, 'done', undefined, reply.output);
      else this.settle(job, 'failed', reply.error);
      this.pump();
    });
    const crashed = (reason: string) => {
      if (slot.worker !== worker) return;
      const job = slot.job;
      slot.worker = null;
      this.clearSlot(slot);
      if (job) this.settle(job, 'failed', { code: 'worker_crashed', message: `The model worker stopped unexpectedly (${reason}); the request can be retried.` });
      this.pump();
    };
    worker.on('error', (error) => crashed(error.message));
    worker.on('exit', (code) => crashed(`exit code ${code}`));
    return worker;
  }

  private clearSlot(slot: Slot<Payload, Output>): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
  }

  /** Terminates a slot's worker (a new one is spawned for the next job). */
  private retire(slot: Slot<Payload, Output>): void {
    const worker = slot.worker;
    slot.worker = null;
    this.clearSlot(slot);
    if (worker) void worker.terminate();
  }

  private settle(job: Job<Payload, Output>, state: 'done' | 'failed' | 'cancelled', error?: JobError, output?: Output): void {
    job.state = state;
    job.finishedAt = Date.now();
    job.error = error ?? null;
    job.output = output ?? null;
    try {
      this.options.onSettled?.(job);
    } catch (callbackError) {
      console.error('Model queue: onSettled failed', callbackError);
    }
  }

  private forgetOldJobs(): void {
    const cutoff = Date.now() - (this.options.retainMs ?? 10 * 60_000);
    for (const [id, job] of this.jobs) if (job.finishedAt !== null && job.finishedAt < cutoff) this.jobs.delete(id);
  }
}
