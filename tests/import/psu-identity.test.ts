// Issue 13 item 1: PSU labels that repeat across cities (001-012 inside each city) must not move respondents to
// another city. City cells count each respondent in its own city; the variance uses the PSU as (stratum, psu).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type AppDatabase } from '@/db/client';
import { insertGeography } from '@/db/geography';
import { insertRespondents, type RespondentRecord } from '@/db/respondents';
import { createRandom } from '@/db/demo/random';
import { applyMigrations } from '@/db/migrate';
import { datasets } from '@/db/schema';
import { computeIndicators } from '@/lib/indicators/precompute';
import { createSurveyDesign, surveyMean } from '@/lib/stats/survey';
import { temporaryFolder } from './database';

const folder = temporaryFolder('psu-identity-');
let db: AppDatabase;
let datasetId: number;
const records: RespondentRecord[] = [];
// Two cities share stratum 44 and the PSU labels 001-012; a third city in another stratum uses the same labels.
const CITIES = [
  { code: '440300', stratum: '44', n: 900, p: 0.2 },
  { code: '440100', stratum: '44', n: 320, p: 0.7 },
  { code: '320100', stratum: '32', n: 500, p: 0.5 },
];

beforeAll(() => {
  db = openDatabase(path.join(folder, 'test.db'));
  applyMigrations(db);
  insertGeography(db);
  datasetId = db.insert(datasets).values({ label: 'test', kind: 'synthetic' }).returning({ id: datasets.id }).get().id;
  const random = createRandom(7);
  for (const city of CITIES) {
    for (let i = 0; i < city.n; i++) {
      records.push({
        wave: 2017,
        cityCode: city.code,
        stratum: city.stratum,
        psu: String((i % 12) + 1).padStart(3, '0'),
        weight: 0.5 + random.uniform() * 2,
        ruralHukou: random.bernoulli(0.8),
        migrationRange: 'inter_province',
        healthRecord: random.bernoulli(city.p),
      });
    }
  }
  // Interleave the cities so that no city is "first" in every PSU.
  records.sort((a, b) => a.psu.localeCompare(b.psu) || (a.weight) - (b.weight));
  insertRespondents(db, datasetId, records);
  computeIndicators(db, datasetId, { minN: 30 });
});

afterAll(() => {
  db.$client.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

function cityCell(code: string) {
  return db.$client
    .prepare("SELECT n, estimate, se FROM indicators WHERE dataset_id = ? AND geo_level = 'city' AND geo_code = ? AND hukou = 'all' AND migration_range = 'all' AND indicator = 'health_record'")
    .get(datasetId, code) as { n: number; estimate: number; se: number } | undefined;
}

describe('city cells with PSU labels repeated across cities', () => {
  test('every city has its own cell, with its own respondents and weighted share', () => {
    for (const city of CITIES) {
      const own = records.filter((r) => r.cityCode === city.code);
      const stored = cityCell(city.code);
      expect(stored, city.code).toBeDefined();
      expect(stored!.n).toBe(own.length);
      const mean = own.reduce((s, r) => s + (r.weight) * (r.healthRecord as number), 0) / own.reduce((s, r) => s + (r.weight), 0);
      expect(stored!.estimate).toBeCloseTo(mean, 12);
    }
  });

  test('the SE is the domain estimator over the design with PSU = (stratum, psu)', () => {
    const design = createSurveyDesign(records.map((r) => r.weight), records.map((r) => r.stratum), records.map((r) => r.psu));
    for (const city of CITIES) {
      const expected = surveyMean(design, records.map((r) => r.healthRecord as number), (i) => records[i]!.cityCode === city.code);
      expect(cityCell(city.code)!.se, city.code).toBeCloseTo(expected.se, 12);
    }
  });

  test('the national cell still counts every respondent once', () => {
    const national = db.$client
      .prepare("SELECT n FROM indicators WHERE dataset_id = ? AND geo_level = 'national' AND hukou = 'all' AND migration_range = 'all' AND indicator = 'health_record'")
      .pluck()
      .get(datasetId);
    expect(national).toBe(records.length);
  });
});
