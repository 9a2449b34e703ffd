// `npm run worker` (compiled to dist/workers/pg-worker.mjs): a cluster worker process taking fit and briefing jobs
// from PostgreSQL (DATABASE_URL=postgres://…). WORKER_CONCURRENCY fits at once (default 1), WORKER_BRIEFINGS briefings
// at once (default 1; 0 leaves briefings to other workers). The respondents come from PostgreSQL too (the published
// dataset version), so a worker machine needs no SQLite file. Stops cleanly on SIGTERM or SIGINT (a running job is
// finished or, after 5 s, left to be retried).
import { isPostgresUrl } from '../../../db/pg';
import { startClusterWorker } from '../pg/worker';

const url = process.env.DATABASE_URL;
if (!isPostgresUrl(url)) {
  console.error('npm run worker needs DATABASE_URL=postgres://… (the cluster back end; see README "Scaling out").');
  process.exit(2);
}
const concurrency = Number(process.env.WORKER_CONCURRENCY ?? 1);
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
  console.error('WORKER_CONCURRENCY is a whole number from 1 to 16.');
  process.exit(2);
}
const briefingConcurrency = Number(process.env.WORKER_BRIEFINGS ?? 1);
if (!Number.isInteger(briefingConcurrency) || briefingConcurrency < 0 || briefingConcurrency > 8) {
  console.error('WORKER_BRIEFINGS is a whole number from 0 to 8.');
  process.exit(2);
}
const worker = await startClusterWorker({ url, concurrency, briefingConcurrency, name: process.env.WORKER_NAME || undefined });
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await worker.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
