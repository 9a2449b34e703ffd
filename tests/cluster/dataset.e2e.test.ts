// The dataset on PostgreSQL: `npm run setup` with DATABASE_URL publishes the demonstration dataset into a throwaway
// PostgreSQL; two instances of the built app (`next start` on .next-e2e) whose SQLite files hold NO dataset (no
// version, no respondents, no indicators, no geography: only the accounts, which are 17a's slice) serve /compare, a
// city profile and /map with the same figures as the embedded app on the same data; and a fit runs on a worker
// process that has no SQLite file at all. Skips with the reason printed where PostgreSQL cannot start.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { applyPgMigrations, openPgDatabase } from '@/db/pg';
import { clusterTiming, startBoss } from '@/lib/jobs/pg/boss';
import { ClusterFitJobs } from '@/lib/jobs/pg/fit-jobs';
import { startPostgres } from '../support/postgres';
import { get, signInOverHttp, startServer, type CookieJar, type TestServer } from '../security/support';
import { fitPayload, olsRequest, settled, startWorkerProcess, TEST_ENV, type WorkerProcess } from './harness';

const root = path.resolve(import.meta.dirname, '..', '..');
const started = await startPostgres();
if (!started.ok) console.warn(`[cluster tests] skipped: PostgreSQL cannot start here: ${started.reason}`);

/** What a reader sees of a page: its text without scripts, styles, tags and per-request nonces, whitespace folded. */
function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;|&#160;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The SQLite file of a cluster web instance: the accounts stay (their slice is not on PostgreSQL here), every row
 * of the dataset goes, so whatever the pages show must come from PostgreSQL. */
function withoutDataset(databasePath: string): void {
  const db = new Database(databasePath);
  db.pragma('foreign_keys = ON');
  db.exec('DELETE FROM datasets; DELETE FROM cities; DELETE FROM provinces; VACUUM;');
  for (const table of ['datasets', 'waves', 'respondents', 'indicators', 'equity_measures', 'cities', 'provinces']) {
    if ((db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n !== 0) throw new Error(`${table} is not empty`);
  }
  db.close();
}

describe.skipIf(!started.ok)('the dataset read from PostgreSQL by web instances and workers with no dataset file', () => {
  const pg = started.ok ? started.pg : null!;
  const servers: TestServer[] = [];
  const workers: WorkerProcess[] = [];
  let jobs: ClusterFitJobs | undefined;
  let folder: string | undefined;
  afterAll(async () => {
    for (const w of workers) {
      w.kill('SIGKILL');
      await w.exited;
    }
    await jobs?.close();
    await Promise.all(servers.map((server) => server.stop()));
    pg?.stop();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  test('setup publishes; both instances show the embedded figures; a worker without a file fits', async () => {
    // `npm run setup` with DATABASE_URL on a copy of the pristine database (as a deployment's first machine runs it).
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-dataset-'));
    const setupPath = path.join(folder, 'setup.db');
    const source = new Database(inject('databasePath'), { readonly: true });
    await source.backup(setupPath);
    source.close();
    fs.copyFileSync(path.join(path.dirname(inject('databasePath')), 'auth-secret'), path.join(folder, 'auth-secret'));
    const setup = spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'db/setup.ts'], {
      cwd: root,
      env: { ...process.env, DATABASE_PATH: setupPath, DATABASE_URL: pg.url },
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(setup.status, setup.stdout + setup.stderr).toBe(0);
    // Every respondent of the file's active version, counted from the file itself.
    const file = new Database(setupPath, { readonly: true });
    const respondents = file.prepare('SELECT COUNT(*) FROM respondents WHERE dataset_id = (SELECT id FROM datasets WHERE active = 1)').pluck().get() as number;
    file.close();
    expect(setup.stdout).toContain(`respondents ${respondents.toLocaleString('en')},`);
    expect(setup.stdout).toMatch(/Published dataset #\d+ into PostgreSQL/);
    console.log(`[cluster] ${setup.stdout.split('\n').find((line) => line.startsWith('Published')) ?? ''}`);
    // pg-boss's schema for the fit queue, as `npm run db:migrate` makes it.
    const migrate = spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'db/migrate-cli.ts'], { cwd: root, env: { ...process.env, DATABASE_URL: pg.url }, encoding: 'utf8' });
    expect(migrate.status, migrate.stderr).toBe(0);

    const env = { ...TEST_ENV, DATABASE_URL: pg.url };
    const embedded = await startServer();
    servers.push(embedded, await startServer(env, withoutDataset), await startServer(env, withoutDataset));
    const signIn = async (server: TestServer) => (await signInOverHttp(server.baseUrl, 'viewer', 'viewer-demo')).jar;
    const jars = new Map<TestServer, CookieJar>(await Promise.all(servers.map(async (server) => [server, await signIn(server)] as const)));

    const pages = [
      '/compare?wave=2017&indicator=health_record&hukou=rural',
      '/compare?wave=2015&indicator=integration_index',
      '/cities/440300?wave=2017',
      '/cities/510100?wave=2017&hukou=urban',
      '/map?wave=2017&indicator=insurance_any',
      '/map?wave=2017&indicator=health_record&layer=city',
      '/',
    ];
    for (const page of pages) {
      const texts = [];
      for (const server of servers) {
        const response = await get(server.baseUrl, page, jars.get(server), { 'accept-language': 'en' });
        expect(response.status, `${page} on ${server.baseUrl}`).toBe(200);
        texts.push(visibleText(await response.text()));
      }
      const [reference, onA, onB] = texts as [string, string, string];
      // A page with figures on it (not an empty state), the same on every instance.
      expect(reference, page).toMatch(/\d+\.\d/);
      expect(onA, `${page} on the first PostgreSQL instance`).toBe(reference);
      expect(onB, `${page} on the second PostgreSQL instance`).toBe(reference);
    }

    // A fit of the published version, run by a worker process with no SQLite file (its DATABASE_PATH names nothing).
    const db = openPgDatabase(pg.url);
    const { rows } = await db.$client.query<{ id: number }>('SELECT id FROM datasets WHERE active');
    await applyPgMigrations(db);
    await db.$client.end();
    const datasetId = rows[0]!.id;
    // A full-wave fit on a loaded machine may outlast the other tests' 5 s expiry: the production default here.
    const timing = clusterTiming({ ...process.env, ...TEST_ENV, CLUSTER_JOB_EXPIRE_SECONDS: '150' });
    jobs = new ClusterFitJobs(await startBoss(pg.url, timing, { supervise: false }), openPgDatabase(pg.url), timing, { queueLimit: 10, perOwnerQueueLimit: 10 });
    const worker = startWorkerProcess({ url: pg.url }, 'no-file-worker', { env: { CLUSTER_JOB_EXPIRE_SECONDS: '150' } });
    workers.push(worker);
    // The worker copies the active version from PostgreSQL before it takes a job.
    const copied = await worker.waitFor(new RegExp(`copied from PostgreSQL \\(${respondents} respondents\\) in \\d+ ms`), 240_000);
    console.log(`[cluster] ${copied}`);
    const { id } = await jobs.submit(fitPayload({ databasePath: path.join(folder, 'absent.db'), datasetId }, 'viewer', olsRequest()), 1);
    const status = await settled(jobs, id, 300_000);
    expect(status.state, JSON.stringify(status)).toBe('done');
    console.log(`[cluster] ${worker.lines.find((line) => line.includes(`fit ${id} done`)) ?? ''}`);
    // Publishing the full demonstration dataset (about 713,000 respondents) and the worker's copy take minutes on a
    // loaded two-core machine.
  }, 900_000);
});
