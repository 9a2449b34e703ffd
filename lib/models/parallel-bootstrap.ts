// Splits a mediation bootstrap across two threads: a worker (the compiled bootstrap entry) runs the second half of the
// replicates while this thread runs the first, then this thread waits (Atomics.wait) for the worker's values. Replicate
// r draws the same stream positions wherever it runs, so the result equals the sequential one exactly. If the worker
// fails, this thread runs its half too. The runner is handed to the engine as an option (runSpec, fitMediation).
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { REPLICATE_STRIDE, runBootstrapReplicates, type BootstrapPlan, type ReplicateRunner } from '../stats/mediation';

/** Below this many replicates a second thread costs more to start than it saves. */
const MIN_PARALLEL_REPLICATES = 100;

/**
 * `bootstrapWorkerFile`: the compiled bootstrap entry (workerFile('bootstrap') from lib/jobs/worker-files).
 * `onSplit` learns whether the second thread delivered its half (tests check that the split really happened).
 */
export function createParallelReplicateRunner(bootstrapWorkerFile: string, onSplit?: (usedSecondThread: boolean) => void): ReplicateRunner {
  return (plan: BootstrapPlan, B: number) => {
    // A missing entry would fail only after this thread had started waiting: run sequentially instead.
    if (B < MIN_PARALLEL_REPLICATES || !fs.existsSync(bootstrapWorkerFile)) return runBootstrapReplicates(plan, 0, B);
    const half = Math.floor(B / 2);
    const results = new SharedArrayBuffer((B - half) * REPLICATE_STRIDE * Float64Array.BYTES_PER_ELEMENT);
    const status = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    const flag = new Int32Array(status);
    let worker: Worker;
    try {
      worker = new Worker(bootstrapWorkerFile, { workerData: { plan, from: half, to: B, results, status } });
      worker.unref();
      // This thread is blocked in Atomics.wait while the worker runs, so it learns of failures through the flag; the
      // listener only keeps a late error event from being thrown.
      worker.on('error', () => undefined);
    } catch {
      return runBootstrapReplicates(plan, 0, B);
    }
    const first = runBootstrapReplicates(plan, 0, half);
    // The worker may still be loading; wait in slices so that a dead worker cannot hang this thread.
    const deadline = Date.now() + 10 * 60_000;
    while (Atomics.load(flag, 0) === 0 && Date.now() < deadline) Atomics.wait(flag, 0, 0, 1000);
    const usedSecondThread = Atomics.load(flag, 0) === 1;
    onSplit?.(usedSecondThread);
    const second = usedSecondThread ? new Float64Array(results) : runBootstrapReplicates(plan, half, B);
    void worker.terminate();
    const all = new Float64Array(B * REPLICATE_STRIDE);
    all.set(first, 0);
    all.set(second, half * REPLICATE_STRIDE);
    return all;
  };
}
