// Worker entry for the second half of a mediation bootstrap (compiled to dist/workers/bootstrap.mjs, started by
// lib/models/parallel-bootstrap.ts): runs its replicates, writes them into the shared buffer and wakes the fit thread.
import { workerData } from 'node:worker_threads';
import { runBootstrapReplicates, type BootstrapPlan } from '../../stats/mediation';

const { plan, from, to, results, status } = workerData as { plan: BootstrapPlan; from: number; to: number; results: SharedArrayBuffer; status: SharedArrayBuffer };
const flag = new Int32Array(status);
try {
  new Float64Array(results).set(runBootstrapReplicates(plan, from, to));
  Atomics.store(flag, 0, 1);
} catch {
  Atomics.store(flag, 0, 2);
}
Atomics.notify(flag, 0);
