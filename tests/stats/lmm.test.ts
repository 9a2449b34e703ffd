// Random-intercept linear models against lme4::lmer (tests/fixtures/oracle/expected/lmer_ri.json, the strict fits),
// relative, as tight as the engine gets: fixed effects, variance and ICC 1e-5 (achieved 2e-6, where lme4's optimizer
// stops), SEs and conditional modes 1e-6 (achieved 9e-8 and 3e-7), sigma 1e-8, log-likelihood, AIC and BIC 1e-10.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readCsv } from '@/lib/stats/csv';
import { runModelSpec } from '@/lib/stats/index';
import { buildModelFrame } from '@/lib/stats/model-frame';
import { fitLinearMixedModel } from '@/lib/stats/lmm';
import type { ModelSpec } from '@/lib/stats/types';

const oracle = path.join(__dirname, '..', 'fixtures', 'oracle');
const table = readCsv(fs.readFileSync(path.join(oracle, 'data.csv'), 'utf8'));
const spec = JSON.parse(fs.readFileSync(path.join(oracle, 'specs', 'lmer_ri.json'), 'utf8')) as ModelSpec;
const expected = JSON.parse(fs.readFileSync(path.join(oracle, 'expected', 'lmer_ri.json'), 'utf8'));
const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const result = runModelSpec(table, spec);

for (const [key, reference] of [['lmer_ml', 'lmer_ml_strict'], ['lmer_reml', 'lmer_reml_strict']] as const) {
  describe(`${key} agrees with lmer (${reference})`, () => {
    const fit = result.fits[key]!;
    const want = expected.fits[reference];

    test('fixed effects within 1e-5 relative and their SEs within 1e-6', () => {
      expect(fit.terms).toEqual(want.terms);
      for (const term of want.terms as string[]) {
        expect(relative(fit.coef[term]!.estimate, want.coef[term].estimate), `${term}`).toBeLessThan(1e-5);
        expect(relative(fit.coef[term]!.se, want.coef[term].se), `${term} se`).toBeLessThan(1e-6);
      }
    });

    test('variance and ICC within 1e-5 relative, sigma within 1e-8, conditional modes within 1e-6', () => {
      const ri = fit.random_intercept!;
      expect(ri.n_groups).toBe(40);
      expect(ri.group).toBe('city');
      expect(relative(ri.variance, want.random_intercept.variance)).toBeLessThan(1e-5);
      expect(relative(ri.icc, want.random_intercept.icc)).toBeLessThan(1e-5);
      expect(relative(fit.sigma as number, want.sigma)).toBeLessThan(1e-8);
      const modes = (ri as unknown as { ranef: { mode: number[] } }).ranef.mode;
      modes.forEach((m, g) => expect(Math.abs(m - want.random_intercept.ranef.mode[g]), `group ${g + 1}`).toBeLessThan(1e-6 * Math.abs(want.random_intercept.ranef.mode[g]) + 1e-8));
    });

    test('log-likelihood, AIC and BIC within 1e-10 relative', () => {
      expect(relative(fit.loglik, want.loglik)).toBeLessThan(1e-10);
      expect(relative(fit.aic, want.aic)).toBeLessThan(1e-10);
      expect(relative(fit.bic, want.bic)).toBeLessThan(1e-10);
    });
  });
}

test('a group variable with one level is refused; a zero between-group variance is reported as singular', () => {
  const oneGroup = { ...table, columns: new Map(table.columns) };
  oneGroup.columns.set('one', new Float64Array(table.nrow).fill(1));
  expect(() => fitLinearMixedModel(buildModelFrame(oneGroup, { ...spec, random_intercept: 'one' }), { reml: true })).toThrow(/at least two groups/);
  // Groups that are pure noise labels (by row number) carry no between-group variance.
  const noise = { ...table, columns: new Map(table.columns) };
  noise.columns.set('noise_group', Float64Array.from({ length: table.nrow }, (_, i) => i % 50));
  const fit = fitLinearMixedModel(buildModelFrame(noise, { family: 'gaussian', outcome: 'trust', predictors: ['age'], random_intercept: 'noise_group' }), { reml: true });
  expect(fit.random_intercept!.variance).toBeLessThan(0.01);
});

test('groups of one case each: the variance is refused as not identified, naming the variable (lmer stops too)', () => {
  const lme4 = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'r', 'mixed-edge-cases.json'), 'utf8'));
  expect(lme4.lmer_singleton_groups).toContain('number of levels of each grouping factor must be < number of observations');
  const rows = { nrow: 500, columns: new Map([...table.columns].map(([name, column]) => [name, column.slice(0, 500)] as const)) };
  rows.columns.set('row_id', Float64Array.from({ length: 500 }, (_, i) => i + 1));
  const frame = buildModelFrame(rows, { family: 'gaussian', outcome: 'trust', predictors: ['age'], random_intercept: 'row_id' });
  expect(() => fitLinearMixedModel(frame, { reml: true })).toThrow(/Every group of "row_id" has a single case.*not identified/);
  // glmer fits it with a "boundary (singular)" message; the engine refuses the logit too rather than report a 0.
  expect(() => runModelSpec(rows, { family: 'binomial', outcome: 'y', predictors: ['age'], random_intercept: 'row_id' })).toThrow(/not identified/);
});
