// The R code the model page downloads, run with Rscript on the CSV that `npm run export` writes, prints the engine's
// coefficients and SEs (to the six significant digits R prints). Skipped where R is not installed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { openDatabase } from '@/db/client';
import { applyMigrations } from '@/db/migrate';
import { datasets } from '@/db/schema';
import { insertGeography } from '@/db/geography';
import { insertRespondents } from '@/db/respondents';
import { generateModule2014 } from '@/db/demo/module-2014';
import { writeRespondentsCsv } from '@/lib/export/respondents-csv';
import { rCode } from '@/lib/models/code';
import { PRESETS_BY_ID } from '@/lib/models/presets';
import { runModelRequest } from '@/lib/models/run';

import { modelRequestSchema } from '@/lib/models/request';

const hasR = spawnSync('Rscript', ['-e', 'library(sandwich); library(lmtest)'], { encoding: 'utf8' }).status === 0;
// .ci/run installs R with lme4, sandwich and lmtest; elsewhere say why the two R tests do not run.
if (!hasR) console.warn('tests/models/r-code.test.ts: Rscript with sandwich and lmtest not found, so the generated R code is not run (apt-get install r-base-core r-cran-lme4 r-cran-sandwich r-cran-lmtest).');

function demoFolder() {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rcode-'));
  const db = openDatabase(path.join(folder, 'test.db'));
  applyMigrations(db);
  insertGeography(db);
  const datasetId = db.insert(datasets).values({ label: 'demo', kind: 'synthetic', status: 'ready', active: true }).returning({ id: datasets.id }).get().id;
  insertRespondents(db, datasetId, generateModule2014());
  let csv = '';
  writeRespondentsCsv(db, { wave: 2014, datasetId }, (chunk) => (csv += chunk));
  fs.writeFileSync(path.join(folder, 'cmds-2014.csv'), csv);
  return { folder, db, datasetId };
}

test.skipIf(!hasR)('the code for every other model type runs in R without error', () => {
  const { folder } = demoFolder();
  const base = { wave: 2014, outcome: 'willingness_to_integrate', keys: ['informal_participation'], controls: ['male', 'age', 'marital_status', 'migration_range'] };
  const requests = [
    { ...base, type: 'ols', se: 'robust', interactions: [['informal_participation', 'migration_range']] },
    { ...base, type: 'ri_linear', subgroup: { region: 'east' } },
    { ...base, type: 'heterogeneity', groupBy: 'rural_hukou', se: 'cluster' },
    { ...base, type: 'mediation', mediator: 'perceived_social_status', se: 'classical', bootstrap: 0 },
    { ...base, type: 'psm', keys: ['good_community'] },
  ];
  for (const input of requests) {
    const request = modelRequestSchema.parse(input);
    fs.writeFileSync(path.join(folder, 'model.R'), rCode(request, { datasetLabel: 'demo', synthetic: true, cityCodes: ['110100', '330400', '370200', '350200', '440300'] }));
    const run = spawnSync('Rscript', ['model.R'], { cwd: folder, encoding: 'utf8' });
    expect(run.status, `${request.type}: ${run.stderr}`).toBe(0);
    expect(run.stdout.length, request.type).toBeGreaterThan(50);
  }
}, 180_000);

test.skipIf(!hasR)('Table 2 Model 1 for rural hukou with clustered SEs: R prints the engine’s numbers', () => {
  const { folder, db, datasetId } = demoFolder();

  const preset = PRESETS_BY_ID.get('t2m1')!.request;
  const request = { ...preset, se: 'cluster' as const, subgroup: { ...preset.subgroup, hukou: 'rural' as const } };
  const output = runModelRequest(db.$client, datasetId, request);
  const fitted = { ...request, controls: request.controls.filter((id) => !output.droppedControls.includes(id)) };
  fs.writeFileSync(path.join(folder, 'model.R'), rCode(fitted, { datasetLabel: 'demo', synthetic: true }));
  const run = spawnSync('Rscript', ['model.R'], { cwd: folder, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);

  const fit = (output.result as { fits: { glm: { terms: string[]; coef: Record<string, { estimate: number; se: number }> } } }).fits.glm;
  const printed = new Map<string, [number, number]>();
  for (const line of run.stdout.split('\n')) {
    const match = /^(\S+)\s+(-?[\d.]+(?:e[-+]\d+)?)\s+([\d.]+(?:e[-+]\d+)?)\s/.exec(line);
    if (match) printed.set(match[1]!, [Number(match[2]), Number(match[3])]);
  }
  expect([...printed.keys()].filter((term) => fit.terms.includes(term))).toEqual(fit.terms);
  for (const term of fit.terms) {
    const [estimate, se] = printed.get(term)!;
    expect(Math.abs(estimate - fit.coef[term]!.estimate), term).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(estimate)));
    expect(Math.abs(se / fit.coef[term]!.se - 1), `${term} SE`).toBeLessThan(1e-5);
  }
}, 120_000);
