// Benchmark of a full-wave import: the synthetic 2017 wave (169,989 respondents) written as a CMDS-style CSV with
// Chinese value labels, as a Stata .dta and (with PSPP installed) as an SPSS .sav; each checked (dry run) and imported
// by the import CLI in its own process, as the admin page runs it, on a temporary database. Meanwhile this process
// does sign-in-like writes (rate-limit check, attempt row, audit row) every 25 ms on its own connection and times them.
// Targets: import + indicators under 30 s, peak memory of the import process under 400 MB, write p95 under 1 s.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type AppDatabase } from '../../db/client';
import { insertGeography } from '../../db/geography';
import { insertRespondents } from '../../db/respondents';
import { generateNational2017 } from '../../db/demo/national-2017';
import { applyMigrations } from '../../db/migrate';
import { inTransaction } from '../../db/store';
import { datasets } from '../../db/schema';
import { ensureDemoUsers } from '../../lib/auth/demo-users';
import { isSignInBlocked, recordSignInAttempt } from '../../lib/auth/rate-limit';
import { computeIndicators } from '../../lib/indicators/precompute';
import { readCsv } from '../../lib/import/csv';
import { DEFAULT_MAPPINGS } from '../../lib/import/mappings';
import { recordAudit } from '../../lib/queries/audit';
import { writeDta114, type DtaColumn } from '../import/dta-writer';
import { cmdsCsvLines } from './cmds-csv';

const root = path.resolve(__dirname, '..', '..');
const line = (label: string, value: string) => console.log(`${label.padEnd(60)} ${value}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2).padStart(7)} s`;
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
let failed = false;

/** The CSV's columns as a format-114 .dta: numbers as doubles (empty → '.'), text as strings. */
function csvToDta(bytes: Buffer): Uint8Array {
  const table = readCsv(bytes, { encoding: 'utf-8' });
  const rows = [...table.rows()];
  const columns: DtaColumn[] = table.variables.map((variable, c) => {
    const cells = rows.map((row) => (row[c] ?? '') as string);
    if (cells.every((cell) => cell === '' || Number.isFinite(Number(cell)))) {
      return { name: variable.name, type: 'double', values: cells.map((cell) => (cell === '' ? '.' : Number(cell))) };
    }
    const encoded = cells.map((cell) => Buffer.from(cell));
    return { name: variable.name, type: 'str', width: encoded.reduce((max, b) => Math.max(max, b.length), 1), values: encoded };
  });
  return writeDta114(columns);
}

/** The CSV as a bytecode-compressed .sav written by GNU PSPP; null when PSPP is not installed. */
function csvToSav(csvFile: string, savFile: string): boolean {
  if (spawnSync('pspp', ['--version']).status !== 0) return false;
  const table = readCsv(fs.readFileSync(csvFile), { encoding: 'utf-8' });
  const rows = [...table.rows()];
  const formats = table.variables.map((variable, c) => {
    const cells = rows.map((row) => (row[c] ?? '') as string);
    if (cells.every((cell) => cell === '' || Number.isFinite(Number(cell)))) return `${variable.name} F16.6`;
    return `${variable.name} A${cells.reduce((max, cell) => Math.max(max, Buffer.byteLength(cell)), 1)}`;
  });
  const syntax = path.join(folder, 'to-sav.sps');
  fs.writeFileSync(
    syntax,
    `SET LOCALE='UTF-8'.\nGET DATA /TYPE=TXT /FILE='${csvFile}' /ENCODING='UTF-8' /ARRANGEMENT=DELIMITED /DELCASE=LINE /FIRSTCASE=2 /DELIMITERS=',' /QUALIFIER='"'\n /VARIABLES=${formats.join('\n  ')}.\nSAVE OUTFILE='${savFile}' /COMPRESSED.\n`,
  );
  const run = spawnSync('pspp', ['-O', 'format=txt', '-o', path.join(folder, 'pspp.txt'), syntax], { encoding: 'utf8' });
  return run.status === 0 && fs.existsSync(savFile);
}

/** A migrated database with the accounts and an active synthetic version, as a running dashboard has. */
async function createDatabase(file: string): Promise<void> {
  const db = openDatabase(file);
  applyMigrations(db);
  insertGeography(db);
  await ensureDemoUsers(db);
  const id = db.insert(datasets).values({ label: 'bench', kind: 'synthetic', status: 'ready', active: true }).returning({ id: datasets.id }).get().id;
  insertRespondents(db, id, generateNational2017({ n: 5000 }));
  computeIndicators(db, id);
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  db.$client.close();
}

/** A sign-in as the web server records it: rate-limit check, the attempt, an audit row; returns its latency in ms. */
async function signInLikeWrite(db: AppDatabase, i: number): Promise<number> {
  const started = performance.now();
  await isSignInBlocked(db, 'viewer', `bench-${i % 7}`);
  await inTransaction(db, async (tx) => {
    await recordSignInAttempt(tx, 'viewer', `bench-${i % 7}`, true);
    await recordAudit(tx, { username: 'viewer', action: 'sign_in', target: 'bench' });
  });
  return performance.now() - started;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? (sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number) : NaN;
};

/** Runs the import CLI in its own process while timing sign-in-like writes; peak memory from /proc. */
async function run(label: string, file: string, database: string, extra: string[]): Promise<void> {
  const writer = openDatabase(database);
  const latencies: number[] = [];
  const errors: string[] = [];
  let peakKb = 0;
  const started = performance.now();
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'db/import.ts', file, '--db', database, '--mapping', 'cmds-2017', '--json', ...extra], {
    cwd: root,
    env: { ...process.env, DATABASE_PATH: database },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let running = true;
  void exited.then(() => (running = false));
  for (let i = 0; running; i++) {
    try {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
    } catch {
      // the process has just ended
    }
    try {
      latencies.push(await signInLikeWrite(writer, i));
    } catch (error) {
      errors.push((error as Error).message);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const code = await exited;
  const wall = performance.now() - started;
  writer.$client.close();
  const result = (() => {
    try {
      return JSON.parse(stdout.trim().split('\n').pop() ?? '') as {
        ok: boolean;
        rows?: number;
        indicatorCells?: number;
        ms?: number;
        cpuMs?: number;
        steps?: { check: number; copy: number; indicators: number };
        report?: { validRows: number };
      };
    } catch {
      return null;
    }
  })();
  if (code !== 0 || !result?.ok) {
    failed = true;
    line(`${label}: FAILED (exit ${code})`, `${stderr.slice(-500)} ${stdout.slice(-500)}`);
    return;
  }
  const rows = result.rows ?? result.report?.validRows ?? 0;
  line(`${label} (${rows.toLocaleString('en')} rows${result.indicatorCells ? `, ${result.indicatorCells.toLocaleString('en')} cells` : ''}), whole process`, seconds(wall));
  if (result.cpuMs !== undefined) line(`  CPU time of the import process (the machine may be shared)`, seconds(result.cpuMs));
  if (result.steps) {
    line(`  of which read + check + stage / copy into the version / indicators`, `${seconds(result.steps.check)} / ${seconds(result.steps.copy)} / ${seconds(result.steps.indicators)}`);
  }
  line(`  peak memory of the import process (target < 400 MB)`, `${(peakKb / 1024).toFixed(0).padStart(7)} MB`);
  const p95 = percentile(latencies, 0.95);
  line(
    `  sign-in-like writes meanwhile: ${latencies.length}, p50 / p95 / max (target p95 < 1 s)`,
    `${percentile(latencies, 0.5).toFixed(1)} / ${p95.toFixed(1)} / ${latencies.reduce((a, b) => Math.max(a, b), 0).toFixed(1)} ms${errors.length ? `, ${errors.length} FAILED: ${errors[0]}` : ''}`,
  );
  if (peakKb / 1024 >= 400 || p95 >= 1000 || errors.length > 0 || (!extra.includes('--dry-run') && wall >= 30_000)) failed = true;
}

async function main(): Promise<void> {
  const mapping = DEFAULT_MAPPINGS['cmds-2017'];
  let started = performance.now();
  const records = generateNational2017();
  const csvFile = path.join(folder, 'cmds-2017.csv');
  fs.writeFileSync(csvFile, [...cmdsCsvLines(records, mapping)].join(''));
  const csvBytes = fs.readFileSync(csvFile);
  line(`write CMDS CSV (${records.length.toLocaleString('en')} rows, ${(csvBytes.length / 1024 / 1024).toFixed(0)} MB)`, seconds(performance.now() - started));
  started = performance.now();
  const dtaFile = path.join(folder, 'cmds-2017.dta');
  fs.writeFileSync(dtaFile, csvToDta(csvBytes));
  line(`write the same as Stata .dta (${(fs.statSync(dtaFile).size / 1024 / 1024).toFixed(0)} MB)`, seconds(performance.now() - started));
  started = performance.now();
  const savFile = path.join(folder, 'cmds-2017.sav');
  const haveSav = csvToSav(csvFile, savFile);
  if (haveSav) line(`write the same as SPSS .sav with PSPP (${(fs.statSync(savFile).size / 1024 / 1024).toFixed(0)} MB)`, seconds(performance.now() - started));
  else line('SPSS .sav skipped: PSPP (Debian package pspp) is not installed', '');

  const database = path.join(folder, 'bench.db');
  await createDatabase(database);
  const files: Array<[string, string]> = [
    ['CSV', csvFile],
    ['.dta', dtaFile],
    ...(haveSav ? ([['.sav', savFile]] as Array<[string, string]>) : []),
  ];
  for (const [label, file] of files) {
    await run(`dry run of the ${label}`, file, database, ['--dry-run']);
    await run(`import of the ${label} + indicators (target < 30 s)`, file, database, []);
  }
}

main()
  .catch((error: unknown) => {
    console.error(error);
    failed = true;
  })
  .finally(() => {
    fs.rmSync(folder, { recursive: true, force: true });
    if (failed) process.exitCode = 1;
  });
