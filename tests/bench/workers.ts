// `npm run bench` (workers): cold start of each compiled job worker, from `new Worker` to the answer to its first
// job (a job that fails at once, so the figure is loading the code plus one round trip). Target: under 300 ms.
import { Worker } from 'node:worker_threads';
import { workerDirectory, workerFile, type WorkerEntry } from '../../lib/jobs/worker-files';

const TARGET_MS = 300;
const RUNS = 5;

// Payloads the handler rejects straight after the module has loaded.
const failFast: Record<Exclude<WorkerEntry, 'bootstrap'>, unknown> = {
  fit: { databasePath: '/nonexistent/bench.db', datasetId: 1, request: {} },
  briefing: { model: null },
  import: { mappingPath: '/nonexistent/mapping.json' },
};

async function coldStart(entry: keyof typeof failFast): Promise<number> {
  const started = performance.now();
  // As lib/jobs/threads.ts starts it, with its error output kept out of the figures (the failing job logs).
  const worker = new Worker(workerFile(entry), { workerData: { workerDirectory: workerDirectory() }, stderr: true, stdout: true });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
    worker.postMessage({ jobId: 'bench', payload: failFast[entry] });
  });
  const ms = performance.now() - started;
  await worker.terminate();
  return ms;
}

async function main() {
  console.log(`job worker cold start (new Worker → first answer), ${RUNS} runs each, target < ${TARGET_MS} ms`);
  for (const entry of Object.keys(failFast) as Array<keyof typeof failFast>) {
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) times.push(await coldStart(entry));
    times.sort((a, b) => a - b);
    const median = times[Math.floor(RUNS / 2)] as number;
    console.log(`${entry.padEnd(10)} median ${median.toFixed(0).padStart(5)} ms   max ${(times[RUNS - 1] as number).toFixed(0).padStart(5)} ms   ${median < TARGET_MS ? 'ok' : `SLOWER THAN ${TARGET_MS} ms`}`);
  }
}

void main();
