// The precomputed indicators equal a direct computation on the respondents table: the same point estimates as SQL,
// the same design-based SEs as the survey estimator (itself checked against R), and small cells suppressed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type AppDatabase } from '@/db/client';
import { applyMigrations } from '@/db/migrate';
import { datasets } from '@/db/schema';
import { insertGeography } from '@/db/demo/geography';
import { insertRespondents, type RespondentRecord } from '@/db/demo/load';
import { createRandom } from '@/db/demo/random';
import { computeIndicators } from '@/lib/indicators/precompute';
import { createSurveyDesign, surveyMean } from '@/lib/stats/survey';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'precompute-'));
let db: AppDatabase;
let datasetId: number;
const records: RespondentRecord[] = [];

beforeAll(() => {
  db = openDatabase(path.join(folder, 'test.db'));
  applyMigrations(db);
  insertGeography(db);
  datasetId = db.insert(datasets).values({ label: 'test', kind: 'synthetic' }).returning({ id: datasets.id }).get().id;
  const random = createRandom(42);
  // Three cities in two provinces; Xining (630100) gets only 25 rural inter-county respondents: a cell to suppress.
  const cities = [
    { code: '440300', stratum: '44', n: 1500 },
    { code: '440100', stratum: '44', n: 1200 },
    { code: '630100', stratum: '63', n: 600 },
  ];
  for (const city of cities) {
    for (let i = 0; i < city.n; i++) {
      const rural = random.bernoulli(0.8);
      const range = city.code === '630100' && i >= 25 ? (random.bernoulli(0.5) ? 'inter_province' : 'inter_city') : (['inter_province', 'inter_city', 'inter_county'][random.int(0, 2)] as string);
      records.push({
        wave: 2017,
        cityCode: city.code,
        stratum: city.stratum,
        psu: `${city.code}-${i % 15}`,
        weight: 0.5 + random.uniform() * 2,
        ruralHukou: city.code === '630100' && i < 25 ? 1 : rural,
        migrationRange: city.code === '630100' && i < 25 ? 'inter_county' : range,
        healthRecord: random.bernoulli(rural ? 0.25 : 0.4),
        integrationIndex: 60 + 20 * random.uniform(),
        selfRatedHealth: random.int(1, 3),
      });
    }
  }
  insertRespondents(db, datasetId, records);
  computeIndicators(db, datasetId, { minN: 30 });
});

afterAll(() => {
  db.$client.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

function cell(geoLevel: string, geoCode: string, hukou: string, range: string, indicator: string) {
  return db.$client
    .prepare('SELECT * FROM indicators WHERE dataset_id = ? AND wave = 2017 AND geo_level = ? AND geo_code = ? AND hukou = ? AND migration_range = ? AND indicator = ?')
    .get(datasetId, geoLevel, geoCode, hukou, range, indicator) as
    | { n: number; estimate: number | null; se: number | null; ci_low: number | null; ci_high: number | null; suppressed: number; weighted_share: number; status: string; unreliable: number }
    | undefined;
}

describe('precomputed indicators', () => {
  test('a city x rural hukou x inter-provincial proportion equals the weighted share computed in SQL', () => {
    const stored = cell('city', '440300', 'rural', 'inter_province', 'health_record')!;
    const direct = db.$client
      .prepare(
        "SELECT SUM(weight * health_record) / SUM(weight) AS p, COUNT(*) AS n FROM respondents WHERE dataset_id = ? AND wave = 2017 AND city_code = '440300' AND rural_hukou = 1 AND migration_range = 'inter_province'",
      )
      .get(datasetId) as { p: number; n: number };
    expect(stored.n).toBe(direct.n);
    expect(stored.estimate).toBeCloseTo(direct.p, 12);
  });

  test('its SE equals the domain estimator over the full design (rows outside the domain kept)', () => {
    const design = createSurveyDesign(
      records.map((r) => r.weight),
      records.map((r) => r.stratum),
      records.map((r) => r.psu),
    );
    const values = records.map((r) => r.healthRecord as number);
    const expected = surveyMean(design, values, (i) => records[i]!.cityCode === '440300' && records[i]!.ruralHukou === 1 && records[i]!.migrationRange === 'inter_province');
    const stored = cell('city', '440300', 'rural', 'inter_province', 'health_record')!;
    expect(stored.se).toBeCloseTo(expected.se, 12);
    expect(stored.ci_low!).toBeLessThan(stored.estimate!);
    expect(stored.ci_high!).toBeGreaterThan(stored.estimate!);
  });

  test('national means of a continuous indicator match the survey estimator too', () => {
    const design = createSurveyDesign(records.map((r) => r.weight), records.map((r) => r.stratum), records.map((r) => r.psu));
    const expected = surveyMean(design, records.map((r) => r.integrationIndex as number));
    const stored = cell('national', 'CN', 'all', 'all', 'integration_index')!;
    expect(stored.estimate).toBeCloseTo(expected.estimate, 10);
    expect(stored.se).toBeCloseTo(expected.se, 12);
  });

  test('suppresses cells with fewer than 30 respondents and keeps their n', () => {
    const small = cell('city', '630100', 'rural', 'inter_county', 'health_record')!;
    expect(small.n).toBe(25);
    expect(small.suppressed).toBe(1);
    expect(small.estimate).toBeNull();
    expect(small.ci_low).toBeNull();
    const large = cell('city', '630100', 'all', 'all', 'health_record')!;
    expect(large.suppressed).toBe(0);
    expect(large.estimate).not.toBeNull();
  });

  test('every geography has its all-hukou, all-range margin for every 2017 indicator, with a share of 1', () => {
    const geographies = [
      ['national', 'CN'],
      ['province', '44'],
      ['province', '63'],
      ['city', '440300'],
      ['city', '440100'],
      ['city', '630100'],
    ];
    const regions = db.$client.prepare("SELECT DISTINCT geo_code FROM indicators WHERE dataset_id = ? AND geo_level = 'region'").pluck().all(datasetId) as string[];
    const tiers = db.$client.prepare("SELECT DISTINCT geo_code FROM indicators WHERE dataset_id = ? AND geo_level = 'tier'").pluck().all(datasetId) as string[];
    expect(regions.length).toBeGreaterThan(0);
    expect(tiers.length).toBeGreaterThan(0);
    const all = [...geographies, ...regions.map((code) => ['region', code]), ...tiers.map((code) => ['tier', code])];
    for (const [level, code] of all) {
      for (const indicator of ['integration_index', 'health_record', 'self_rated_healthy']) {
        const margin = cell(level!, code!, 'all', 'all', indicator);
        expect(margin, `${level} ${code} ${indicator}`).toBeDefined();
        // Regions are computed but never shown, so nothing of them is stored for display; provinces are published
        // (the map) where no suppressed city would follow from them, and every margin here has no hidden city.
        if (level === 'region') {
          expect(margin!.status).toBe('unpublished');
          expect(margin!.estimate).toBeNull();
        } else {
          expect(margin!.weighted_share).toBeCloseTo(1, 12);
        }
      }
    }
  });

  test('hukou groups share the population of their geography', () => {
    const rural = cell('city', '440300', 'rural', 'all', 'health_record')!;
    const urban = cell('city', '440300', 'urban', 'all', 'health_record')!;
    expect(rural.weighted_share + urban.weighted_share).toBeCloseTo(1, 10);
  });

  test('a lone small cell gets a complementary suppression: all inter-county = rural inter-county in Xining', () => {
    // Xining's 25 inter-county respondents are all rural, so the all-hukou inter-county cell would equal it.
    const small = cell('city', '630100', 'rural', 'inter_county', 'health_record')!;
    expect(small.status).toBe('primary');
    const total = cell('city', '630100', 'all', 'inter_county', 'health_record')!;
    expect(total.status).not.toBe('published');
    expect(total.estimate).toBeNull();
    expect(total.weighted_share).toBeNull();
  });

  test('no published relation keeps exactly one hidden cell, and the primary cell cannot be narrowed to +-2.5 points', () => {
    const rows = db.$client.prepare("SELECT * FROM indicators WHERE dataset_id = ? AND wave = 2017 AND indicator = 'health_record' AND geo_level IN ('national', 'tier', 'city')").all(datasetId) as Array<{
      geo_level: string;
      geo_code: string;
      hukou: string;
      migration_range: string;
      status: string;
    }>;
    const status = new Map(rows.map((r) => [`${r.geo_level}|${r.geo_code}|${r.hukou}|${r.migration_range}`, r.status]));
    const hidden = (key: string) => status.has(key) && status.get(key) !== 'published';
    for (const code of ['440300', '440100', '630100']) {
      for (const range of ['all', 'inter_province', 'inter_city', 'inter_county']) {
        const line = ['all', 'rural', 'urban'].map((h) => `city|${code}|${h}|${range}`).filter((k) => status.has(k));
        expect(line.filter(hidden).length, line.join(' ')).not.toBe(1);
      }
    }
  });

  test('proportions of a categorical variable count the chosen level', () => {
    const stored = cell('national', 'CN', 'all', 'all', 'self_rated_healthy')!;
    const direct = db.$client
      .prepare('SELECT SUM(weight * (self_rated_health = 1)) / SUM(weight) AS p FROM respondents WHERE dataset_id = ?')
      .get(datasetId) as { p: number };
    expect(stored.estimate).toBeCloseTo(direct.p, 12);
  });

  test('re-running replaces the rows instead of adding to them', () => {
    const before = db.$client.prepare('SELECT COUNT(*) FROM indicators WHERE dataset_id = ?').pluck().get(datasetId);
    computeIndicators(db, datasetId, { minN: 30 });
    expect(db.$client.prepare('SELECT COUNT(*) FROM indicators WHERE dataset_id = ?').pluck().get(datasetId)).toBe(before);
  });
});
