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
  const { insertRespondents } = await import('@/db/respondents');
  const { TREND_WAVES, generateTrendWave } = await import('@/db/demo/national-waves');
  const { computeIndicators } = await import('@/lib/indicators/precompute');
  const db = openDatabase(process.env.DATABASE_PATH!);
  applyMigrations(db);
  insertGeography(db);
  const [row] = db.insert(datasets).values({ label: 'trend waves', kind: 'synthetic', sourceFile: 'test', status: 'ready', active: true }).returning({ id: datasets.id }).all();
  datasetId = row!.id;
  for (const calibration of TREND_WAVES) {
    const count = insertRespondents(db, datasetId, generateTrendWave(calibration));
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

  test('samples a fifth of each published n, in the same 72 cities', async () => {
    const { TREND_WAVES, generateTrendWave, TREND_WAVE_SAMPLE_FRACTION } = await import('@/db/demo/national-waves');
    const { CITIES } = await import('@/db/geography');
    expect((await national('health_record')).find((c) => c.wave === 2015)?.n).toBe(Math.round(trends.waves['2015'].n * TREND_WAVE_SAMPLE_FRACTION));
    const cities2018 = new Set(generateTrendWave(TREND_WAVES.find((w) => w.year === 2018)!).map((r) => r.cityCode));
    expect(cities2018).toEqual(new Set(CITIES.map((c) => c.code)));
  });
});
