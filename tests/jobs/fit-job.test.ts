// Model fits as the app runs them: in the compiled fit worker (dist/workers/fit.mjs) on its own read-only connection.
// A fit gives the same numbers as running it on this thread; a mediation splits its bootstrap with the compiled
// bootstrap worker the fit worker finds next to itself; the engine's refusals keep their code and message.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, expect, test } from 'vitest';
import { openDatabase } from '@/db/client';
import { fitPayloadSchema, type FitPayload } from '@/lib/jobs/payloads';
import { JobPool } from '@/lib/jobs/pool';
import { startWorkerThread } from '@/lib/jobs/threads';
import { modelCacheKey } from '@/lib/models/cache-key';
import { MODEL_PRESETS } from '@/lib/models/presets';
import { modelRequestSchema, type ModelRequest } from '@/lib/models/request';
import { runModelRequest, type ModelRunOutput } from '@/lib/models/run';
import { createDatabase, temporaryFolder } from '../import/database';

const folder = temporaryFolder('fit-job-');
const databasePath = path.join(folder, 'fit.db');
const { db, datasetId } = await createDatabase(databasePath, 3000);
db.$client.pragma('wal_checkpoint(TRUNCATE)');
afterAll(() => {
  db.$client.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

const pools: JobPool<FitPayload, ModelRunOutput>[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});
function fitPool() {
  const pool = new JobPool<FitPayload, ModelRunOutput>({ kind: 'fit', noun: 'model', schema: fitPayloadSchema, maxConcurrent: 1, queueLimit: 4, perOwnerQueueLimit: 4, timeoutMs: 120_000, createWorker: () => startWorkerThread('fit') });
  pools.push(pool);
  return pool;
}
const payload = (request: ModelRequest): FitPayload => ({ databasePath, datasetId, request, cacheKey: modelCacheKey(request, datasetId), username: 'test' });

test('a fit in the compiled worker gives what the engine gives on this thread', async () => {
  const preset = MODEL_PRESETS.find((p) => p.request.type === 'ols' && p.request.wave === 2017)!;
  const inWorker = await fitPool().run(payload(preset.request), 1);
  const here = runModelRequest(openDatabase(databasePath, { readonly: true }).$client, datasetId, preset.request);
  expect(inWorker.subgroupRows).toBe(here.subgroupRows);
  expect(inWorker.result).toEqual(here.result);
});

test('a mediation in the worker runs its bootstrap and agrees with this thread', async () => {
  const preset = MODEL_PRESETS.find((p) => p.request.type === 'mediation')!;
  const request = modelRequestSchema.parse({ ...preset.request, bootstrap: 200 });
  const inWorker = (await fitPool().run(payload(request), 1)).result as { bootstrap: { values?: number[]; ci_lower: number; ci_upper: number } };
  const here = runModelRequest(openDatabase(databasePath, { readonly: true }).$client, datasetId, request).result as typeof inWorker;
  expect(inWorker.bootstrap.ci_lower).toBe(here.bootstrap.ci_lower);
  expect(inWorker.bootstrap.ci_upper).toBe(here.bootstrap.ci_upper);
});

test('an engine refusal keeps its code and message', async () => {
  const preset = MODEL_PRESETS.find((p) => p.request.type === 'ols' && p.request.wave === 2017)!;
  // A dataset version with no respondents: the engine refuses with too_few_cases.
  const pool = fitPool();
  const settled = await pool.wait(pool.submit({ ...payload(preset.request), datasetId: datasetId + 1000 }, 1).id);
  expect(settled.state).toBe('failed');
  expect(settled.error).toEqual({ code: 'too_few_cases', message: expect.not.stringMatching(/^The job failed/) });
});
