// Trend sources: with imported data, each national wave comes from the most recently activated ready imported
// version that holds it, so an imported 2017 file joins an earlier imported 2018 file; synthetic data never mix with
// imported ones, and the 2014 module is never part of a trend.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { AppDatabase } from '@/db/client';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'trend-sources-'));
const databasePath = path.join(folder, 'test.db');
process.env.DATABASE_PATH = databasePath;
let db: AppDatabase;
const ids: Record<string, number> = {};

beforeAll(async () => {
  const { openDatabase } = await import('@/db/client');
  const { applyMigrations } = await import('@/db/migrate');
  const { datasets, indicators, waves } = await import('@/db/schema');
  db = openDatabase(databasePath);
  applyMigrations(db);
  const version = (name: string, kind: 'synthetic' | 'imported', activatedAt: number, status: 'ready' | 'failed', years: Array<[number, string]>, estimate: number) => {
    const id = db.insert(datasets).values({ label: name, kind, status, active: false, activatedAt: new Date(activatedAt) }).returning({ id: datasets.id }).get().id;
    for (const [year, design] of years) {
      db.insert(waves).values({ datasetId: id, year, label: String(year), design, respondentCount: 100 }).run();
      db.insert(indicators)
        .values({ datasetId: id, wave: year, geoLevel: 'national', geoCode: 'CN', hukou: 'all', migrationRange: 'all', indicator: 'health_record', n: 100, estimate, se: 0.01, ciLow: estimate - 0.02, ciHigh: estimate + 0.02, suppressed: false, status: 'published' })
        .run();
    }
    ids[name] = id;
  };
  version('demo', 'synthetic', 1_000, 'ready', [[2014, 'module_2014_eight_cities'], [2015, 'national'], [2017, 'national'], [2018, 'national']], 0.3);
  version('import 2018 old', 'imported', 2_000, 'ready', [[2018, 'national']], 0.25);
  version('import 2018 new', 'imported', 3_000, 'ready', [[2018, 'national']], 0.28);
  version('import 2016 failed', 'imported', 3_500, 'failed', [[2016, 'national']], 0.5);
  version('import 2017', 'imported', 4_000, 'ready', [[2017, 'national']], 0.31);
});

afterAll(() => {
  db.$client.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

test('imported waves join: each wave from its latest ready imported version, the active one first', async () => {
  const { listTrendSources, listIndicatorSeries } = await import('@/lib/queries/trends');
  const sources = await listTrendSources({ id: ids['import 2017']!, kind: 'imported' });
  expect(sources.map((s) => [s.wave, s.datasetId])).toEqual([
    [2017, ids['import 2017']],
    [2018, ids['import 2018 new']],
  ]);
  const series = await listIndicatorSeries({ sources, indicator: 'health_record', hukou: 'all', migrationRange: 'all', geoLevel: 'national', geoCode: 'CN' });
  expect(series.map((c) => [c.wave, c.estimate])).toEqual([
    [2017, 0.31],
    [2018, 0.28],
  ]);
  // Re-activating the older 2018 version makes it the 2018 source while it is active.
  expect((await listTrendSources({ id: ids['import 2018 old']!, kind: 'imported' })).map((s) => [s.wave, s.datasetId])).toEqual([
    [2017, ids['import 2017']],
    [2018, ids['import 2018 old']],
  ]);
});

test('synthetic data are one set: only the active synthetic version, national waves only', async () => {
  const { listTrendSources } = await import('@/lib/queries/trends');
  expect((await listTrendSources({ id: ids.demo!, kind: 'synthetic' })).map((s) => [s.wave, s.datasetId])).toEqual([
    [2015, ids.demo],
    [2017, ids.demo],
    [2018, ids.demo],
  ]);
});
