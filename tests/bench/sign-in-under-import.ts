// Sign-in and /compare response times (p50, p95) with the server idle, then while a full-wave import (the synthetic
// 2017 wave as a 170,000-row CMDS CSV, `npm run import`) writes to the same database. Target: p95 under 1 s for both.
// Needs a production build: NEXT_DIST_DIR (default .next-e2e, made by `npm run test:e2e`) or `next build` first.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../db/client';
import { generateNational2017 } from '../../db/demo/national-2017';
import { DEFAULT_MAPPINGS } from '../../lib/import/mappings';
import { createUser } from '../../lib/queries/users';
import { cmdsCsvLines } from './cmds-csv';

const root = path.resolve(import.meta.dirname, '..', '..');
const distDir = process.env.NEXT_DIST_DIR ?? '.next-e2e';
if (!fs.existsSync(path.join(root, distDir, 'BUILD_ID'))) throw new Error(`No build in ${distDir}: run \`NEXT_DIST_DIR=${distDir} next build\` first.`);
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-signin-'));
const databasePath = path.join(folder, 'dashboard.db');
const env = { ...process.env, DATABASE_PATH: databasePath, NEXT_DIST_DIR: distDir, NODE_ENV: 'production' as const, NEXT_TELEMETRY_DISABLED: '1', BRIEFING_WORKER_WARM: '0' };
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function timed(fn: () => Promise<boolean>): Promise<{ ms: number; ok: boolean }> {
  const started = performance.now();
  const ok = await fn().catch(() => false);
  return { ms: performance.now() - started, ok };
}

async function main() {
  spawnSync(tsx, ['--conditions=react-server', 'db/setup.ts'], { cwd: root, env, stdio: 'ignore' });
  const db = openDatabase(databasePath);
  await createUser(db, { username: 'bench', displayName: 'Bench', role: 'viewer', password: 'Bench-Measuring-Passphrase-1' });
  db.$client.close();
  const csv = path.join(folder, 'cmds-2017.csv');
  fs.writeFileSync(csv, [...cmdsCsvLines(generateNational2017(), DEFAULT_MAPPINGS['cmds-2017'])].join(''));

  const port = 30_000 + Math.floor(Math.random() * 20_000);
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(path.join(root, 'node_modules', '.bin', 'next'), ['start', '-p', String(port)], { cwd: root, env, stdio: 'ignore', detached: true });
  try {
    for (let i = 0; i < 200; i++) {
      if (await fetch(`${base}/sign-in`).then((r) => r.status < 500, () => false)) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    let cookie = '';
    const signIn = async () => {
      const csrf = await fetch(`${base}/api/auth/csrf`);
      const jar = csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      const response = await fetch(`${base}/api/auth/callback/credentials`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar },
        body: new URLSearchParams({ csrfToken, username: 'bench', password: 'Bench-Measuring-Passphrase-1', callbackUrl: '/' }),
      });
      const session = response.headers.getSetCookie().find((c) => c.includes('session-token'));
      if (session) cookie = session.split(';')[0]!;
      return response.status === 302 && !(response.headers.get('location') ?? '').includes('error');
    };
    const compare = async () => (await fetch(`${base}/compare`, { headers: { cookie } }).then(async (r) => (await r.text(), r.status))) === 200;

    const measure = async (label: string, until: () => boolean, max: number) => {
      const signIns: number[] = [];
      const compares: number[] = [];
      let failures = 0;
      while (signIns.length < max && until()) {
        const a = await timed(signIn);
        const b = await timed(compare);
        signIns.push(a.ms);
        compares.push(b.ms);
        failures += Number(!a.ok) + Number(!b.ok);
      }
      const row = (name: string, values: number[]) =>
        console.log(`${`${label}: ${name}`.padEnd(44)} n=${String(values.length).padStart(3)}  p50 ${percentile(values, 50).toFixed(0).padStart(5)} ms  p95 ${percentile(values, 95).toFixed(0).padStart(5)} ms`);
      row('sign-in', signIns);
      row('/compare', compares);
      console.log(`${`${label}: failed requests`.padEnd(44)} ${failures}`);
    };

    await signIn();
    await compare(); // warm
    await measure('idle', () => true, 20);
    const importer = spawn(tsx, ['--conditions=react-server', 'db/import.ts', csv, '--mapping', 'cmds-2017'], { cwd: root, env, stdio: 'ignore' });
    let importing = true;
    const importStarted = performance.now();
    importer.on('exit', () => (importing = false));
    await measure('during import', () => importing, 400);
    while (importing) await new Promise((r) => setTimeout(r, 200));
    console.log(`${'import finished in'.padEnd(44)} ${((performance.now() - importStarted) / 1000).toFixed(1)} s (exit ${importer.exitCode})`);
  } finally {
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
