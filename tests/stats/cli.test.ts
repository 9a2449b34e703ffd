// `npm run fit` end to end: a CSV and a spec in, R's result format out; bad input gives a message and a non-zero exit.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

const root = path.resolve(__dirname, '..', '..');
const oracle = path.join(root, 'tests', 'fixtures', 'oracle');
const fit = (...args: string[]) => spawnSync('npx', ['tsx', 'lib/stats/cli/fit.ts', ...args], { cwd: root, encoding: 'utf8' });

describe('fit command line', () => {
  test('writes the fits of a model spec in the oracle format', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fit-')), 'out.json');
    const run = fit('--data', path.join(oracle, 'data.csv'), '--spec', path.join(oracle, 'specs', 'ols_cluster.json'), '--out', out);
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(fs.readFileSync(out, 'utf8'));
    const expected = JSON.parse(fs.readFileSync(path.join(oracle, 'expected', 'ols_cluster.json'), 'utf8'));
    expect(result.fits.glm.terms).toEqual(expected.fits.glm.terms);
    expect(result.fits.glm.coef.trust.se).toBeCloseTo(expected.fits.glm.coef.trust.se, 10);
  });

  test('refuses a missing file and a spec it cannot fit, with a message', () => {
    const missing = fit('--data', 'nope.csv', '--spec', path.join(oracle, 'specs', 'ols_cluster.json'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no such file: nope.csv');
    const specFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fit-')), 'bad.json');
    const spec = JSON.parse(fs.readFileSync(path.join(oracle, 'specs', 'glmer_ri.json'), 'utf8'));
    fs.writeFileSync(specFile, JSON.stringify({ ...spec, nAGQ: [0] }));
    const unsupported = fit('--data', path.join(oracle, 'data.csv'), '--spec', specFile);
    expect(unsupported.status).toBe(1);
    expect(unsupported.stderr).toContain('nAGQ must be a whole number from 1 to 100 (got 0)');
  });
});

describe('every kind of spec runs through the same entry point', () => {
  test('matching and heterogeneity specs are recognised and fitted', async () => {
    const { runSpec, specKind } = await import('@/lib/stats/index');
    const { readCsv } = await import('@/lib/stats/csv');
    const table = readCsv(fs.readFileSync(path.join(oracle, 'data.csv'), 'utf8'));
    const matching = { treatment: 'social_part', covariates: ['age', 'female', 'educ_years'], outcome: 'trust', caliper: 0.2 };
    expect(specKind(matching)).toBe('matching');
    const matched = runSpec(table, matching) as { att: { estimate: number; se: number } };
    expect(matched.att.se).toBeGreaterThan(0);
    const heterogeneity = { family: 'binomial', outcome: 'y', predictors: ['social_part', 'age'], se: 'classical', heterogeneity: { key: 'social_part', group_by: 'scope' } };
    expect(specKind(heterogeneity)).toBe('heterogeneity');
    const result = runSpec(table, heterogeneity) as { subgroups: Array<{ level: string }>; interaction_test: { df: number } };
    expect(result.subgroups.map((g) => g.level)).toEqual(['inter_prov', 'intra_city', 'intra_prov']);
    expect(result.interaction_test.df).toBe(2);
    expect(() => specKind({ outcome: 'y' })).toThrow(/Unrecognised spec/);
  });
});
