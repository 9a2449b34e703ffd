// `npm run bench` (models): every preset end to end through the worker-thread queue as the app runs it (worker
// start-up included for the first), the same question again from the SQLite cache, a subgroup random-intercept logit
// on the national wave, and the city-comparison query while four fits are in flight.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../db/client';
import { applyMigrations } from '../../db/migrate';
import { loadDemonstrationData } from '../../db/demo/load';
import { modelCacheKey } from '../../lib/models/cache-key';
import { MODEL_PRESETS } from '../../lib/models/presets';
import { JobPool } from '../../lib/jobs/pool';
import { fitPayloadSchema, type FitPayload } from '../../lib/jobs/payloads';
import { startWorkerThread } from '../../lib/jobs/threads';
import { modelRequestSchema, type ModelRequest } from '../../lib/models/request';
import type { ModelRunOutput } from '../../lib/models/run';
import { findCachedModel, storeCachedModel } from '../../lib/queries/model-cache';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-models-'));
const databasePath = path.join(folder, 'bench.db');
const db = openDatabase(databasePath);
applyMigrations(db);
const { datasetId } = loadDemonstrationData(db);

const queue = new JobPool<FitPayload, ModelRunOutput>({
  kind: 'fit',
  schema: fitPayloadSchema,
  maxConcurrent: 2,
  queueLimit: 16,
  perOwnerQueueLimit: 16,
  timeoutMs: 300_000,
  createWorker: () => startWorkerThread('fit'),
});

async function endToEnd(request: ModelRequest): Promise<{ seconds: number; output: ModelRunOutput | null; error: string | null }> {
  const started = performance.now();
  const job = queue.submit({ databasePath, datasetId, request, cacheKey: modelCacheKey(request, datasetId), username: 'bench' }, 1);
  for (;;) {
    const status = queue.status(job.id);
    if (status?.state === 'done') return { seconds: (performance.now() - started) / 1000, output: status.output, error: null };
    if (status?.state === 'failed' || status?.state === 'cancelled') return { seconds: (performance.now() - started) / 1000, output: null, error: status.state === 'failed' ? status.error.message : 'cancelled' };
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function cachedAnswer(request: ModelRequest, output: ModelRunOutput): Promise<number> {
  const key = modelCacheKey(request, datasetId);
  await storeCachedModel(db, { key, datasetId, spec: JSON.stringify(request), result: JSON.stringify(output), durationMs: output.durationMs });
  const started = performance.now();
  const hit = await findCachedModel(db, key, datasetId);
  JSON.parse(hit!.result);
  return (performance.now() - started) / 1000;
}

const line = (label: string, first: number, cached: number | null, note = '') =>
  console.log(`${label.padEnd(58)} ${first.toFixed(2).padStart(7)} s ${cached === null ? '' : `  cached ${(cached * 1000).toFixed(1).padStart(6)} ms`}  ${note}`);

async function main() {
  console.log('model presets, end to end through the worker queue (first run of the first preset includes worker start-up)');
  for (const preset of MODEL_PRESETS) {
    const run = await endToEnd(preset.request);
    if (!run.output) {
      line(preset.en, run.seconds, null, `failed: ${run.error}`);
      continue;
    }
    line(`${preset.id} ${preset.en}`, run.seconds, await cachedAnswer(preset.request, run.output), `fit ${(run.output.durationMs / 1000).toFixed(2)} s, n = ${run.output.subgroupRows.toLocaleString('en')}`);
  }
  const subgroup = modelRequestSchema.parse({
    wave: 2017, type: 'ri_logit', outcome: 'long_term_residence', keys: ['health_record', 'health_education_any'],
    controls: ['male', 'age', 'ethnic_minority', 'education_level', 'marital_status', 'migration_range', 'duration_years', 'log_household_income', 'insurance_any'],
    subgroup: { hukou: 'rural', range: 'inter_province' },
  });
  const run = await endToEnd(subgroup);
  line('national wave, rural inter-provincial: random-intercept logit', run.seconds, run.output ? await cachedAnswer(subgroup, run.output) : null, run.output ? `n = ${run.output.subgroupRows.toLocaleString('en')}` : `failed: ${run.error}`);
  const whole = modelRequestSchema.parse({ ...subgroup, subgroup: {} });
  const wholeRun = await endToEnd(whole);
  line('national wave, everyone: random-intercept logit', wholeRun.seconds, null, wholeRun.output ? `n = ${wholeRun.output.subgroupRows.toLocaleString('en')}` : `failed: ${wholeRun.error}`);

  // Four fits in flight (two running, two waiting): the comparison query on the main thread.
  const inFlight = [1, 2, 3, 4].map((k) => endToEnd({ ...whole, nAGQ: k }));
  await new Promise((r) => setTimeout(r, 1500));
  const timings: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    db.$client
      .prepare("SELECT * FROM indicators WHERE dataset_id = ? AND wave = 2017 AND geo_level = 'city' AND indicator = 'health_record' AND hukou = 'rural' AND migration_range = 'inter_province'")
      .all(datasetId);
    timings.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 50));
  }
  console.log(`comparison query while ${queue.load().running} fits run and ${queue.load().waiting} wait: median ${timings.sort((a, b) => a - b)[10]!.toFixed(2)} ms, max ${timings[19]!.toFixed(2)} ms`);
  await Promise.all(inFlight);
  await queue.close();
  db.$client.close();
  fs.rmSync(folder, { recursive: true, force: true });
}

void main();
