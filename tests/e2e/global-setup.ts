// Browser-test harness: a pristine database with the demonstration data and a production build in .next-e2e, made
// once. Each suite then runs its own `next start` on a private copy of that database (startSuiteServer in support.ts;
// the security tests' startServer), so no suite sees another's sign-ins, locked accounts, imports or deleted rows.
// Tests read the pristine database's path through vitest's provide/inject; nothing may write to it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The pristine database: copy it (startSuiteServer, startServer), never open it for writing. */
    databasePath: string;
  }
}

const root = path.resolve(import.meta.dirname, '..', '..');
const distDir = process.env.E2E_DIST_DIR ?? '.next-e2e';

function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed with ${result.status}`);
}

export default async function setup(project: TestProject) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-e2e-'));
  const databasePath = path.join(folder, 'dashboard.db');
  const env = { ...process.env, DATABASE_PATH: databasePath, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' as const };
  run('npx', ['tsx', '--conditions=react-server', 'db/setup.ts'], env);
  const buildExists = fs.existsSync(path.join(root, distDir, 'BUILD_ID'));
  if (!(process.env.E2E_SKIP_BUILD === '1' && buildExists)) run('npx', ['next', 'build'], env);
  project.provide('databasePath', databasePath);
  return () => {
    fs.rmSync(folder, { recursive: true, force: true });
  };
}
