// The model page offers every wave the data have, and in each wave the variables its data hold: the design's
// questionnaire (2014 module or national) less what the wave's respondents never answered.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { AppDatabase } from '@/db/client';
import { modelRequestSchema } from '@/lib/models/request';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'model-variables-'));
const databasePath = path.join(folder, 'test.db');
process.env.DATABASE_PATH = databasePath;
let db: AppDatabase;
let datasetId: number;

beforeAll(async () => {
  const { openDatabase } = await import('@/db/client');
  const { applyMigrations } = await import('@/db/migrate');
  const { cities, datasets, provinces } = await import('@/db/schema');
  db = openDatabase(databasePath);
  applyMigrations(db);
  db.insert(provinces).values([{ code: '44', nameZh: '广东', nameEn: 'Guangdong', region: 'east' }]).run();
  db.insert(cities).values([{ code: '440300', nameZh: '深圳', nameEn: 'Shenzhen', provinceCode: '44', tier: 'tier1' }]).run();
  datasetId = db.insert(datasets).values({ label: 'test', kind: 'imported', active: true, status: 'ready' }).returning({ id: datasets.id }).get().id;
  const insert = db.$client.prepare(
    'INSERT INTO respondents (dataset_id, wave, city_code, stratum, psu, weight, male, age, health_record, integration_index, informal_participation) VALUES (?, ?, ?, ?, ?, 1, 1, 30, ?, ?, ?)',
  );
  // 2016 has health records but no integration index; 2018 has both; the 2014 module has its participation scale.
  insert.run(datasetId, 2016, '440300', 's', 'p', 1, null, null);
  insert.run(datasetId, 2018, '440300', 's', 'p', 0, 71.5, null);
  insert.run(datasetId, 2014, '440300', 's', 'p', null, null, 2.5);
});

afterAll(() => {
  db.$client.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

test('a wave offers the variables its data hold, within its design', async () => {
  const { listModelVariablesInWave } = await import('@/lib/queries/model-variables');
  const in2016 = await listModelVariablesInWave(datasetId, 2016);
  const in2018 = await listModelVariablesInWave(datasetId, 2018);
  const in2014 = await listModelVariablesInWave(datasetId, 2014);
  expect(in2016).toEqual(expect.arrayContaining(['health_record', 'male', 'age']));
  expect(in2016).not.toContain('integration_index');
  expect(in2018).toEqual(expect.arrayContaining(['health_record', 'integration_index', 'male', 'age']));
  expect(in2014).toEqual(expect.arrayContaining(['informal_participation', 'male', 'age']));
  // The module's scale is not offered in a national wave, nor a national item in the module.
  expect(in2018).not.toContain('informal_participation');
  expect(in2014).not.toContain('health_record');
});

test('a request may name any national wave; a module variable in a national wave is refused', () => {
  const request = { type: 'ols', outcome: 'integration_index', keys: ['health_record'], controls: ['male', 'age'] };
  for (const wave of [2015, 2016, 2017, 2018]) expect(modelRequestSchema.safeParse({ ...request, wave }).success, String(wave)).toBe(true);
  const refused = modelRequestSchema.safeParse({ ...request, wave: 2018, keys: ['informal_participation'] });
  expect(refused.success).toBe(false);
  expect(refused.error?.issues[0]?.message).toBe('"informal_participation" was not asked in the 2018 wave.');
});
