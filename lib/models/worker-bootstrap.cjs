// Entry of a model worker thread: registers tsx so the worker can load the TypeScript engine directly (the same code
// in development, tests and `next start`), then loads the module named in workerData.entry.
const { workerData } = require('node:worker_threads');
require('tsx/cjs/api').register();
require(workerData.entry);
