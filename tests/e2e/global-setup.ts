// Browser-test harness: a temporary database with the demonstration data, a production build in .next-e2e, and
// `next start` on a free port. Tests read the base URL and database path through vitest's provide/inject.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    databasePath: string;
  }
}

const root = path.resolve(import.meta.dirname, '..', '..');
const distDir = process.env.E2E_DIST_DIR ?? '.next-e2e';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed with ${result.status}`);
}

async function waitForServer(url: string, child: ChildProcess, timeoutMs = 120_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/sign-in`, { redirect: 'manual' });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Server at ${url} did not answer within ${timeoutMs} ms`);
}

export default async function setup(project: TestProject) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-e2e-'));
  const databasePath = path.join(folder, 'dashboard.db');
  const env = { ...process.env, DATABASE_PATH: databasePath, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' as const };
  run('npx', ['tsx', 'db/setup.ts'], env);
  const buildExists = fs.existsSync(path.join(root, distDir, 'BUILD_ID'));
  if (!(process.env.E2E_SKIP_BUILD === '1' && buildExists)) run('npx', ['next', 'build'], env);
  const port = await freePort();
  const server = spawn('npx', ['next', 'start', '-p', String(port)], { cwd: root, env, stdio: 'inherit', detached: true });
  // Auth.js builds its redirects from the server's own URL (localhost), so the browser must use the same host.
  const baseUrl = `http://localhost:${port}`;
  await waitForServer(baseUrl, server);
  project.provide('baseUrl', baseUrl);
  project.provide('databasePath', databasePath);
  return async () => {
    if (server.pid) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    fs.rmSync(folder, { recursive: true, force: true });
  };
}
