// The page queries' cache: a repeated query is answered from memory, and activating a version (a new one, or the same
// one again) empties it, so pages never show cells of a version that is no longer the active one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { AppDatabase } from '@/db/client';

// lib/env reads DATABASE_PATH at first import: set it before any project module loads.
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'result-cache-'));
process.env.DATABASE_PATH = path.join(folder, 'cache.db');

let db: AppDatabase;
let datasetId: number;
beforeAll(async () => {
  const { createDatabase } = await import('../import/database');
  ({ db, datasetId } = await createDatabase(process.env.DATABASE_PATH!, 1500));
});
afterAll(() => {
  db.$client.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

test('repeated queries come from the cache until a version is activated', async () => {
  const { getActiveDataset } = await import('@/lib/queries/datasets');
  const { getIndicatorCell, listCityRanking } = await import('@/lib/queries/indicators');
  const filters = { datasetId, wave: 2017, indicator: 'health_record', hukou: 'all' as const, migrationRange: 'all' as const };
  expect((await getActiveDataset())?.id).toBe(datasetId);
  const national = await getIndicatorCell(datasetId, 2017, 'national', 'CN', 'health_record');
  const ranking = await listCityRanking(filters);
  expect(national?.estimate).not.toBeNull();
  // Changed behind the cache (0.5 survives rounding to the printed precision)'s back (no activation): the pages keep the cached answer.
  db.$client.prepare("UPDATE indicators SET estimate = 0.5 WHERE dataset_id = ? AND wave = 2017 AND indicator = 'health_record'").run(datasetId);
  expect((await getActiveDataset())?.id).toBe(datasetId);
  expect((await getIndicatorCell(datasetId, 2017, 'national', 'CN', 'health_record'))?.estimate).toBe(national?.estimate);
  expect((await listCityRanking(filters)).map((r) => r.estimate)).toEqual(ranking.map((r) => r.estimate));
  // A caller may reorder its copy without touching the cache.
  (await listCityRanking(filters)).reverse();
  expect((await listCityRanking(filters))[0]?.cityCode).toBe(ranking[0]?.cityCode);
  // The version is activated again (as the admin's reactivation does): the next page reads the database.
  db.$client.prepare('UPDATE datasets SET activated_at = ? WHERE id = ?').run(Date.now() + 1000, datasetId);
  expect((await getActiveDataset())?.id).toBe(datasetId);
  expect((await getIndicatorCell(datasetId, 2017, 'national', 'CN', 'health_record'))?.estimate).toBe(0.5);
  expect((await listCityRanking(filters)).every((r) => r.suppressed || r.estimate === 0.5)).toBe(true);
});
