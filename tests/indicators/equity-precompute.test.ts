// The precomputed equity measures equal the inequality engine run on the exported respondents (the `npm run fit`
// path), and a gap or measure that involves an unpublished indicator cell is not shown.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type AppDatabase } from '@/db/client';
import { applyMigrations } from '@/db/migrate';
import { datasets } from '@/db/schema';
import { insertGeography } from '@/db/geography';
import { insertRespondents, type RespondentRecord } from '@/db/respondents';
import { createRandom } from '@/db/demo/random';
import { computeIndicators } from '@/lib/indicators/precompute';
import { computeEquityMeasures, loadCellPublication } from '@/lib/indicators/equity-precompute';
import { writeRespondentsCsv } from '@/lib/export/respondents-csv';
import { readCsv } from '@/lib/stats/csv';
import { runInequalitySpec, type InequalitySpec } from '@/lib/stats/inequality';
import type { DataTable } from '@/lib/stats/types';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'equity-'));
let db: AppDatabase;
let datasetId: number;
let table: DataTable;

beforeAll(() => {
  db = openDatabase(path.join(folder, 'test.db'));
  applyMigrations(db);
  insertGeography(db);
  datasetId = db.insert(datasets).values({ label: 'test', kind: 'synthetic' }).returning({ id: datasets.id }).get().id;
  const random = createRandom(7);
  // Five cities in four provinces; Xining (630100) has only 25 rural inter-county respondents: a suppressed cell. Two
  // more cities of its tier give secondary suppression partners, as a real wave's tiers do.
  const cities = [
    { code: '440300', stratum: '44', n: 1500 },
    { code: '440100', stratum: '44', n: 1200 },
    { code: '630100', stratum: '63', n: 600 },
    { code: '140200', stratum: '14', n: 900 },
    { code: '520300', stratum: '52', n: 900 },
  ];
  const records: RespondentRecord[] = [];
  for (const city of cities) {
    for (let i = 0; i < city.n; i++) {
      const small = city.code === '630100' && i < 25;
      const rural = small ? 1 : random.bernoulli(0.75);
      const range = small ? 'inter_county' : city.code === '630100' ? (random.bernoulli(0.5) ? 'inter_province' : 'inter_city') : (['inter_province', 'inter_city', 'inter_county'][random.int(0, 2)] as string);
      const distance = range === 'inter_province' ? 0 : range === 'inter_city' ? 0.08 : 0.15;
      records.push({
        wave: 2017,
        cityCode: city.code,
        stratum: city.stratum,
        psu: `${city.code}-${i % 15}`,
        weight: 0.5 + random.uniform() * 2,
        ruralHukou: rural,
        migrationRange: range,
        healthRecord: random.bernoulli((rural ? 0.25 : 0.4) + distance),
        integrationIndex: 55 + 20 * random.uniform() + (rural ? 0 : 4),
        selfRatedHealth: random.int(1, 3),
      });
    }
  }
  insertRespondents(db, datasetId, records);
  computeIndicators(db, datasetId, { minN: 30 });
  let csv = '';
  writeRespondentsCsv(db, { wave: 2017, datasetId }, (chunk) => (csv += chunk));
  table = readCsv(csv);
});

afterAll(() => {
  db.$client.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

interface Stored {
  estimate: number | null;
  se: number | null;
  ci_low: number | null;
  ci_high: number | null;
  n: number;
  groups: number;
  suppressed: number;
}

function stored(family: string, geoLevel: string, geoCode: string, hukou: string, range: string, measure: string, indicator = 'health_record'): Stored {
  const row = db.$client
    .prepare('SELECT estimate, se, ci_low, ci_high, n, groups, suppressed FROM equity_measures WHERE dataset_id = ? AND wave = 2017 AND indicator = ? AND family = ? AND geo_level = ? AND geo_code = ? AND hukou = ? AND migration_range = ? AND measure = ?')
    .get(datasetId, indicator, family, geoLevel, geoCode, hukou, range, measure) as Stored | undefined;
  if (!row) throw new Error(`no stored ${family} ${measure} for ${geoLevel} ${geoCode} ${hukou} ${range}`);
  return row;
}

const design = { ids: 'psu', strata: 'stratum', weights: 'weight', nest: true } as const;

function expectSame(row: Stored, engine: { estimate: number; se: number; ci: [number, number] }) {
  expect(row.suppressed).toBe(0);
  expect(row.estimate!).toBeCloseTo(engine.estimate, 12);
  expect(row.se!).toBeCloseTo(engine.se, 12);
  expect(row.ci_low!).toBeCloseTo(engine.ci[0], 12);
  expect(row.ci_high!).toBeCloseTo(engine.ci[1], 12);
}

describe('equity measures are the engine run on the exported respondents', () => {
  test("a city's hukou gap among inter-provincial migrants (D = rural − urban, R = rural / urban)", () => {
    const spec: InequalitySpec = {
      ...design,
      outcome: 'health_record',
      dimension: 'rural_hukou',
      subset: [
        { var: 'city_code', value: '440300' },
        { var: 'migration_range', value: 'inter_province' },
      ],
      favourable: true,
      order: null,
      pair: ['1', '0'],
      reference: null,
    };
    const result = runInequalitySpec(table, spec);
    expectSame(stored('hukou_gap', 'city', '440300', 'all', 'inter_province', 'D'), result.measures.D!);
    expectSame(stored('hukou_gap', 'city', '440300', 'all', 'inter_province', 'R'), result.measures.R!);
    expect(stored('hukou_gap', 'city', '440300', 'all', 'inter_province', 'D').n).toBe(result.subgroups.reduce((a, s) => a + s.n, 0));
    // The engine's gap is not trivially zero on these data: rural respondents were given fewer records.
    expect(result.measures.D!.estimate).toBeLessThan(0);
  });

  test('the national migration-range gradient of rural migrants (SII, RII, ACI) over inter-province → inter-county', () => {
    const spec: InequalitySpec = {
      ...design,
      outcome: 'health_record',
      dimension: 'migration_range',
      subset: { var: 'rural_hukou', value: 1 },
      favourable: true,
      order: ['inter_province', 'inter_city', 'inter_county'],
      pair: null,
      reference: null,
    };
    const result = runInequalitySpec(table, spec);
    for (const measure of ['SII', 'RII', 'ACI'] as const) expectSame(stored('range_gradient', 'national', 'CN', 'rural', 'all', measure), result.measures[measure]!);
    expect(result.measures.SII!.estimate).toBeGreaterThan(0);
  });

  test('between-city dispersion in Guangdong (BGSD, IDISW, MLD) of the integration index', () => {
    const spec: InequalitySpec = { ...design, outcome: 'integration_index', dimension: 'city_code', subset: { var: 'stratum', value: '44' }, favourable: true, order: null, pair: null, reference: null };
    const result = runInequalitySpec(table, spec);
    for (const measure of ['BGSD', 'IDISW', 'MLD'] as const) expectSame(stored('city_dispersion', 'province', '44', 'all', 'all', measure, 'integration_index'), result.measures[measure]!);
    expect(stored('city_dispersion', 'province', '44', 'all', 'all', 'MLD', 'integration_index').groups).toBe(2);
  });
});

describe('a gap that involves an unpublished cell is not shown', () => {
  test("Xining's rural inter-county cell is suppressed, so its inter-county hukou gap and its rural range gradient are not shown", () => {
    const publication = loadCellPublication(db, datasetId, 2017);
    expect(publication('city', '630100', 'rural', 'inter_county', 'health_record')).toBe(false);
    for (const row of [stored('hukou_gap', 'city', '630100', 'all', 'inter_county', 'D'), stored('range_gradient', 'city', '630100', 'rural', 'all', 'SII')]) {
      expect(row.suppressed).toBe(1);
      expect([row.estimate, row.se, row.ci_low, row.ci_high]).toEqual([null, null, null, null]);
      expect(row.n).toBe(0);
    }
    // Secondary suppression also hides its inter-provincial rural cell (so that gap is hidden too); its inter-city gap
    // involves only published cells and is shown.
    expect(publication('city', '630100', 'rural', 'inter_province', 'health_record')).toBe(false);
    expect(stored('hukou_gap', 'city', '630100', 'all', 'inter_province', 'D').suppressed).toBe(1);
    expect(stored('hukou_gap', 'city', '630100', 'all', 'inter_city', 'D').suppressed).toBe(0);
  });

  test('the national between-city dispersion of rural inter-county migrants leaves Xining out', () => {
    // Xining's cell is suppressed and Datong's is its secondary partner: three of five cities remain.
    const publication = loadCellPublication(db, datasetId, 2017);
    expect(['630100', '140200'].map((code) => publication('city', code, 'rural', 'inter_county', 'health_record'))).toEqual([false, false]);
    expect(stored('city_dispersion', 'national', 'CN', 'rural', 'inter_county', 'BGSD').groups).toBe(3);
    expect(stored('city_dispersion', 'national', 'CN', 'all', 'all', 'BGSD').groups).toBe(5);
  });

  test('the rule reads the stored status of the cells: marking a cell unpublished hides the gaps built on it', () => {
    db.$client
      .prepare("UPDATE indicators SET suppressed = 1, estimate = NULL WHERE dataset_id = ? AND wave = 2017 AND geo_level = 'city' AND geo_code = '440300' AND hukou = 'urban' AND migration_range = 'inter_province' AND indicator = 'health_record'")
      .run(datasetId);
    computeEquityMeasures(db, datasetId);
    expect(stored('hukou_gap', 'city', '440300', 'all', 'inter_province', 'D').suppressed).toBe(1);
    expect(stored('range_gradient', 'city', '440300', 'urban', 'all', 'SII').suppressed).toBe(1);
    expect(stored('city_dispersion', 'province', '44', 'urban', 'inter_province', 'BGSD').groups).toBe(1);
    expect(stored('city_dispersion', 'province', '44', 'urban', 'inter_province', 'BGSD').suppressed).toBe(1);
  });
});
