// The two-thread mediation bootstrap gives exactly the one-thread values (same stream positions per replicate), so
// R's mulberry32 reference CI is reproduced either way.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { readCsv } from '@/lib/stats/csv';
import { workerFile } from '@/lib/jobs/worker-files';
import { fitMediation } from '@/lib/stats/mediation';
import { createParallelReplicateRunner } from '@/lib/models/parallel-bootstrap';
import type { MediationSpec } from '@/lib/stats/types';

const oracle = path.join(__dirname, '..', 'fixtures', 'oracle');
const table = readCsv(fs.readFileSync(path.join(oracle, 'data.csv'), 'utf8'));
const spec = JSON.parse(fs.readFileSync(path.join(oracle, 'specs', 'mediate_binary_mulberry.json'), 'utf8')) as MediationSpec;
const expected = JSON.parse(fs.readFileSync(path.join(oracle, 'expected', 'mediate_binary_mulberry.json'), 'utf8'));

test('two threads draw the same resamples as one: identical values and CI, equal to R', () => {
  const B = expected.bootstrap.B as number;
  const sequential = fitMediation(table, spec, { replicates: B }).bootstrap;
  // The compiled bootstrap entry, as the app's fit workers start it (no TypeScript loader).
  const splits: boolean[] = [];
  const parallel = fitMediation(table, spec, { replicates: B, replicateRunner: createParallelReplicateRunner(workerFile('bootstrap'), (used) => splits.push(used)) }).bootstrap;
  expect(splits).toEqual([true]);
  expect(parallel.values).toEqual(sequential.values);
  expect(parallel.ci_lower).toBe(sequential.ci_lower);
  expect(parallel.ci_upper).toBe(sequential.ci_upper);
  expect(Math.abs(parallel.ci_lower - expected.bootstrap.ci_lower)).toBeLessThan(1e-6 * Math.abs(expected.bootstrap.ci_lower));
}, 120_000);
