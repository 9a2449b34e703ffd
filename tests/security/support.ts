// Security tests drive their own server: a copy of the browser tests' database (so they never lock or demote the
// accounts other suites use), the same production build (.next-e2e), `next start` on a free port with the
// environment a test needs (TRUST_PROXY, AUTH_URL …). Sign-in over plain HTTP with a small cookie jar.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { inject } from 'vitest';
import { openDatabase, type AppDatabase } from '@/db/client';
import { createUser } from '@/lib/queries/users';
import type { Role } from '@/lib/auth/permissions';

const root = path.resolve(import.meta.dirname, '..', '..');
const distDir = process.env.E2E_DIST_DIR ?? '.next-e2e';

export interface TestServer {
  baseUrl: string;
  port: number;
  databasePath: string;
  folder: string;
  pid: number;
  db: () => AppDatabase;
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts the built app on a private copy of the shared test database (`prepare` may change the copy first). */
export async function startServer(extraEnv: Record<string, string> = {}, prepare?: (databasePath: string) => void): Promise<TestServer> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-security-'));
  const databasePath = path.join(folder, 'dashboard.db');
  const source = new Database(inject('databasePath'), { readonly: true });
  await source.backup(databasePath);
  source.close();
  fs.copyFileSync(path.join(path.dirname(inject('databasePath')), 'auth-secret'), path.join(folder, 'auth-secret'));
  prepare?.(databasePath);
  const port = await freePort();
  const env = { ...process.env, DATABASE_PATH: databasePath, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' as const, BRIEFING_WORKER_WARM: '0', MODEL_WORKERS_WARM: '0', ...extraEnv };
  const child: ChildProcess = spawn(path.join(root, 'node_modules', '.bin', 'next'), ['start', '-p', String(port)], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  const baseUrl = `http://localhost:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${baseUrl}/sign-in`, { redirect: 'manual' });
      if (response.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 120_000) throw new Error('the test server did not start');
    await new Promise((r) => setTimeout(r, 300));
  }
  let handle: AppDatabase | undefined;
  return {
    baseUrl,
    port,
    databasePath,
    folder,
    pid: child.pid ?? 0,
    db: () => (handle ??= openDatabase(databasePath)),
    stop: async () => {
      handle?.$client.close();
      if (child.pid) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      await new Promise((r) => setTimeout(r, 300));
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Runs a project script against the server's database (e.g. `npm run user`), with optional stdin. */
export function runScript(server: TestServer, script: string, args: string[], input?: string) {
  return spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), ['--conditions=react-server', script, ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_PATH: server.databasePath },
    input,
    encoding: 'utf8',
  });
}

let counter = 0;
/** A fresh account of the given role, for this test alone. */
export async function addUser(server: TestServer, role: Role, password = 'Sturdy-Test-Passphrase-42'): Promise<{ username: string; password: string; id: number }> {
  const username = `sec-${role}-${process.pid}-${++counter}`;
  const id = await createUser(server.db(), { username, displayName: `Security ${role} ${counter}`, role, password });
  return { username, password, id };
}

/** Cookies by name, as a browser would keep them for one site. */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  sessionCookie(): string | undefined {
    return [...this.cookies].find(([k]) => k.endsWith('authjs.session-token'))?.[1];
  }
}

export async function get(baseUrl: string, pathname: string, jar?: CookieJar, headers: Record<string, string> = {}): Promise<Response> {
  const response = await fetch(`${baseUrl}${pathname}`, { redirect: 'manual', headers: { ...(jar ? { cookie: jar.header() } : {}), ...headers } });
  jar?.store(response);
  return response;
}

/** Signs in through Auth.js's credentials endpoint as the form does; returns the response of the callback. */
export async function signInOverHttp(
  baseUrl: string,
  username: string,
  password: string,
  options: { jar?: CookieJar; callbackUrl?: string; headers?: Record<string, string> } = {},
): Promise<{ jar: CookieJar; response: Response }> {
  const jar = options.jar ?? new CookieJar();
  const csrf = await get(baseUrl, '/api/auth/csrf', jar, options.headers);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header(), ...options.headers },
    body: new URLSearchParams({ csrfToken, username, password, callbackUrl: options.callbackUrl ?? '/' }),
  });
  jar.store(response);
  return { jar, response };
}

export function auditCount(server: TestServer, where: string, ...args: unknown[]): number {
  return server.db().$client.prepare(`SELECT COUNT(*) FROM audit_log WHERE ${where}`).pluck().get(...args) as number;
}

/** Resident memory of the server process tree's main node process, in MB (Linux /proc). */
export function serverRssMb(server: TestServer): number {
  const pids = spawnSync('pgrep', ['-g', String(server.pid)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  let max = 0;
  for (const pid of pids) {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      max = Math.max(max, kb / 1024);
    } catch {
      // exited
    }
  }
  return max;
}
