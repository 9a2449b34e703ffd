// Benchmark of a full-wave import: the synthetic 2017 wave (169,989 respondents) written as a CMDS-style CSV with
// Chinese value labels, then dry run, import into a new version and indicator recompute, on a temporary database.
// Target: import + indicators under 30 s.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../db/client';
import { insertGeography } from '../../db/demo/geography';
import { generateNational2017 } from '../../db/demo/national-2017';
import { applyMigrations } from '../../db/migrate';
import { DEFAULT_MAPPINGS } from '../../lib/import/mappings';
import { dryRunImport, importSurveyFile } from '../../lib/queries/imports';
import { cmdsCsvLines } from './cmds-csv';

const line = (label: string, seconds: number) => console.log(`${label.padEnd(48)} ${seconds.toFixed(2).padStart(7)} s`);
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
try {
  const mapping = DEFAULT_MAPPINGS['cmds-2017'];
  let started = performance.now();
  const records = generateNational2017();
  const file = path.join(folder, 'cmds-2017.csv');
  fs.writeFileSync(file, [...cmdsCsvLines(records, mapping)].join(''));
  const bytes = fs.readFileSync(file);
  line(`write CMDS CSV (${records.length.toLocaleString('en')} rows, ${(bytes.length / 1024 / 1024).toFixed(0)} MB)`, (performance.now() - started) / 1000);

  const db = openDatabase(path.join(folder, 'bench.db'));
  applyMigrations(db);
  insertGeography(db);
  started = performance.now();
  const dry = dryRunImport(db, { fileName: 'cmds-2017.csv', bytes, mapping });
  if (!dry.ok || !dry.report.canImport) throw new Error('the benchmark file did not pass the dry run');
  line('dry run (read, map, check every row)', (performance.now() - started) / 1000);

  let indicatorsStarted = 0;
  started = performance.now();
  const outcome = importSurveyFile(db, {
    fileName: 'cmds-2017.csv',
    bytes,
    mapping,
    importer: { id: null, name: 'bench' },
    onProgress: (stage, done) => {
      if (stage === 'indicators' && done === 0) indicatorsStarted = performance.now();
    },
  });
  const total = (performance.now() - started) / 1000;
  line(`  of which load ${outcome.report.validRows.toLocaleString('en')} respondents`, (indicatorsStarted - started) / 1000);
  line(`  of which recompute ${outcome.indicatorCells.toLocaleString('en')} indicator cells`, (performance.now() - indicatorsStarted) / 1000);
  line(`import + indicator recompute (target < 30 s)`, total);
  db.$client.close();
  if (total >= 30) process.exitCode = 1;
} finally {
  fs.rmSync(folder, { recursive: true, force: true });
}
