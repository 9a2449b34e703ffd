// The cluster back end's tables in PostgreSQL (drizzle's pg dialect; migrations in db/migrations-pg, applied by
// `npm run db:migrate` when DATABASE_URL is a postgres:// URL). pg-boss keeps its own queue tables in the `pgboss`
// schema; these hold what every web instance must see: each fit job's outcome (written once, by the worker that
// finished it or by the web instance that found it given up), the model cache, and the audit of runs. The dataset's
// own tables (respondents, indicators, users, …) stay in SQLite in this slice.
import { sql } from 'drizzle-orm';
import { bigserial, customType, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const fitResults = pgTable('fit_results', {
  /** pg-boss's job id. */
  jobId: text('job_id').primaryKey(),
  datasetId: integer('dataset_id').notNull(),
  ownerId: integer('owner_id').notNull(),
  state: text('state', { enum: ['done', 'failed'] }).notNull(),
  output: jsonb('output'),
  error: jsonb('error'),
  /** The worker process that finished it (host:pid), or null when it was given up. */
  worker: text('worker'),
  attempts: integer('attempts').notNull(),
  durationMs: integer('duration_ms'),
  finishedAt: timestamp('finished_at', { withTimezone: true }).notNull().defaultNow(),
});

export const pgModelCache = pgTable(
  'model_cache',
  {
    key: text('key').primaryKey(),
    datasetId: integer('dataset_id').notNull(),
    spec: text('spec').notNull(),
    result: text('result').notNull(),
    durationMs: integer('duration_ms'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('model_cache_dataset_idx').on(table.datasetId)],
);

export const pgAuditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: integer('user_id'),
    username: text('username').notNull(),
    action: text('action').notNull(),
    target: text('target'),
    detail: jsonb('detail'),
    durationMs: integer('duration_ms'),
    /** A fit's job id: at most one audit row per job, however many times it was tried. */
    jobId: text('job_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (table) => [uniqueIndex('audit_log_job_idx').on(table.jobId), index('audit_log_created_idx').on(table.createdAt)],
);

/** PostgreSQL's bytea, read and written as a Buffer (node-postgres's own mapping). */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * Briefing PDFs rendered by a cluster worker (issue 17): kept until `expires_at` so that whichever web instance the
 * owner reaches next can serve the file; only its owner may fetch it (lib/queries/cluster-briefings.ts). A failed
 * render keeps its error instead of a file.
 */
export const briefingFiles = pgTable(
  'briefing_files',
  {
    /** pg-boss's job id. */
    jobId: text('job_id').primaryKey(),
    ownerId: integer('owner_id').notNull(),
    state: text('state', { enum: ['done', 'failed'] }).notNull(),
    pdf: bytea('pdf'),
    /** The download's file name: its Unicode stem and an ASCII one for old clients (contentDisposition). */
    fileStem: jsonb('file_stem').notNull(),
    error: jsonb('error'),
    /** The worker process that rendered it (host:pid). */
    worker: text('worker'),
    attempts: integer('attempts').notNull(),
    durationMs: integer('duration_ms'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (table) => [index('briefing_files_expires_idx').on(table.expiresAt)],
);
