// Splits a mediation bootstrap across two threads: a worker runs the second half of the replicates while this thread
// runs the first, then this thread waits (Atomics.wait) for the worker's values. Replicate r draws the same stream
// positions wherever it runs, so the result equals the sequential one exactly. If the worker fails, this thread runs
// its half too.
import path from 'node:path';
import { REPLICATE_STRIDE, runBootstrapReplicates, type BootstrapPlan, type ReplicateRunner } from '../stats/mediation';

// From process.getBuiltinModule, so that a bundler does not follow the worker (it runs the TypeScript sources).
const { Worker } = process.getBuiltinModule('node:worker_threads');

/** Below this many replicates a second thread costs more to start than it saves. */
const MIN_PARALLEL_REPLICATES = 100;

export function createParallelReplicateRunner(root: string = process.cwd()): ReplicateRunner {
  return (plan: BootstrapPlan, B: number) => {
    if (B < MIN_PARALLEL_REPLICATES) return runBootstrapReplicates(plan, 0, B);
    const half = Math.floor(B / 2);
    const results = new SharedArrayBuffer((B - half) * REPLICATE_STRIDE * Float64Array.BYTES_PER_ELEMENT);
    const status = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    const flag = new Int32Array(status);
    let worker: InstanceType<typeof Worker> | null = null;
    try {
      worker = new Worker(path.join(root, 'lib', 'models', 'worker-bootstrap.cjs'), {
        workerData: { entry: path.join(root, 'lib', 'models', 'bootstrap-worker.ts'), plan, from: half, to: B, results, status },
      });
      worker.unref();
    } catch {
      return runBootstrapReplicates(plan, 0, B);
    }
    const first = runBootstrapReplicates(plan, 0, half);
    // The worker may still be loading; wait in slices so that a dead worker cannot hang this thread.
    const deadline = Date.now() + 10 * 60_000;
    while (Atomics.load(flag, 0) === 0 && Date.now() < deadline) Atomics.wait(flag, 0, 0, 1000);
    const second = Atomics.load(flag, 0) === 1 ? new Float64Array(results) : runBootstrapReplicates(plan, half, B);
    void worker.terminate();
    const all = new Float64Array(B * REPLICATE_STRIDE);
    all.set(first, 0);
    all.set(second, half * REPLICATE_STRIDE);
    return all;
  };
}
