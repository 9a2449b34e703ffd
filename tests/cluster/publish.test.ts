// Publishing a dataset version from SQLite into PostgreSQL (db/publish.ts): every row arrives with the same values,
// the activation switch comes last, and a publish that fails or is killed midway leaves PostgreSQL as it was.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eq } from 'drizzle-orm';
import { openDatabase, type AppDatabase } from '@/db/client';
import { generateNational2017 } from '@/db/demo/national-2017';
import { applyPgMigrations, openPgDatabase, type PgDatabase } from '@/db/pg';
import { publishDatasetVersion, PublishError } from '@/db/publish';
import { insertRespondents } from '@/db/respondents';
import { datasets, waves } from '@/db/schema';
import { computeIndicators } from '@/lib/indicators/precompute';
import { MODEL_PRESETS } from '@/lib/models/presets';
import { runModelRequest } from '@/lib/models/run';
import { ClusterDatasetCache } from '@/lib/queries/cluster-dataset';
import { startPostgres, type Postgres } from '../support/postgres';
import { createDatabase, temporaryFolder } from '../import/database';
import { EXTRACT, fixture } from '../import/fixtures';
import { importSurveyFile } from '@/lib/import/dataset-import';
import { DEFAULT_MAPPINGS } from '@/lib/import/mappings';
import { clusterIdFloors } from '@/db/publish';

const root = path.resolve(import.meta.dirname, '..', '..');
const started = await startPostgres();
if (!started.ok) console.warn(`[cluster tests] skipped: PostgreSQL cannot start here: ${started.reason}`);

/** A second ready (inactive) version in the SQLite file, as an import leaves it before activation. */
function addVersion(db: AppDatabase, n: number, seed: number): number {
  return db.$client.transaction(() => {
    const [row] = db.insert(datasets).values({ label: `Second version ${seed}`, kind: 'imported', status: 'ready', active: false }).returning({ id: datasets.id }).all();
    const id = (row as { id: number }).id;
    const count = insertRespondents(db, id, generateNational2017({ n, seed }));
    db.insert(waves).values({ datasetId: id, year: 2017, label: '2017', design: 'national', respondentCount: count }).run();
    db.update(datasets).set({ rowCount: count }).where(eq(datasets.id, id)).run();
    computeIndicators(db, id);
    return id;
  })();
}

const columnsOf = (db: AppDatabase, table: string) => (db.$client.prepare(`PRAGMA table_info("${table}")`).all() as Array<{ name: string }>).map((c) => c.name);

/** A table's rows of one version, in id order, from both sides; PostgreSQL's booleans and dates as SQLite stores them. */
async function bothSides(sqlite: AppDatabase, pg: PgDatabase, table: string, datasetId: number, order = 'id') {
  const list = columnsOf(sqlite, table).map((c) => `"${c}"`).join(', ');
  const left = sqlite.$client.prepare(`SELECT ${list} FROM "${table}" WHERE dataset_id = ? ORDER BY ${order}`).raw(true).all(datasetId);
  const result = await pg.$client.query({ text: `SELECT ${list} FROM "${table}" WHERE dataset_id = $1 ORDER BY ${order}`, values: [datasetId], rowMode: 'array' });
  const right = (result.rows as unknown[][]).map((row) => row.map((v) => (typeof v === 'boolean' ? Number(v) : v instanceof Date ? v.getTime() : v)));
  return { left, right };
}

async function pgState(pg: PgDatabase) {
  const count = async (sql: string) => Number(((await pg.$client.query(sql)).rows[0] as { n: string }).n);
  return {
    versions: (await pg.$client.query('SELECT id, active FROM datasets ORDER BY id')).rows as Array<{ id: number; active: boolean }>,
    respondents: await count('SELECT COUNT(*) AS n FROM respondents'),
    indicators: await count('SELECT COUNT(*) AS n FROM indicators'),
    equity: await count('SELECT COUNT(*) AS n FROM equity_measures'),
    waves: await count('SELECT COUNT(*) AS n FROM waves'),
  };
}

describe.skipIf(!started.ok)('publishing a dataset version into PostgreSQL', () => {
  let pgServer: Postgres;
  let pg: PgDatabase;
  let sqlite: AppDatabase;
  let first: number;
  let folder: string;
  beforeAll(async () => {
    pgServer = (started as { ok: true; pg: Postgres }).pg;
    pg = openPgDatabase(pgServer.url);
    await applyPgMigrations(pg);
    folder = temporaryFolder('publish-');
    ({ db: sqlite, datasetId: first } = await createDatabase(path.join(folder, 'dataset.db'), 2500));
  });
  afterAll(async () => {
    sqlite?.$client.close();
    await pg?.$client.end();
    pgServer?.stop();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  test('copies the version with every value unchanged and makes it the active one', async () => {
    const outcome = await publishDatasetVersion(sqlite, pg.$client, first);
    expect(outcome.copied).toBe(true);
    expect(outcome.rows.respondents).toBe(2500);
    for (const table of ['respondents', 'indicators', 'equity_measures']) {
      const { left, right } = await bothSides(sqlite, pg, table, first);
      expect(right.length, table).toBe(left.length);
      expect(right, table).toEqual(left);
    }
    const wavesBoth = await bothSides(sqlite, pg, 'waves', first, 'year');
    expect(wavesBoth.right).toEqual(wavesBoth.left);
    const cities = await pg.$client.query('SELECT COUNT(*)::int AS n FROM cities');
    expect(cities.rows[0].n).toBe((sqlite.$client.prepare('SELECT COUNT(*) FROM cities').pluck().get() as number));
    expect((await pgState(pg)).versions).toEqual([{ id: first, active: true }]);
  });

  test("a worker's copy of the published version holds the same rows and fits the same as the SQLite file", async () => {
    const cache = new ClusterDatasetCache(pg.$client);
    try {
      const copy = await cache.get(first);
      expect(copy?.respondents).toBe(2500);
      expect(await cache.get(first + 1000)).toBeNull();
      const local = openDatabase(copy!.databasePath, { readonly: true });
      const list = columnsOf(sqlite, 'respondents').map((c) => `"${c}"`).join(', ');
      const rows = (db: AppDatabase) => db.$client.prepare(`SELECT ${list} FROM respondents WHERE dataset_id = ? ORDER BY id`).raw(true).all(first);
      expect(rows(local)).toEqual(rows(sqlite));
      // Everything but the timings.
      const figures = (output: unknown) => JSON.parse(JSON.stringify(output, (key, value: unknown) => (key === 'time_s' || key === 'durationMs' ? undefined : value))) as unknown;
      const presets = MODEL_PRESETS.filter((p) => p.request.wave === 2017 && p.request.type !== 'mediation');
      expect(presets.length).toBeGreaterThan(0);
      for (const preset of presets.slice(0, 3)) {
        expect(figures(runModelRequest(local.$client, first, preset.request)), preset.id).toEqual(figures(runModelRequest(sqlite.$client, first, preset.request)));
      }
      local.$client.close();
    } finally {
      cache.close();
    }
  });

  test('publishing the same version again copies nothing', async () => {
    const before = await pgState(pg);
    const outcome = await publishDatasetVersion(sqlite, pg.$client, first);
    expect(outcome.copied).toBe(false);
    expect(await pgState(pg)).toEqual(before);
  });

  test('a publish that fails midway leaves PostgreSQL as it was, with the earlier version active', async () => {
    const second = addVersion(sqlite, 1200, 7);
    const before = await pgState(pg);
    await expect(
      publishDatasetVersion(sqlite, pg.$client, second, {
        onTable: (table) => {
          if (table === 'indicators') throw new Error('disk full (injected)');
        },
      }),
    ).rejects.toThrow('disk full (injected)');
    expect(await pgState(pg)).toEqual(before);
    // And then it publishes whole, and the switch moves.
    const outcome = await publishDatasetVersion(sqlite, pg.$client, second);
    expect(outcome.rows.respondents).toBe(1200);
    expect((await pgState(pg)).versions).toEqual([
      { id: first, active: false },
      { id: second, active: true },
    ]);
  });

  test('a publishing process killed midway (kill -9) leaves PostgreSQL as it was', async () => {
    const third = addVersion(sqlite, 1500, 11);
    sqlite.$client.pragma('wal_checkpoint(TRUNCATE)');
    const before = await pgState(pg);
    const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', path.join(root, 'tests', 'cluster', 'publish-and-die.ts')], {
      cwd: root,
      env: { ...process.env, PUBLISH_DATABASE_PATH: path.join(folder, 'dataset.db'), PUBLISH_DATABASE_URL: pgServer.url, PUBLISH_DATASET_ID: String(third), PUBLISH_DIE_AFTER: 'respondents' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    expect(signal, output).toBe('SIGKILL');
    expect(output).toContain('respondents 1500');
    // PostgreSQL ends the dead connection's transaction; wait for its backend to go.
    for (let i = 0; i < 50; i++) {
      const busy = await pg.$client.query("SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE state = 'idle in transaction' OR (state = 'active' AND query LIKE 'COPY%')");
      if (busy.rows[0].n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await pgState(pg)).toEqual(before);
  });

  test('a different version under an id PostgreSQL already holds is refused, not mixed in', async () => {
    const other = await createDatabase(path.join(folder, 'other.db'), 300);
    try {
      const before = await pgState(pg);
      await expect(publishDatasetVersion(other.db, pg.$client, other.datasetId)).rejects.toThrow(PublishError);
      expect(await pgState(pg)).toEqual(before);
    } finally {
      other.db.$client.close();
    }
  });
  test("an import on another machine takes an id PostgreSQL has not used, and its audit entry is published with it", async () => {
    // A second web machine's file: its own versions number from 1, and it holds none of the cluster's accounts.
    const other = await createDatabase(path.join(folder, 'importer.db'), 300);
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = pgServer.url;
    try {
      other.db.$client.prepare('DELETE FROM users').run();
      const floors = await clusterIdFloors();
      const held = (await pg.$client.query<{ max: number }>('SELECT MAX(id)::int AS max FROM datasets')).rows[0]!.max;
      expect(floors?.datasets).toBe(held);
      const free = held + 1;
      const importer = { id: 4242, name: 'Cluster admin' };
      const outcome = importSurveyFile(other.db, { fileName: 'cmds-utf8.csv', bytes: fixture('cmds-utf8.csv'), mapping: DEFAULT_MAPPINGS['cmds-2017'], ...EXTRACT, importer, idFloors: floors });
      expect(outcome.datasetId).toBe(free);
      const published = await publishDatasetVersion(other.db, pg.$client, outcome.datasetId);
      expect(published.copied).toBe(true);
      const audit = await pg.$client.query("SELECT user_id, username, action, detail FROM audit_log WHERE action = 'import' AND target = $1", [`dataset:${free}`]);
      expect(audit.rows).toHaveLength(1);
      expect(audit.rows[0]).toMatchObject({ username: 'Cluster admin', action: 'import', detail: { file: 'cmds-utf8.csv' } });
    } finally {
      if (previous === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previous;
      other.db.$client.close();
    }
  });
});
