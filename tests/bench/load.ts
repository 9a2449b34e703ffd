// `npm run bench:load` (and the last part of `npm run bench`): the production server under load on loopback. 20
// signed-in connections (autocannon) on /compare, a city profile and the overview for 10 s each; p50/p95/p99 of the
// response times; then the same while 4 model fits run (MODEL_MAX_CONCURRENT=4, fits submitted through the model
// page's server action). Target: p95 < 200 ms. Builds into .next-bench unless LOAD_DIST_DIR names an existing build.
// Beside each figure: the server's CPU per request (its request thread, from /proc; the machine may be shared, so wall
// times alone say little) and the 1-minute load average. Pages come from the page cache after their first request
// (lib/http/page-cache.ts); LOAD_PAGE_CACHE_MB=0 measures them rendered every time.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';

const root = path.resolve(import.meta.dirname, '..', '..');
const distDir = process.env.LOAD_DIST_DIR ?? '.next-bench';
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 20);
const DURATION_S = Number(process.env.LOAD_DURATION_S ?? 10);
const TARGET_P95_MS = 200;
const PAGES = [
  { label: '/compare', path: '/compare' },
  { label: 'city profile (Shenzhen)', path: '/cities/440300' },
  { label: 'overview', path: '/' },
];

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

async function waitForServer(url: string, child: ChildProcess) {
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/sign-in`, { redirect: 'manual' })).status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the server did not start');
}

/** Signs in through Auth.js's credentials callback and returns the session cookie. */
async function signIn(baseUrl: string, username: string, password: string): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: csrfCookie },
    body: new URLSearchParams({ username, password, csrfToken, callbackUrl: `${baseUrl}/` }),
  });
  const session = response.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c?.includes('session-token'));
  if (!session) throw new Error(`sign-in as ${username} failed (${response.status})`);
  return session;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** The next-server process among the server's process group (npx → next start). */
function serverProcessId(groupId: number): number | null {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === groupId && stat.includes('(next-server')) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

/** CPU time (ms) of the server's request thread (its main thread; fits and other workers are threads of their own). */
function requestThreadCpuMs(pid: number | null): number {
  if (pid === null || !fs.existsSync(`/proc/${pid}/task/${pid}/stat`)) return Number.NaN;
  const stat = fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
}

let serverPid: number | null = null;

async function measure(baseUrl: string, page: { label: string; path: string }, cookie: string): Promise<string> {
  const times: number[] = [];
  let errors = 0;
  const cpuBefore = requestThreadCpuMs(serverPid);
  const instance = autocannon({ url: `${baseUrl}${page.path}`, connections: CONNECTIONS, duration: DURATION_S, headers: { cookie } });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode !== 200) errors++;
    times.push(responseTime);
  });
  const result = await instance;
  const cpuPerRequest = (requestThreadCpuMs(serverPid) - cpuBefore) / Math.max(1, times.length);
  times.sort((a, b) => a - b);
  const p95 = percentile(times, 95);
  return `${page.label.padEnd(26)} p50 ${percentile(times, 50).toFixed(0).padStart(5)} ms  p95 ${p95.toFixed(0).padStart(5)} ms  p99 ${percentile(times, 99).toFixed(0).padStart(5)} ms  ${String(result.requests.total).padStart(5)} requests${errors ? `, ${errors} not 200` : ''}  cpu ${cpuPerRequest.toFixed(1)} ms/request  load ${os.loadavg()[0]!.toFixed(1)}  ${p95 < TARGET_P95_MS ? 'ok' : `p95 over ${TARGET_P95_MS} ms`}`;
}

/** The model page's server action id for runModelAction, from the build's server-reference manifest. */
function runModelActionId(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, distDir, 'server', 'server-reference-manifest.json'), 'utf8')) as { node: Record<string, { exportedName?: string; filename?: string }> };
  const entry = Object.entries(manifest.node).find(([, value]) => value.exportedName === 'runModelAction');
  if (!entry) throw new Error('runModelAction not found in the server-reference manifest');
  return entry[0];
}

/** Submits a fit through the model page's server action; resolves with its job id (null when cached or refused). */
async function submitFit(baseUrl: string, cookie: string, actionId: string, request: Record<string, unknown>): Promise<string | null> {
  const response = await fetch(`${baseUrl}/models`, {
    method: 'POST',
    headers: { 'Next-Action': actionId, 'Content-Type': 'text/plain;charset=UTF-8', Accept: 'text/x-component', Cookie: cookie, Origin: baseUrl },
    body: JSON.stringify([request]),
  });
  const text = await response.text();
  return /"jobId":"([0-9a-f-]{36})"/.exec(text)?.[1] ?? null;
}

async function jobState(baseUrl: string, cookie: string, id: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/models/jobs/${id}`, { headers: { cookie } });
  return response.ok ? ((await response.json()) as { state: string }).state : `http ${response.status}`;
}

async function main() {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-load-'));
  const databasePath = path.join(folder, 'dashboard.db');
  const env = { ...process.env, DATABASE_PATH: databasePath, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' as const, MODEL_MAX_CONCURRENT: '4', BRIEFING_WORKER_WARM: '0', PAGE_CACHE_MB: process.env.LOAD_PAGE_CACHE_MB ?? process.env.PAGE_CACHE_MB ?? '64' };
  run('npx', ['tsx', '--conditions=react-server', 'db/setup.ts'], env);
  if (!fs.existsSync(path.join(root, distDir, 'BUILD_ID')) || process.env.LOAD_BUILD === '1') run('npx', ['next', 'build'], env);
  const port = await freePort();
  const server = spawn('npx', ['next', 'start', '-p', String(port)], { cwd: root, env, stdio: 'ignore', detached: true });
  const baseUrl = `http://localhost:${port}`;
  try {
    await waitForServer(baseUrl, server);
    serverPid = server.pid ? serverProcessId(server.pid) : null;
    const viewer = await signIn(baseUrl, 'viewer', 'viewer-demo');
    const analyst = await signIn(baseUrl, 'analyst', 'analyst-demo');
    // One request per page first, so that the figures are of a warm server.
    for (const page of PAGES) await fetch(`${baseUrl}${page.path}`, { headers: { cookie: viewer } });
    console.log(`pages under load: ${CONNECTIONS} signed-in connections, ${DURATION_S} s each, loopback, embedded back end (${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; page cache ${env.PAGE_CACHE_MB === '0' ? 'off' : 'on'})`);
    for (const page of PAGES) console.log(await measure(baseUrl, page, viewer));

    const actionId = runModelActionId();
    console.log('the same with 4 model fits running (national wave, random-intercept logit, two users)');
    let nAGQ = 1;
    for (const page of PAGES) {
      const jobs: Array<{ id: string; cookie: string }> = [];
      for (const cookie of [viewer, viewer, analyst, analyst]) {
        const request = { wave: 2017, type: 'ri_logit', outcome: 'long_term_residence', keys: ['health_record', 'health_education_any'], controls: ['male', 'age', 'education_level', 'migration_range', 'duration_years', 'log_household_income', 'insurance_any'], nAGQ: nAGQ++ };
        const id = await submitFit(baseUrl, cookie, actionId, request);
        if (id) jobs.push({ id, cookie });
      }
      const states = async () => (await Promise.all(jobs.map((job) => jobState(baseUrl, job.cookie, job.id)))).filter((s) => s === 'running').length;
      const runningAtStart = await states();
      const line = await measure(baseUrl, page, viewer);
      console.log(`${line}  (fits running: ${runningAtStart} at start, ${await states()} at end)`);
      for (const job of jobs) await fetch(`${baseUrl}/api/models/jobs/${job.id}`, { method: 'DELETE', headers: { cookie: job.cookie, Origin: baseUrl } });
    }
  } finally {
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
