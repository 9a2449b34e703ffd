// Benchmark of first start: generate and load the demonstration data, compute the indicators, and the size of the
// resulting database, on a temporary file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../db/client';
import { applyMigrations } from '../../db/migrate';
import { loadDemonstrationData } from '../../db/demo/load';
import { computeIndicators, describeSuppression } from '../../lib/indicators/precompute';
import { computeEquityMeasures } from '../../lib/indicators/equity-precompute';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-setup-'));
const file = path.join(folder, 'bench.db');
const db = openDatabase(file);
applyMigrations(db);
const loadStarted = process.cpuUsage();
const summary = loadDemonstrationData(db);
const loadUsed = process.cpuUsage(loadStarted);
const loadCpu = (loadUsed.user + loadUsed.system) / 1e6;
const respondents = Object.values(summary.respondents).reduce((a, b) => a + b, 0);
const waveCount = Object.keys(summary.respondents).length;
console.log(`${`generate + load + indicators (${waveCount} waves, ${Math.round(respondents / 1000)}k respondents)`.padEnd(48)} ${(summary.ms / 1000).toFixed(2).padStart(7)} s  (cpu ${loadCpu.toFixed(2)} s; target < 30 s)`);
// CPU seconds beside the wall clock: on a shared machine the wall clock also measures the neighbours.
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};
let cpu = process.cpuUsage();
const again = computeIndicators(db, summary.datasetId);
const againCpu = cpuSeconds(cpu);
console.log(`${`recompute ${again.cells.toLocaleString('en')} indicator cells + equity measures`.padEnd(48)} ${(again.ms / 1000).toFixed(2).padStart(7)} s  (cpu ${againCpu.toFixed(2)} s; targets < 15 s for indicators, < 20 s with measures)`);
for (const line of describeSuppression(again)) console.log(`  ${line}`);
cpu = process.cpuUsage();
const equity = computeEquityMeasures(db, summary.datasetId);
const equityCpu = cpuSeconds(cpu);
console.log(`${`  of which ${equity.rows.toLocaleString('en')} equity measures`.padEnd(48)} ${(equity.ms / 1000).toFixed(2).padStart(7)} s  (cpu ${equityCpu.toFixed(2)} s)`);
const started = performance.now();
const rows = db.$client
  .prepare("SELECT * FROM indicators WHERE dataset_id = ? AND wave = 2017 AND geo_level = 'city' AND indicator = 'health_record' AND hukou = 'rural' AND migration_range = 'inter_province'")
  .all(summary.datasetId);
console.log(`${`city comparison query (${rows.length} rows)`.padEnd(48)} ${((performance.now() - started) / 1000).toFixed(4).padStart(7)} s`);
db.$client.pragma('wal_checkpoint(TRUNCATE)');
db.$client.close();
console.log(`database size: ${(fs.statSync(file).size / 1024 / 1024).toFixed(1)} MB (target < 150 MB)`);
fs.rmSync(folder, { recursive: true, force: true });
