// The embedded back end of the jobs layer: one bounded, fair line per job kind over worker threads in this process.
// At most `maxConcurrent` jobs run at once; more wait in line, at most `perOwnerQueueLimit` of them per owner, and the
// line starts them round-robin by owner (the owner with the fewest jobs running goes next), so one person's burst of
// requests cannot hold everyone else back. Each job has a time limit and can be cancelled; a worker that crashes,
// times out or is cancelled is terminated and replaced, so one bad job never blocks the line. Framework-free.
import { randomUUID } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import type { z } from 'zod';
import type { Job, JobError, JobKind, JobLimits, JobStatus, WorkerMessage, WorkerRequest } from './types';

export type QueueRefusal =
  | { reason: 'owner_limit'; limit: number; ownPositions: number[] }
  | { reason: 'queue_full'; waiting: number; running: number; ownPositions: number[]; wouldBePosition: number };

/** The line has no room for this request; says where the asker's own jobs stand, not just that it is full. */
export class QueueFullError extends Error {
  constructor(readonly refusal: QueueRefusal) {
    super(describeRefusal(refusal));
    this.name = 'QueueFullError';
  }
}

function ordinalPlaces(positions: number[]): string {
  return positions.length === 1 ? `place ${positions[0]}` : `places ${positions.join(', ')}`;
}

function describeRefusal(refusal: QueueRefusal): string {
  if (refusal.reason === 'owner_limit') {
    return `You already have ${refusal.limit} requests waiting (${ordinalPlaces(refusal.ownPositions)} in line). Wait for one to start, or cancel one, before adding another.`;
  }
  const own = refusal.ownPositions.length > 0 ? ` Your requests in line: ${ordinalPlaces(refusal.ownPositions)}.` : '';
  return `The queue is full: ${refusal.waiting} requests are waiting and ${refusal.running} running. A new request of yours would be at place ${refusal.wouldBePosition}.${own} Try again when one has finished.`;
}

/** A job that failed or was cancelled, for callers that await a job's output (`run`). */
export class JobFailedError extends Error {
  constructor(readonly job: Job<unknown, unknown>) {
    super(job.state === 'cancelled' ? 'The job was cancelled.' : (job.error?.message ?? 'The job failed.'));
    this.name = 'JobFailedError';
  }
  get code(): string {
    return this.job.state === 'cancelled' ? 'cancelled' : (this.job.error?.code ?? 'failed');
  }
}

export class JobPayloadError extends Error {}

export interface PoolOptions<Payload, Output> extends JobLimits {
  kind: JobKind;
  /** Every payload is checked before it is queued: a worker never receives a malformed job. */
  schema: z.ZodType<Payload>;
  /** A fresh worker thread; it receives WorkerRequest messages and answers WorkerMessage ones. */
  createWorker: () => Worker;
  /** Called once per job when it finishes, fails or is cancelled. */
  onSettled?: (job: Job<Payload, Output>) => void;
  /** How long finished jobs stay readable (default 10 minutes). */
  retainMs?: number;
  /** Noun for messages ("model", "briefing"). */
  noun?: string;
}

interface Slot<Payload, Output> {
  worker: Worker | null;
  job: Job<Payload, Output> | null;
  timer: NodeJS.Timeout | null;
  spawnedAt?: number;
}

/** A worker that dies this soon after starting is not started again ahead of a job (a broken build would loop). */
const EARLY_CRASH_MS = 5_000;
const MAX_EARLY_CRASHES = 3;

export class JobPool<Payload, Output> {
  private readonly jobs = new Map<string, Job<Payload, Output>>();
  private readonly waiting: Job<Payload, Output>[] = [];
  private readonly slots: Slot<Payload, Output>[];
  private readonly waiters = new Map<string, Array<(job: Job<Payload, Output>) => void>>();
  /** The turn at which each owner's latest job started (for round-robin). */
  private readonly lastServed = new Map<number, number>();
  private turns = 0;
  private current: JobLimits;

  constructor(private readonly options: PoolOptions<Payload, Output>) {
    this.current = { maxConcurrent: options.maxConcurrent, queueLimit: options.queueLimit, perOwnerQueueLimit: options.perOwnerQueueLimit, timeoutMs: options.timeoutMs };
    this.slots = Array.from({ length: options.maxConcurrent }, () => ({ worker: null, job: null, timer: null }));
  }

  get kind(): JobKind {
    return this.options.kind;
  }

  /** New limits (an admin's): more slots start at once; surplus slots retire as their jobs finish. */
  setLimits(limits: Partial<JobLimits>): void {
    this.current = { ...this.current, ...limits };
    while (this.slots.length < this.current.maxConcurrent) this.slots.push({ worker: null, job: null, timer: null });
    this.pump();
  }

  limits(): JobLimits {
    return { ...this.current };
  }

  /**
   * Starts the idle slots' workers now, so the first job does not wait for a worker to load its code, and keeps them
   * started: a worker replaced after a crash, a time-out or a cancel, and a slot added by new limits, start at once
   * rather than when the next job comes.
   */
  warm(): void {
    this.keepWarm = true;
    this.warmIdleSlots();
  }

  private keepWarm = false;
  private earlyCrashes = 0;

  private warmIdleSlots(): void {
    if (!this.keepWarm || this.earlyCrashes >= MAX_EARLY_CRASHES) return;
    for (const slot of this.activeSlots()) slot.worker ??= this.spawn(slot);
  }

  /** Adds a job; throws JobPayloadError for a malformed payload and QueueFullError when there is no room. */
  submit(payload: Payload, ownerId: number): Job<Payload, Output> {
    this.forgetOldJobs();
    const parsed = this.options.schema.safeParse(payload);
    if (!parsed.success) throw new JobPayloadError(`Invalid ${this.options.kind} job: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ')}`);
    const freeSlot = this.activeSlots().some((slot) => slot.job === null);
    if (!freeSlot) {
      const order = this.fairOrder();
      const ownPositions = order.flatMap((job, index) => (job?.ownerId === ownerId ? [index + 1] : []));
      if (ownPositions.length >= this.current.perOwnerQueueLimit) throw new QueueFullError({ reason: 'owner_limit', limit: this.current.perOwnerQueueLimit, ownPositions });
      if (this.waiting.length >= this.current.queueLimit) {
        const wouldBePosition = this.fairOrder(ownerId).findIndex((job) => job === null) + 1;
        throw new QueueFullError({ reason: 'queue_full', waiting: this.waiting.length, running: this.load().running, ownPositions, wouldBePosition });
      }
    }
    const job: Job<Payload, Output> = {
      id: randomUUID(),
      kind: this.options.kind,
      ownerId,
      payload: parsed.data,
      state: 'queued',
      submittedAt: Date.now(),
      startedAt: null,
      finishedAt: null,
      timeLimitMs: this.current.timeoutMs,
      progress: null,
      output: null,
      error: null,
    };
    this.jobs.set(job.id, job);
    this.waiting.push(job);
    this.pump();
    return job;
  }

  /** Submits a job and resolves with its output (rejects with JobFailedError when it fails or is cancelled). */
  async run(payload: Payload, ownerId: number): Promise<Output> {
    const job = await this.wait(this.submit(payload, ownerId).id);
    if (job.state !== 'done') throw new JobFailedError(job);
    return job.output as Output;
  }

  /** Resolves when the job has settled (done, failed or cancelled). */
  wait(id: string): Promise<Job<Payload, Output>> {
    const job = this.jobs.get(id);
    if (!job) return Promise.reject(new Error(`No job ${id}.`));
    if (job.state !== 'queued' && job.state !== 'running') return Promise.resolve(job);
    return new Promise((resolve) => {
      const list = this.waiters.get(id) ?? [];
      list.push(resolve);
      this.waiters.set(id, list);
    });
  }

  get(id: string): Job<Payload, Output> | undefined {
    return this.jobs.get(id);
  }

  status(id: string): JobStatus<Output> | null {
    const job = this.jobs.get(id);
    if (!job) return null;
    switch (job.state) {
      case 'queued':
        return { state: 'queued', position: this.fairOrder().indexOf(job) + 1 };
      case 'running':
        return { state: 'running', startedAt: job.startedAt as number, progress: job.progress };
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

  /** Jobs running and waiting now. */
  load(): { running: number; waiting: number } {
    return { running: this.slots.filter((s) => s.job !== null).length, waiting: this.waiting.length };
  }

  /** Stops every worker (tests, shutdown); unfinished jobs end cancelled. */
  async close(): Promise<void> {
    this.keepWarm = false;
    for (const job of [...this.waiting]) this.cancel(job.id);
    for (const slot of this.slots) {
      if (slot.job) this.cancel(slot.job.id);
      const worker = slot.worker;
      slot.worker = null;
      if (worker) await worker.terminate();
    }
  }

  /**
   * The waiting jobs in the order they will start: each next place goes to the owner with the fewest jobs running or
   * placed ahead, then to the owner served longest ago, then to the earlier request (round-robin by owner). With
   * `newOwner`, a phantom request of that owner (null) is placed too, to say where a new request would go.
   */
  private fairOrder(newOwner?: number): Array<Job<Payload, Output> | null> {
    const taken = new Map<number, number>();
    for (const slot of this.slots) if (slot.job) taken.set(slot.job.ownerId, (taken.get(slot.job.ownerId) ?? 0) + 1);
    const served = new Map(this.lastServed);
    let turn = this.turns;
    const remaining: Array<Job<Payload, Output> | null> = newOwner === undefined ? [...this.waiting] : [...this.waiting, null];
    const ownerOf = (job: Job<Payload, Output> | null | undefined) => (job ? job.ownerId : (newOwner as number));
    const goesBefore = (a: number, b: number) => {
      const [ownerA, ownerB] = [ownerOf(remaining[a]), ownerOf(remaining[b])];
      const [takenA, takenB] = [taken.get(ownerA) ?? 0, taken.get(ownerB) ?? 0];
      if (takenA !== takenB) return takenA < takenB;
      return (served.get(ownerA) ?? -1) < (served.get(ownerB) ?? -1);
    };
    const order: Array<Job<Payload, Output> | null> = [];
    while (remaining.length > 0) {
      let best = 0;
      for (let i = 1; i < remaining.length; i++) if (goesBefore(i, best)) best = i;
      const [next] = remaining.splice(best, 1) as [Job<Payload, Output> | null];
      taken.set(ownerOf(next), (taken.get(ownerOf(next)) ?? 0) + 1);
      served.set(ownerOf(next), ++turn);
      order.push(next);
    }
    return order;
  }

  private activeSlots(): Slot<Payload, Output>[] {
    return this.slots.slice(0, this.current.maxConcurrent);
  }

  private trimSlots(): void {
    for (let index = this.slots.length - 1; index >= this.current.maxConcurrent; index--) {
      const slot = this.slots[index] as Slot<Payload, Output>;
      if (slot.job !== null) continue;
      if (slot.worker) void slot.worker.terminate();
      slot.worker = null;
      this.slots.splice(index, 1);
    }
  }

  private pump(): void {
    this.trimSlots();
    for (const slot of this.activeSlots()) {
      if (slot.job !== null) continue;
      const job = this.fairOrder()[0];
      if (!job) break;
      this.waiting.splice(this.waiting.indexOf(job), 1);
      this.start(slot, job);
    }
    this.warmIdleSlots();
  }

  private start(slot: Slot<Payload, Output>, job: Job<Payload, Output>): void {
    slot.worker ??= this.spawn(slot);
    slot.job = job;
    job.state = 'running';
    job.startedAt = Date.now();
    this.lastServed.set(job.ownerId, ++this.turns);
    job.timeLimitMs = this.current.timeoutMs;
    slot.timer = setTimeout(() => {
      if (slot.job !== job) return;
      this.retire(slot);
      const noun = this.options.noun ?? this.options.kind;
      this.settle(job, 'failed', { code: 'timeout', message: `The ${noun} took longer than ${Math.round(job.timeLimitMs / 1000)} s and was stopped.` });
      this.pump();
    }, job.timeLimitMs);
    const request: WorkerRequest<Payload> = { jobId: job.id, payload: job.payload };
    slot.worker.postMessage(request);
  }

  private spawn(slot: Slot<Payload, Output>): Worker {
    const worker = this.options.createWorker();
    slot.spawnedAt = Date.now();
    worker.unref();
    worker.on('message', (message: WorkerMessage<Output>) => {
      const job = slot.job;
      if (!job || slot.worker !== worker || message.jobId !== job.id) return;
      if ('progress' in message) {
        job.progress = message.progress;
        return;
      }
      this.clearSlot(slot);
      if (message.ok) this.settle(job, 'done', undefined, message.output);
      else this.settle(job, 'failed', message.error);
      this.pump();
    });
    const crashed = (reason: string) => {
      if (slot.worker !== worker) return;
      const job = slot.job;
      if (Date.now() - (slot.spawnedAt ?? 0) < EARLY_CRASH_MS) this.earlyCrashes++;
      slot.worker = null;
      this.clearSlot(slot);
      const noun = this.options.noun ?? this.options.kind;
      if (job) this.settle(job, 'failed', { code: 'worker_crashed', message: `The ${noun} worker stopped unexpectedly (${reason}); the request can be retried.` });
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
      console.error(`Jobs (${this.options.kind}): onSettled failed`, callbackError);
    }
    const waiters = this.waiters.get(job.id) ?? [];
    this.waiters.delete(job.id);
    for (const resolve of waiters) resolve(job);
  }

  private forgetOldJobs(): void {
    const cutoff = Date.now() - (this.options.retainMs ?? 10 * 60_000);
    for (const [id, job] of this.jobs) if (job.finishedAt !== null && job.finishedAt < cutoff) this.jobs.delete(id);
  }
}
