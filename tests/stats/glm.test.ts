// GLMs against R (tests/fixtures/oracle/expected): coefficients and every SE variant within 1e-9 relative, R's term
// names, log-likelihood, AIC and BIC; plus factor coding, aliasing, listwise deletion and separation on small data.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readCsv } from '@/lib/stats/csv';
import { fitGlm } from '@/lib/stats/glm';
import { buildModelFrame } from '@/lib/stats/model-frame';
import { ModelError, type DataTable, type ModelSpec } from '@/lib/stats/types';

const oracle = path.join(__dirname, '..', 'fixtures', 'oracle');
const table = readCsv(fs.readFileSync(path.join(oracle, 'data.csv'), 'utf8'));
const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

interface ExpectedFit {
  terms: string[];
  coef: Record<string, { estimate: number; se: number; stat: number; p: number; ci_lower: number; ci_upper: number }>;
  se_variants: Record<string, Record<string, number>>;
  loglik: number;
  aic: number;
  bic: number;
  n: number;
}

for (const name of ['logit_classical', 'logit_hc1', 'logit_cluster', 'logit_cluster_weighted', 'ols_cluster']) {
  describe(`${name} agrees with R glm + sandwich`, () => {
    const spec = JSON.parse(fs.readFileSync(path.join(oracle, 'specs', `${name}.json`), 'utf8')) as ModelSpec;
    const expected = (JSON.parse(fs.readFileSync(path.join(oracle, 'expected', `${name}.json`), 'utf8')) as { fits: { glm: ExpectedFit & { epsilon: number } } }).fits.glm;
    // The same convergence criterion as the R fit (glm.control epsilon), so both stop at the same iterate.
    const fit = fitGlm(buildModelFrame(table, spec), { family: spec.family, se: spec.se, tol: expected.epsilon });

    test("term names and order are R's", () => {
      expect(fit.terms).toEqual(expected.terms);
      expect(fit.n).toBe(expected.n);
    });

    test('estimates, SEs, statistics and CIs within 1e-9 relative; p-values within 1e-9', () => {
      for (const term of expected.terms) {
        const got = fit.coef[term]!;
        const want = expected.coef[term]!;
        expect(relative(got.estimate, want.estimate), `${term} estimate`).toBeLessThan(1e-9);
        expect(relative(got.se, want.se), `${term} se`).toBeLessThan(1e-9);
        expect(relative(got.stat, want.stat), `${term} stat`).toBeLessThan(1e-9);
        expect(relative(got.ci_lower, want.ci_lower), `${term} ci_lower`).toBeLessThan(1e-9);
        expect(relative(got.ci_upper, want.ci_upper), `${term} ci_upper`).toBeLessThan(1e-9);
        expect(Math.abs(got.p - want.p), `${term} p`).toBeLessThan(1e-9 * Math.max(want.p, 1e-10) + 1e-15);
      }
    });

    test('every SE variant R reports within 1e-9 relative', () => {
      for (const [variant, ses] of Object.entries(expected.se_variants)) {
        for (const [term, se] of Object.entries(ses)) {
          expect(relative(fit.se_variants![variant]![term]!, se), `${variant} ${term}`).toBeLessThan(1e-9);
        }
      }
    });

    test('log-likelihood, AIC and BIC as R computes them', () => {
      expect(Math.abs(fit.loglik - expected.loglik)).toBeLessThan(1e-9);
      expect(Math.abs(fit.aic - expected.aic)).toBeLessThan(1e-9);
      expect(Math.abs(fit.bic - expected.bic)).toBeLessThan(1e-9);
    });
  });
}

function smallTable(columns: Record<string, Array<number | string | null>>): DataTable {
  const map = new Map<string, Float64Array | (string | null)[]>();
  let nrow = 0;
  for (const [name, values] of Object.entries(columns)) {
    nrow = values.length;
    map.set(name, values.every((v) => v === null || typeof v === 'number') ? Float64Array.from(values, (v) => (v ?? NaN)) : (values as (string | null)[]));
  }
  return { nrow, columns: map };
}

describe('model frames and failure modes', () => {
  const x = Array.from({ length: 40 }, (_, i) => (i % 7) - 3);
  const region = Array.from({ length: 40 }, (_, i) => ['west', 'east', 'central'][i % 3] as string);
  const y = x.map((v, i) => (v + (i % 5) > 1 ? 1 : 0));

  test('a string variable becomes dummies against the first level in byte order, or the chosen reference', () => {
    const data = smallTable({ y, x, region });
    const base: ModelSpec = { family: 'binomial', outcome: 'y', predictors: ['x', 'region'] };
    expect(buildModelFrame(data, base).terms).toEqual(['(Intercept)', 'x', 'regioneast', 'regionwest']);
    expect(buildModelFrame(data, { ...base, reference: { region: 'west' } }).terms).toEqual(['(Intercept)', 'x', 'regioncentral', 'regioneast']);
  });

  test('factor x numeric interactions are named and ordered as in R', () => {
    const data = smallTable({ y, x, region });
    const frame = buildModelFrame(data, { family: 'binomial', outcome: 'y', predictors: ['region', 'x'], interactions: [['x', 'region']] });
    expect(frame.terms).toEqual(['(Intercept)', 'regioneast', 'regionwest', 'x', 'regioneast:x', 'regionwest:x']);
  });

  test('a collinear column is dropped and reported, as R reports NA', () => {
    const data = smallTable({ y: x.map((v, i) => v + (i % 3)), x, x2: x.map((v) => 2 * v) });
    const fit = fitGlm(buildModelFrame(data, { family: 'gaussian', outcome: 'y', predictors: ['x', 'x2'] }), { family: 'gaussian' });
    expect(fit.terms).toEqual(['(Intercept)', 'x']);
    expect(fit.warnings.join(' ')).toContain('x2');
  });

  test('rows with a missing value are left out and counted', () => {
    const data = smallTable({ y: x.map((v, i) => v * 2 + (i % 3)), x: x.map((v, i) => (i < 3 ? null : v)) });
    const fit = fitGlm(buildModelFrame(data, { family: 'gaussian', outcome: 'y', predictors: ['x'] }), { family: 'gaussian' });
    expect(fit.n).toBe(37);
    expect(fit.warnings.join(' ')).toContain('3 rows with missing values');
  });

  test('perfect separation is refused with a clear message instead of a silently wrong answer', () => {
    const data = smallTable({ y: x.map((v) => (v > 0 ? 1 : 0)), x });
    expect(() => fitGlm(buildModelFrame(data, { family: 'binomial', outcome: 'y', predictors: ['x'] }), { family: 'binomial' })).toThrow(ModelError);
  });

  test('a constant outcome and an unknown variable are refused', () => {
    const data = smallTable({ y: x.map(() => 1), x });
    expect(() => fitGlm(buildModelFrame(data, { family: 'binomial', outcome: 'y', predictors: ['x'] }), { family: 'binomial' })).toThrow(/only one value/);
    expect(() => buildModelFrame(data, { family: 'binomial', outcome: 'y', predictors: ['nope'] })).toThrow(/no variable "nope"/);
  });
});
