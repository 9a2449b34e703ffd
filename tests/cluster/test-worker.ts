// A cluster worker process for the fault-tolerance tests: the real worker (lib/jobs/pg/worker.ts) with two faults the
// tests inject through the environment. HOLD_MS: each fit waits this long before it starts, so that the test can kill
// the process while the job is active. POISON_USER: a fit asked for by this user kills the whole process (SIGKILL),
// every time: the poison job.
import { startClusterWorker } from '@/lib/jobs/pg/worker';

const hold = Number(process.env.HOLD_MS ?? 0);
const poison = process.env.POISON_USER;
void startClusterWorker({
  url: process.env.DATABASE_URL as string,
  name: process.env.WORKER_NAME,
  concurrency: 1,
  onFitStart: async (payload) => {
    if (poison && payload.username === poison) process.kill(process.pid, 'SIGKILL');
    if (hold > 0) await new Promise((resolve) => setTimeout(resolve, hold));
  },
});
