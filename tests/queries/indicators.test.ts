// The indicator queries read the right cells of the active dataset: filters apply, rankings are ordered, and suppressed
// cells come back with null estimates (and their n), so no page can print them as numbers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AppDatabase } from '@/db/client';

// lib/env reads DATABASE_PATH once, at first import: set it before any project module loads.

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'queries-'));
const databasePath = path.join(folder, 'test.db');
process.env.DATABASE_PATH = databasePath;
let db: AppDatabase;
let queries: typeof import('@/lib/queries/indicators');
let geography: typeof import('@/lib/queries/geography');
let datasetQueries: typeof import('@/lib/queries/datasets');
let activeId: number;

const CITY_CELLS: Array<{ code: string; hukou: 'all' | 'rural'; range: 'all' | 'inter_province'; n: number; estimate: number | null; suppressed?: boolean }> = [
  { code: '440300', hukou: 'all', range: 'all', n: 1500, estimate: 0.42 },
  { code: '440100', hukou: 'all', range: 'all', n: 1200, estimate: 0.51 },
  { code: '620100', hukou: 'all', range: 'all', n: 600, estimate: 0.33 },
  { code: '440300', hukou: 'rural', range: 'inter_province', n: 800, estimate: 0.3 },
  { code: '440100', hukou: 'rural', range: 'inter_province', n: 500, estimate: 0.35 },
  { code: '620100', hukou: 'rural', range: 'inter_province', n: 12, estimate: null, suppressed: true },
];

beforeAll(async () => {
  const { openDatabase } = await import('@/db/client');
  const { applyMigrations } = await import('@/db/migrate');
  const { cities, datasets, indicators, provinces, waves } = await import('@/db/schema');
  db = openDatabase(databasePath);
  applyMigrations(db);
  db.insert(provinces)
    .values([
      { code: '44', nameZh: '广东', nameEn: 'Guangdong', region: 'east' },
      { code: '62', nameZh: '甘肃', nameEn: 'Gansu', region: 'west' },
    ])
    .run();
  db.insert(cities)
    .values([
      { code: '440300', nameZh: '深圳', nameEn: 'Shenzhen', provinceCode: '44', tier: 'tier1' },
      { code: '440100', nameZh: '广州', nameEn: 'Guangzhou', provinceCode: '44', tier: 'tier1' },
      { code: '620100', nameZh: '兰州', nameEn: 'Lanzhou', provinceCode: '62', tier: 'tier3' },
    ])
    .run();
  // An old, inactive dataset whose rows must never leak into the answers.
  const inactiveId = db.insert(datasets).values({ label: 'old', kind: 'imported', active: false, status: 'ready' }).returning({ id: datasets.id }).get().id;
  activeId = db.insert(datasets).values({ label: 'demo', kind: 'synthetic', active: true, status: 'ready' }).returning({ id: datasets.id }).get().id;
  db.insert(waves)
    .values([
      { datasetId: activeId, year: 2014, label: '2014 module', design: 'module_2014_eight_cities', respondentCount: 100 },
      { datasetId: activeId, year: 2017, label: '2017 national', design: 'national', respondentCount: 3300 },
    ])
    .run();
  const cell = (datasetId: number, geoLevel: 'national' | 'tier' | 'city', geoCode: string, hukou: 'all' | 'rural', migrationRange: 'all' | 'inter_province', n: number, estimate: number | null, suppressed = false) => ({
    datasetId,
    wave: 2017,
    geoLevel,
    geoCode,
    hukou,
    migrationRange,
    indicator: 'health_record',
    n,
    weightedShare: hukou === 'all' ? 1 : 0.4,
    estimate,
    se: estimate === null ? null : 0.01,
    ciLow: estimate === null ? null : estimate - 0.02,
    ciHigh: estimate === null ? null : estimate + 0.02,
    suppressed,
    status: suppressed ? ('primary' as const) : ('published' as const),
  });
  db.insert(indicators)
    .values([
      ...CITY_CELLS.map((c) => cell(activeId, 'city', c.code, c.hukou, c.range, c.n, c.estimate, c.suppressed)),
      cell(activeId, 'national', 'CN', 'all', 'all', 3300, 0.4),
      cell(activeId, 'national', 'CN', 'rural', 'inter_province', 1312, 0.31),
      cell(activeId, 'tier', 'tier1', 'all', 'all', 2700, 0.46),
      cell(inactiveId, 'city', '440300', 'all', 'all', 999, 0.99),
    ])
    .run();

  queries = await import('@/lib/queries/indicators');
  geography = await import('@/lib/queries/geography');
  datasetQueries = await import('@/lib/queries/datasets');
});

afterAll(() => {
  db.$client.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

describe('indicator queries', () => {
  test('the active dataset is the synthetic one, with its waves in order', async () => {
    const dataset = await datasetQueries.getActiveDataset();
    expect(dataset?.id).toBe(activeId);
    expect(dataset?.kind).toBe('synthetic');
    expect(dataset?.waves.map((w) => w.year)).toEqual([2014, 2017]);
  });

  test('ranks cities by estimate, highest first, for all hukou and ranges', async () => {
    const rows = await queries.listCityRanking({ datasetId: activeId, wave: 2017, indicator: 'health_record', hukou: 'all', migrationRange: 'all' });
    expect(rows.map((r) => r.cityCode)).toEqual(['440100', '440300', '620100']);
    expect(rows[0]).toMatchObject({ nameZh: '广州', provinceEn: 'Guangdong', tier: 'tier1', region: 'east', n: 1200, estimate: 0.51 });
  });

  test('applies the hukou and migration-range filters and puts suppressed cells last with a null estimate', async () => {
    const rows = await queries.listCityRanking({ datasetId: activeId, wave: 2017, indicator: 'health_record', hukou: 'rural', migrationRange: 'inter_province' });
    expect(rows.map((r) => [r.cityCode, r.n])).toEqual([
      ['440100', 500],
      ['440300', 800],
      ['620100', null],
    ]);
    const lanzhou = rows[2];
    expect(lanzhou?.suppressed).toBe(true);
    // Its exact n (12) never leaves the query layer: only the band "fewer than 30", and no population share.
    expect(lanzhou?.nBand).toBe('under_min');
    expect(lanzhou?.weightedShare).toBeNull();
    expect(lanzhou?.estimate).toBeNull();
    expect(lanzhou?.ciLow).toBeNull();
    expect(lanzhou?.ciHigh).toBeNull();
  });

  test('rounds estimates, intervals and shares to the precision the pages print', async () => {
    db.$client.prepare("UPDATE indicators SET estimate = 0.1769289354040198, ci_low = 0.15123456, ci_high = 0.2049999, weighted_share = 0.41234 WHERE geo_level = 'tier' AND dataset_id = ?").run(activeId);
    const tier = await queries.getIndicatorCell(activeId, 2017, 'tier', 'tier1', 'health_record');
    expect(tier).toMatchObject({ estimate: 0.177, ciLow: 0.151, ciHigh: 0.205, weightedShare: 0.412 });
    expect(JSON.stringify(tier)).not.toMatch(/\d\.\d{4,}/);
    db.$client.prepare("UPDATE indicators SET estimate = 0.46, ci_low = 0.44, ci_high = 0.48, weighted_share = 1 WHERE geo_level = 'tier' AND dataset_id = ?").run(activeId);
  });

  test('applies the region and tier filters', async () => {
    const west = await queries.listCityRanking({ datasetId: activeId, wave: 2017, indicator: 'health_record', hukou: 'all', migrationRange: 'all', region: 'west' });
    expect(west.map((r) => r.cityCode)).toEqual(['620100']);
    const tier1 = await queries.listCityRanking({ datasetId: activeId, wave: 2017, indicator: 'health_record', hukou: 'all', migrationRange: 'all', tier: 'tier1' });
    expect(tier1.map((r) => r.cityCode)).toEqual(['440100', '440300']);
  });

  test('returns nothing for a wave or indicator without rows', async () => {
    expect(await queries.listCityRanking({ datasetId: activeId, wave: 2014, indicator: 'health_record', hukou: 'all', migrationRange: 'all' })).toEqual([]);
    expect(await queries.listCityRanking({ datasetId: activeId, wave: 2017, indicator: 'insurance_any', hukou: 'all', migrationRange: 'all' })).toEqual([]);
  });

  test('reads one benchmark cell, by default for all hukou and ranges, and never from an inactive dataset', async () => {
    expect(await queries.getIndicatorCell(activeId, 2017, 'national', 'CN', 'health_record')).toMatchObject({ n: 3300, estimate: 0.4 });
    expect(await queries.getIndicatorCell(activeId, 2017, 'national', 'CN', 'health_record', 'rural', 'inter_province')).toMatchObject({ n: 1312, estimate: 0.31 });
    expect((await queries.getIndicatorCell(activeId, 2017, 'city', '440300', 'health_record'))?.estimate).toBe(0.42);
    expect(await queries.getIndicatorCell(activeId, 2017, 'national', 'CN', 'insurance_any')).toBeNull();
  });

  test('lists a city profile: the city, its tier and the nation in every split', async () => {
    const cells = await queries.listGeographyCells(activeId, 2017, [
      { level: 'city', code: '620100' },
      { level: 'tier', code: 'tier3' },
      { level: 'national', code: 'CN' },
    ]);
    expect(cells.filter((c) => c.geoLevel === 'city')).toHaveLength(2);
    expect(cells.filter((c) => c.geoLevel === 'national')).toHaveLength(2);
    expect(cells.find((c) => c.geoLevel === 'city' && c.hukou === 'rural')?.estimate).toBeNull();
  });

  test('lists cities with province, region and tier, and finds one by code', async () => {
    expect((await geography.listCities()).map((c) => c.code)).toEqual(['440100', '440300', '620100']);
    expect(await geography.getCity('620100')).toMatchObject({ nameEn: 'Lanzhou', provinceZh: '甘肃', region: 'west', tier: 'tier3' });
    expect(await geography.getCity('999999')).toBeNull();
  });
});
