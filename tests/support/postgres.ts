// A throwaway PostgreSQL cluster for the pg tests: initdb into a temporary folder, pg_ctl on a free port with its unix
// socket in that folder, stopped and removed afterwards. PostgreSQL refuses to run as root (CI runs as root), so the
// cluster then runs as the `postgres` account (runuser). Where PostgreSQL is not installed or cannot start, the
// helper answers with the reason instead, and the pg tests skip with it printed.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface Postgres {
  /** postgres://… for the cluster's database `test` (over TCP on loopback). */
  url: string;
  port: number;
  folder: string;
  stop(): void;
}

export type PostgresStart = { ok: true; pg: Postgres } | { ok: false; reason: string };

function binDirectory(): string | null {
  const configured = process.env.PG_BIN;
  if (configured && fs.existsSync(path.join(configured, 'pg_ctl'))) return configured;
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs.readdirSync(root).filter((name) => fs.existsSync(path.join(root, name, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? path.join(root, versions[0] as string, 'bin') : null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a cluster, or says why it cannot. `port` defaults to PG_TEST_PORT or a free one. */
export async function startPostgres(port?: number): Promise<PostgresStart> {
  const bin = binDirectory();
  if (!bin) return { ok: false, reason: 'PostgreSQL is not installed (no pg_ctl under /usr/lib/postgresql/*/bin; `apt-get install postgresql`, or set PG_BIN)' };
  const asRoot = process.getuid?.() === 0;
  if (asRoot && spawnSync('id', ['postgres']).status !== 0) return { ok: false, reason: 'running as root and there is no `postgres` account to run the cluster as' };
  const chosenPort = port ?? (Number(process.env.PG_TEST_PORT) || (await freePort()));
  // The socket path must stay short (107 bytes): a short folder directly under the system's temporary folder.
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-'));
  const data = path.join(folder, 'data');
  const run = (command: string, args: string[]) => {
    const full = path.join(bin, command);
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', full, ...args]] : [full, args];
    return spawnSync(file, argv, { encoding: 'utf8', timeout: 60_000 });
  };
  const cleanUp = () => fs.rmSync(folder, { recursive: true, force: true });
  if (asRoot) execFileSync('chown', ['postgres:postgres', folder]);
  fs.chmodSync(folder, 0o700);
  const init = run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  if (init.status !== 0) {
    cleanUp();
    return { ok: false, reason: `initdb failed: ${(init.stderr || init.stdout || String(init.error)).trim().slice(0, 400)}` };
  }
  // Small and quiet: few connections' worth of memory, no fsync (a test cluster is thrown away), log to a file.
  const options = `-p ${chosenPort} -k ${folder} -h 127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=16MB -c max_connections=60`;
  const started = run('pg_ctl', ['-D', data, '-l', path.join(folder, 'log'), '-o', options, '-w', '-t', '30', 'start']);
  if (started.status !== 0) {
    const log = fs.existsSync(path.join(folder, 'log')) ? fs.readFileSync(path.join(folder, 'log'), 'utf8').slice(-400) : '';
    cleanUp();
    return { ok: false, reason: `pg_ctl start failed on port ${chosenPort}: ${(started.stderr || started.stdout).trim().slice(0, 300)} ${log}` };
  }
  const created = run('createdb', ['-h', folder, '-p', String(chosenPort), '-U', 'postgres', 'test']);
  const stop = () => {
    run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    cleanUp();
  };
  if (created.status !== 0) {
    stop();
    return { ok: false, reason: `createdb failed: ${created.stderr.trim().slice(0, 300)}` };
  }
  return { ok: true, pg: { url: `postgres://postgres@127.0.0.1:${chosenPort}/test`, port: chosenPort, folder, stop } };
}
