// The one interface of the jobs layer that callers (lib/models/service.ts) see, whichever back end runs the jobs:
// embedded (a JobPool of worker threads in this process, the default) or cluster (pg-boss over PostgreSQL, with
// worker processes on any machine, lib/jobs/pg). Asynchronous, because the cluster's answers come from the database.
import type { JobPool } from './pool';
import type { JobLimits, JobStatus } from './types';

export interface JobBackend<Payload, Output> {
  readonly name: 'embedded' | 'cluster';
  /** Validates and queues a job (JobPayloadError, QueueFullError), and says where it stands. */
  submit(payload: Payload, ownerId: number): Promise<{ id: string; status: JobStatus<Output> }>;
  /** Who asked for a job; null when unknown (or forgotten). */
  ownerOf(id: string): Promise<number | null>;
  status(id: string): Promise<JobStatus<Output> | null>;
  cancel(id: string): Promise<boolean>;
  load(): Promise<{ running: number; waiting: number }>;
  setLimits(limits: Partial<JobLimits>): void;
  /** Starts workers ahead of the first job where the back end has them in this process. */
  warm(): void;
  close(): Promise<void>;
}

export function embeddedBackend<Payload, Output>(pool: JobPool<Payload, Output>): JobBackend<Payload, Output> {
  return {
    name: 'embedded',
    async submit(payload, ownerId) {
      const job = pool.submit(payload, ownerId);
      return { id: job.id, status: pool.status(job.id) as JobStatus<Output> };
    },
    async ownerOf(id) {
      return pool.get(id)?.ownerId ?? null;
    },
    async status(id) {
      return pool.status(id);
    },
    async cancel(id) {
      return pool.cancel(id);
    },
    async load() {
      return pool.load();
    },
    setLimits: (limits) => pool.setLimits(limits),
    warm: () => pool.warm(),
    close: () => pool.close(),
  };
}
