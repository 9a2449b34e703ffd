// Security tests drive their own server: a copy of the browser tests' database (so they never lock or demote the
// accounts other suites use), the same production build (.next-e2e), `next start` on a free port with the
// environment a test needs (TRUST_PROXY, AUTH_URL …). Sign-in over plain HTTP with a small cookie jar.
// E2E_BACKEND=pg (`npm run test:e2e:pg`): each server runs on the cluster back end instead, against its own throwaway
// PostgreSQL holding the pristine database's dataset and the demonstration accounts, with one worker process; `db()`
// is then that PostgreSQL, so tests read and change accounts, sessions and the audit through lib/queries on either.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { and, count, eq, inArray, type SQL } from 'drizzle-orm';
import { inject } from 'vitest';
import { openDatabase, type AppDatabase } from '@/db/client';
import { applyPgMigrations, openPgDatabase } from '@/db/pg';
import { publishDatasetVersion } from '@/db/publish';
import { storeOf, type Database as StoreDatabase } from '@/db/store';
import { ensureDemoUsers } from '@/lib/auth/demo-users';
import { clusterTiming, startBoss } from '@/lib/jobs/pg/boss';
import { createUser } from '@/lib/queries/users';
import type { Role } from '@/lib/auth/permissions';
import { startPostgres } from '../support/postgres';

const root = path.resolve(import.meta.dirname, '..', '..');
const distDir = process.env.E2E_DIST_DIR ?? '.next-e2e';

export interface TestServer {
  baseUrl: string;
  port: number;
  databasePath: string;
  folder: string;
  pid: number;
  /** The server's configured database: the SQLite copy, or its PostgreSQL with E2E_BACKEND=pg. */
  db: () => StoreDatabase;
  /** The server's own SQLite copy, whatever the back end (tests/cluster check what is NOT in it). */
  sqlite: () => AppDatabase;
  /** What a CLI tool run against this server's database needs besides DATABASE_PATH (DATABASE_URL in pg mode). */
  cliEnv: Record<string, string>;
  stop: () => Promise<void>;
}

/** Whether this run's servers are on the cluster back end (`npm run test:e2e:pg`). */
export const pgBackend = process.env.E2E_BACKEND === 'pg';

/**
 * E2E_BACKEND=pg: a throwaway PostgreSQL (tests/support/postgres.ts), migrated, holding the pristine database's
 * active dataset published as `npm run setup` publishes it and the demonstration accounts, with one `npm run worker`
 * process for its fits and briefings (it reads the dataset from PostgreSQL too).
 */
async function publishedPostgres(): Promise<{ url: string; stop: () => void }> {
  const started = await startPostgres();
  if (!started.ok) throw new Error(`E2E_BACKEND=pg, but PostgreSQL cannot start here: ${started.reason}`);
  const { pg } = started;
  const db = openPgDatabase(pg.url, { max: 2 });
  const pristine = openDatabase(inject('databasePath'), { readonly: true });
  try {
    await applyPgMigrations(db);
    const active = pristine.$client.prepare("SELECT id FROM datasets WHERE active = 1 AND status = 'ready'").pluck().get() as number;
    await publishDatasetVersion(pristine, db.$client, active);
    await ensureDemoUsers(db, pristine);
    // pg-boss's schema and the fit queue, as `npm run db:migrate` makes them.
    const boss = await startBoss(pg.url, clusterTiming(), { supervise: false });
    await boss.stop({ graceful: false, wait: true });
  } catch (error) {
    pg.stop();
    throw error;
  } finally {
    pristine.$client.close();
    await db.$client.end();
  }
  const worker = spawn(process.execPath, [path.join(root, 'dist', 'workers', 'pg-worker.mjs')], {
    env: { ...process.env, DATABASE_URL: pg.url, DATABASE_PATH: path.join(os.tmpdir(), 'e2e-worker-has-no-dataset-file.db'), WORKER_NAME: 'e2e-worker' },
    stdio: 'ignore',
  });
  return {
    url: pg.url,
    stop: () => {
      worker.kill('SIGKILL');
      pg.stop();
    },
  };
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
  // A test that brings its own DATABASE_URL (tests/cluster) has its own PostgreSQL.
  const cluster = pgBackend && !extraEnv.DATABASE_URL ? await publishedPostgres() : null;
  const cliEnv: Record<string, string> = cluster ? { DATABASE_URL: cluster.url } : {};
  const port = await freePort();
  const env = { ...process.env, DATABASE_PATH: databasePath, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' as const, BRIEFING_WORKER_WARM: '0', MODEL_WORKERS_WARM: '0', ...cliEnv, ...extraEnv };
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
  let sqlite: ReturnType<typeof openDatabase> | undefined;
  let postgres: ReturnType<typeof openPgDatabase> | undefined;
  return {
    baseUrl,
    port,
    databasePath,
    folder,
    pid: child.pid ?? 0,
    db: () => (cluster ? (postgres ??= openPgDatabase(cluster.url, { max: 2 })) : (sqlite ??= openDatabase(databasePath))),
    sqlite: () => (sqlite ??= openDatabase(databasePath)),
    cliEnv,
    stop: async () => {
      sqlite?.$client.close();
      await postgres?.$client.end();
      if (child.pid) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      await new Promise((r) => setTimeout(r, 300));
      cluster?.stop();
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Runs a project script against the server's database (e.g. `npm run user`), with optional stdin. */
export function runScript(server: TestServer, script: string, args: string[], input?: string) {
  return spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), ['--conditions=react-server', script, ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_PATH: server.databasePath, ...server.cliEnv },
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

/** Audit rows matching every given field (an array of actions: any of them), on the server's back end. */
export async function auditCount(server: Pick<TestServer, 'db'>, where: { action?: string | string[]; userId?: number; username?: string; target?: string } = {}): Promise<number> {
  const { q, auditLog } = storeOf(server.db());
  const conditions: SQL[] = [];
  if (typeof where.action === 'string') conditions.push(eq(auditLog.action, where.action));
  if (Array.isArray(where.action)) conditions.push(inArray(auditLog.action, where.action));
  if (where.userId !== undefined) conditions.push(eq(auditLog.userId, where.userId));
  if (where.username !== undefined) conditions.push(eq(auditLog.username, where.username));
  if (where.target !== undefined) conditions.push(eq(auditLog.target, where.target));
  const [row] = await q.select({ n: count() }).from(auditLog).where(conditions.length ? and(...conditions) : undefined);
  return row?.n ?? 0;
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
