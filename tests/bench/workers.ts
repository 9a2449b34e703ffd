// `npm run bench` (workers): cold start of each compiled job worker, from `new Worker` to the answer to its first
// job (a job that fails at once, so the figure is loading the code plus one round trip). Target: under 300 ms. Beside
// the wall time: the CPU time of the worker's own thread (Linux /proc), which a shared, loaded machine inflates less,
// and the load average. Servers start their workers ahead of the first job (lib/jobs/pool.ts warm()), so a user waits
// for a cold start only when every worker was replaced at once.
import fs from 'node:fs';
import os from 'node:os';
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

function threadIds(): Set<string> {
  try {
    return new Set(fs.readdirSync('/proc/self/task'));
  } catch {
    return new Set();
  }
}

/** utime + stime of one of this process's threads, in ms (NaN off Linux). */
function threadCpuMs(tid: string): number {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

async function coldStart(entry: keyof typeof failFast): Promise<{ wallMs: number; cpuMs: number }> {
  const before = threadIds();
  const started = performance.now();
  // As lib/jobs/threads.ts starts it in the server, with its error output kept out of the figures (the failing job logs).
  // execArgv [] : this script runs under tsx, whose module hooks a worker would otherwise inherit and run every module
  // of the compiled worker through (the briefing worker's 2 MB took over a second more); the server has no such hooks.
  const worker = new Worker(workerFile(entry), { workerData: { workerDirectory: workerDirectory() }, stderr: true, stdout: true, execArgv: [] });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
    worker.postMessage({ jobId: 'bench', payload: failFast[entry] });
  });
  const wallMs = performance.now() - started;
  // The threads started meanwhile: the worker's own (the busiest) and V8 helpers.
  const cpu = [...threadIds()].filter((tid) => !before.has(tid)).map(threadCpuMs).filter((ms) => Number.isFinite(ms));
  await worker.terminate();
  return { wallMs, cpuMs: cpu.length ? Math.max(...cpu) : Number.NaN };
}

async function main() {
  console.log(`job worker cold start (new Worker → first answer), ${RUNS} runs each, target < ${TARGET_MS} ms (load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  for (const entry of Object.keys(failFast) as Array<keyof typeof failFast>) {
    const runs: Array<{ wallMs: number; cpuMs: number }> = [];
    for (let run = 0; run < RUNS; run++) runs.push(await coldStart(entry));
    const times = runs.map((r) => r.wallMs).sort((a, b) => a - b);
    const cpu = runs.map((r) => r.cpuMs).sort((a, b) => a - b);
    const median = times[Math.floor(RUNS / 2)] as number;
    console.log(
      `${entry.padEnd(10)} median ${median.toFixed(0).padStart(5)} ms   max ${(times[RUNS - 1] as number).toFixed(0).padStart(5)} ms   worker thread cpu ${(cpu[Math.floor(RUNS / 2)] as number).toFixed(0).padStart(4)} ms   ${median < TARGET_MS ? 'ok' : `SLOWER THAN ${TARGET_MS} ms`}`,
    );
  }
}

void main();
