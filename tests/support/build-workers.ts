// vitest global setup: compiles the job workers (dist/workers) once before the tests, as `npm run build` does.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default function buildWorkers(): void {
  execFileSync(process.execPath, [path.join(import.meta.dirname, '..', '..', 'lib', 'jobs', 'build-workers.mjs')], { stdio: 'inherit' });
}
