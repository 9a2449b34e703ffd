// The synthetic national waves 2015, 2016 and 2018: their survey-weighted national indicators, computed by the real
// precompute and read through the trend query, are within the tolerance of db/calibration-trends.json's published
// figures; the city panel is the 2017 one; 2018's settlement question breaks the long-term residence trend.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import trends from '@/db/calibration-trends.json';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'trend-waves-'));
process.env.DATABASE_PATH = path.join(folder, 'test.db');

// "within 0.02 of the figure, or within the published CI where one is given" (trends.json, about).
const TOLERANCE = 0.02;
let series: typeof import('@/lib/queries/trends');
let datasetId: number;

beforeAll(async () => {
  const { openDatabase } = await import('@/db/client');
  const { applyMigrations } = await import('@/db/migrate');
  const { datasets, waves } = await import('@/db/schema');
  const { insertGeography } = await import('@/db/geography');
  const { TREND_WAVES, insertTrendWave } = await import('@/db/demo/national-waves');
  const { computeIndicators } = await import('@/lib/indicators/precompute');
  const db = openDatabase(process.env.DATABASE_PATH!);
  applyMigrations(db);
  insertGeography(db);
  const [row] = db.insert(datasets).values({ label: 'trend waves', kind: 'synthetic', sourceFile: 'test', status: 'ready', active: true }).returning({ id: datasets.id }).all();
  datasetId = row!.id;
  for (const calibration of TREND_WAVES) {
    const count = insertTrendWave(db, datasetId, calibration);
    db.insert(waves).values({ datasetId, year: calibration.year, label: String(calibration.year), design: 'national', respondentCount: count }).run();
  }
  computeIndicators(db, datasetId);
  series = await import('@/lib/queries/trends');
});

const national = async (indicator: string, hukou: 'all' | 'rural' | 'urban' = 'all') =>
  await series.listIndicatorSeries({ sources: [2015, 2016, 2018].map((wave) => ({ wave, datasetId })), indicator, hukou, migrationRange: 'all', geoLevel: 'national', geoCode: 'CN' });
const at = (cells: Array<{ wave: number; estimate: number | null }>, wave: number) => cells.find((c) => c.wave === wave)?.estimate;

describe('synthetic trend waves', () => {
  test('health records: 2015 overall, rural and urban, and 2018, within tolerance of the published figures', async () => {
    const w = trends.waves;
    expect(Math.abs(at(await national('health_record'), 2015)! - w['2015'].health_record.overall)).toBeLessThan(TOLERANCE);
    expect(Math.abs(at(await national('health_record', 'rural'), 2015)! - w['2015'].health_record.rural_hukou)).toBeLessThan(TOLERANCE);
    expect(Math.abs(at(await national('health_record', 'urban'), 2015)! - w['2015'].health_record.urban_hukou)).toBeLessThan(TOLERANCE);
    expect(Math.abs(at(await national('health_record'), 2018)! - w['2018'].health_record.overall)).toBeLessThan(TOLERANCE);
  });

  test('long-term residence intention 2016 and the 2018 settlement item, within tolerance', async () => {
    expect(Math.abs(at(await national('long_term_residence'), 2016)! - trends.waves['2016'].long_term_residence.overall)).toBeLessThan(TOLERANCE);
    expect(Math.abs(at(await national('long_term_residence'), 2018)! - trends.waves['2018'].settlement_intention.overall)).toBeLessThan(TOLERANCE);
  });

  test('every wave has every indicator, with a CI and n at each national point', async () => {
    for (const cell of await national('health_record')) {
      expect(cell.suppressed).toBe(false);
      expect(cell.ciLow!).toBeLessThan(cell.estimate!);
      expect(cell.ciHigh!).toBeGreaterThan(cell.estimate!);
      expect(cell.n).toBeGreaterThan(25_000);
    }
    expect((await national('health_record')).map((c) => c.wave)).toEqual([2015, 2016, 2018]);
  });

  test('samples each published n (2016: the assumed 169,000), in the same 72 cities', async () => {
    const { CITIES } = await import('@/db/geography');
    const { getSqliteDatabase } = await import('@/db/client');
    const sqlite = getSqliteDatabase().$client;
    const counts = sqlite.prepare('SELECT wave, COUNT(*) AS n, COUNT(DISTINCT city_code) AS cities FROM respondents WHERE dataset_id = ? GROUP BY wave ORDER BY wave').all(datasetId);
    expect(counts).toEqual([
      { wave: 2015, n: trends.waves['2015'].n, cities: CITIES.length },
      { wave: 2016, n: 169_000, cities: CITIES.length },
      { wave: 2018, n: trends.waves['2018'].n, cities: CITIES.length },
    ]);
    expect((await national('health_record')).find((c) => c.wave === 2015)?.n).toBe(trends.waves['2015'].n);
  });

  test('keeps only the design, filters and indicator variables of a trend wave (demographics are NULL)', async () => {
    const { getSqliteDatabase } = await import('@/db/client');
    const sqlite = getSqliteDatabase().$client;
    const held = sqlite
      .prepare('SELECT COUNT(health_record) AS healthRecord, COUNT(integration_index) AS integrationIndex, COUNT(bphs_index) AS bphsIndex, COUNT(age) AS age, COUNT(male) AS male, COUNT(integ_like_city) AS item FROM respondents WHERE dataset_id = ? AND wave = 2018')
      .get(datasetId);
    expect(held).toEqual({ healthRecord: 152_000, integrationIndex: 152_000, bphsIndex: 152_000, age: 0, male: 0, item: 0 });
    // Whole-number weights and PSUs numbered within their stratum.
    const sample = sqlite.prepare('SELECT weight, psu FROM respondents WHERE dataset_id = ? AND wave = 2015 LIMIT 1').get(datasetId) as { weight: number; psu: string };
    expect(Number.isInteger(sample.weight)).toBe(true);
    expect(sample.psu).toMatch(/^[1-9]\d{0,3}$/);
  });
});
