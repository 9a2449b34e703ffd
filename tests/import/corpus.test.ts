// The corpus of valid files written by R's haven (tests/fixtures/import/corpus/make-corpus.R): Stata 118 and 119, SPSS
// bytecode, uncompressed and .zsav, and a UTF-8 CSV, with PSU labels 001-012 repeated in every city. Each imports, and
// agrees with R's reading of the same file on the row count, on the weighted mean per city of the stored respondents,
// and on the published city cells (n and estimate of the health-record share).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AppDatabase } from '@/db/client';
import { DEFAULT_MAPPINGS } from '@/lib/import/mappings';
import { importSurveyFile } from '@/lib/import/dataset-import';
import { createDatabase, temporaryFolder } from './database';
import { FIXTURES } from './fixtures';

interface Expected {
  rows: number;
  cities: Record<string, { n: number; healthRecord: number; birthYear: number }>;
}

const CORPUS = path.join(FIXTURES, 'corpus');
const expected = JSON.parse(fs.readFileSync(path.join(CORPUS, 'expected.json'), 'utf8')) as Record<string, Expected>;
const folder = temporaryFolder('import-corpus-');
let db: AppDatabase;
let admin: { id: number; name: string };

beforeAll(async () => {
  ({ db, admin } = await createDatabase(path.join(folder, 'dashboard.db'), 300));
});
afterAll(() => {
  db.$client.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

describe('a corpus of valid files agrees with R', () => {
  test.each(Object.keys(expected))('%s', (name) => {
    const want = expected[name] as Expected;
    const outcome = importSurveyFile(db, { fileName: name, bytes: fs.readFileSync(path.join(CORPUS, name)), mapping: DEFAULT_MAPPINGS['cmds-2017'], importer: admin, allowMissing: ['*'] });
    expect(outcome.report.validRows).toBe(want.rows);
    const stored = db.$client
      .prepare('SELECT city_code AS city, COUNT(*) AS n, SUM(weight * health_record) / SUM(weight) AS healthRecord, SUM(weight * birth_year) / SUM(weight) AS birthYear FROM respondents WHERE dataset_id = ? GROUP BY city_code')
      .all(outcome.datasetId) as Array<{ city: string; n: number; healthRecord: number; birthYear: number }>;
    expect(Object.fromEntries(stored.map((s) => [s.city, s.n]))).toEqual(Object.fromEntries(Object.entries(want.cities).map(([city, c]) => [city, c.n])));
    for (const row of stored) {
      const r = want.cities[row.city];
      expect(row.healthRecord, `${name} ${row.city}`).toBeCloseTo(r!.healthRecord, 10);
      expect(row.birthYear, `${name} ${row.city}`).toBeCloseTo(r!.birthYear, 8);
      const cell = db.$client
        .prepare("SELECT n, estimate FROM indicators WHERE dataset_id = ? AND geo_level = 'city' AND geo_code = ? AND hukou = 'all' AND migration_range = 'all' AND indicator = 'health_record'")
        .get(outcome.datasetId, row.city) as { n: number; estimate: number | null };
      expect(cell.n, `${name} ${row.city}`).toBe(r!.n);
      expect(cell.estimate, `${name} ${row.city}`).toBeCloseTo(r!.healthRecord, 10);
    }
  });
});
