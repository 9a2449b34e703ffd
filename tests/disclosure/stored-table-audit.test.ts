// End to end on the demonstration data: after the precompute, an attacker who knows every published estimate exactly
// (not rounded), every cell's true weighted total and the value ranges, and propagates intervals through every
// relation the app publishes (hukou, migration range, city -> tier -> national, city -> province; regions as unknowns),
// and knows each province shown as a range to within that range, cannot narrow any hidden cell of any wave to within
// +-2.5 points (2.5% of a score's range).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openDatabase, type AppDatabase } from '@/db/client';
import { applyMigrations } from '@/db/migrate';
import { loadDemonstrationData } from '@/db/demo/load';
import { indicatorRelations, type CityPlace } from '@/lib/disclosure/indicator-cells';
import { auditSuppressedIntervals, type SuppressionCell } from '@/lib/disclosure/secondary-suppression';
import { INDICATORS, indicatorScale } from '@/lib/indicators/catalogue';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'stored-audit-'));
let db: AppDatabase;
let datasetId: number;

beforeAll(() => {
  db = openDatabase(path.join(folder, 'audit.db'));
  applyMigrations(db);
  datasetId = loadDemonstrationData(db).datasetId;
});

afterAll(() => {
  db.$client.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

test('no hidden cell of the stored table can be narrowed to +-2.5 points by interval propagation with true weights', () => {
  const places = db.$client.prepare('SELECT c.code, c.province_code AS provinceCode, p.region, c.tier FROM cities c JOIN provinces p ON p.code = c.province_code').all() as CityPlace[];
  const placeOf = new Map(places.map((p) => [p.code, p]));
  let attacked = 0;
  let provincesAttacked = 0;
  let provincesPublished = 0;
  let provincesRanged = 0;
  const recovered: string[] = [];
  for (const definition of INDICATORS) {
    const waves = db.$client.prepare('SELECT DISTINCT wave FROM indicators WHERE dataset_id = ? AND indicator = ? ORDER BY wave').pluck().all(datasetId, definition.key) as number[];
    for (const wave of waves) {
      const sums = db.$client
        .prepare(`SELECT city_code AS city, rural_hukou AS rural, migration_range AS range, SUM(weight) AS w FROM respondents WHERE dataset_id = ? AND wave = ? AND "${definition.variable}" IS NOT NULL GROUP BY 1, 2, 3`)
        .all(datasetId, wave) as Array<{ city: string; rural: number | null; range: string | null; w: number }>;
      const weights = new Map<string, number>();
      for (const row of sums) {
        const place = placeOf.get(row.city) as CityPlace;
        const geos = [`national|CN`, `region|${place.region}`, `tier|${place.tier}`, `province|${place.provinceCode}`, `city|${row.city}`];
        const hukous = row.rural === 1 ? ['all', 'rural'] : row.rural === 0 ? ['all', 'urban'] : ['all'];
        const ranges = row.range ? ['all', row.range] : ['all'];
        for (const g of geos) for (const h of hukous) for (const r of ranges) weights.set(`${g}|${h}|${r}`, (weights.get(`${g}|${h}|${r}`) ?? 0) + row.w);
      }
      const rows = db.$client
        .prepare('SELECT geo_level AS level, geo_code AS code, hukou, migration_range AS range, estimate, status, band_low AS bandLow, band_high AS bandHigh FROM indicators WHERE dataset_id = ? AND wave = ? AND indicator = ?')
        .all(datasetId, wave, definition.key) as Array<{ level: string; code: string; hukou: string; range: string; estimate: number | null; status: string; bandLow: number | null; bandHigh: number | null }>;
      provincesPublished += rows.filter((r) => r.level === 'province' && r.status === 'published').length;
      provincesRanged += rows.filter((r) => r.bandLow !== null).length;
      // Ranges only on hidden province cells, never on a city, tier or national cell, and never on a small one.
      expect(rows.filter((r) => r.bandLow !== null && (r.level !== 'province' || r.status !== 'secondary'))).toEqual([]);
      const keys = rows.map((r) => `${r.level}|${r.code}|${r.hukou}|${r.range}`);
      const index = new Map(keys.map((k, i) => [k, i]));
      const [lower, upper] = indicatorScale(definition);
      // A province shown as a range is known to lie within it.
      const table: SuppressionCell[] = rows.map((r, i) => ({ value: r.estimate, weight: weights.get(keys[i] as string) ?? 0, lower: r.bandLow ?? lower, upper: r.bandHigh ?? upper, primary: r.status !== 'published' }));
      const relations = indicatorRelations((l, c, h, r) => index.get(`${l}|${c}|${h}|${r}`), places);
      const intervals = auditSuppressedIntervals(table, relations, table.map((c) => c.primary));
      const needed = (2 * 2.5 * (upper - lower)) / 100;
      rows.forEach((row, i) => {
        if (row.status !== 'primary' && row.status !== 'secondary') return;
        // Every primary cell (provinces' too) and every hidden city, tier and national cell; a province hidden only to
        // protect its cities carries no interval of its own (lib/disclosure/indicator-cells.ts, publishTotalsOfCities).
        if (row.level === 'region' || (row.level === 'province' && row.status === 'secondary') || (table[i] as SuppressionCell).weight <= 0) return;
        if (row.level === 'province') provincesAttacked++;
        attacked++;
        const [lo, hi] = intervals[i] as [number, number];
        if (hi - lo < needed - 1e-9) recovered.push(`${definition.key} ${wave} ${keys[i]} [${lo}, ${hi}]`);
      });
    }
  }
  expect(attacked).toBeGreaterThan(1000);
  // The province equations are in the attack: provinces are published (the map), and small ones are attacked too.
  expect(provincesPublished).toBeGreaterThan(1000);
  expect(provincesAttacked).toBeGreaterThan(0);
  // Partial suppression is in the attack: 2017 alone shows 1,034 hidden province cells as ranges.
  expect(provincesRanged).toBeGreaterThan(1000);
  expect(recovered).toEqual([]);
});

test('the acceptance view (2017 health records, rural hukou, inter-provincial) gives a figure or a range for 30 of 31 provinces', () => {
  const rows = db.$client
    .prepare("SELECT geo_code AS code, status, band_low AS bandLow FROM indicators WHERE dataset_id = ? AND wave = 2017 AND indicator = 'health_record' AND hukou = 'rural' AND migration_range = 'inter_province' AND geo_level = 'province'")
    .all(datasetId) as Array<{ code: string; status: string; bandLow: number | null }>;
  expect(rows).toHaveLength(31);
  // Before partial suppression 9 provinces had a figure and 22 nothing (each but one held exactly one hidden city).
  expect(rows.filter((r) => r.status === 'published').length).toBeGreaterThanOrEqual(9);
  expect(rows.filter((r) => r.status === 'published' || r.bandLow !== null).length).toBeGreaterThanOrEqual(30);
});
