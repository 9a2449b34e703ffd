// Entry of a worker thread (model fits, bootstrap halves): registers tsx so the worker can load the TypeScript engine
// directly (the same code in development, tests and `next start`), then loads the module named in workerData.entry.
// A bootstrap half that cannot even load says so through its shared status flag, so the waiting thread does not wait.
const { workerData } = require('node:worker_threads');
try {
  require('tsx/cjs/api').register();
  require(workerData.entry);
} catch (error) {
  if (workerData.status) {
    const flag = new Int32Array(workerData.status);
    Atomics.store(flag, 0, 2);
    Atomics.notify(flag, 0);
  }
  throw error;
}
