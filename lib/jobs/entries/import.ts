// Worker entry for import jobs (compiled to dist/workers/import.mjs): a dry run or a load of a staged survey file.
import { importStagedFile } from '../import-job';
import { serveJobs } from '../worker-runtime';

serveJobs(importStagedFile);
