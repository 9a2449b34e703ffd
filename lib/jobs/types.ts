// The shape of a job shared by every kind (model fit, briefing, import) and every back end: who asked, what it carries,
// where it stands in line, how far it got, and how it ended. Plain data, so it crosses threads and processes as is.
export const JOB_KINDS = ['fit', 'briefing', 'import'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobError {
  code: string;
  message: string;
}

/** How far a running job got, as its worker reports it (rows read, replicates run, …). */
export interface JobProgress {
  stage: string;
  done: number;
  total: number;
}

export interface Job<Payload, Output> {
  id: string;
  kind: JobKind;
  ownerId: number;
  payload: Payload;
  state: JobState;
  submittedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** The time limit the job started with (the admin may change limits later). */
  timeLimitMs: number;
  progress: JobProgress | null;
  output: Output | null;
  error: JobError | null;
}

export type JobStatus<Output> =
  | { state: 'queued'; position: number }
  | { state: 'running'; startedAt: number; progress: JobProgress | null }
  | { state: 'done'; output: Output; durationMs: number }
  | { state: 'failed'; error: JobError }
  | { state: 'cancelled' };

export interface JobLimits {
  /** Jobs of this kind running at once (worker threads). */
  maxConcurrent: number;
  /** Jobs that may wait in line, all owners together. */
  queueLimit: number;
  /** Jobs one owner may have waiting at once, so that one person cannot fill the line. */
  perOwnerQueueLimit: number;
  timeoutMs: number;
}

/** Messages between a pool and its worker threads. */
export type WorkerRequest<Payload> = { jobId: string; payload: Payload };
export type WorkerMessage<Output> =
  | { jobId: string; ok: true; output: Output }
  | { jobId: string; ok: false; error: JobError }
  | { jobId: string; progress: JobProgress };
