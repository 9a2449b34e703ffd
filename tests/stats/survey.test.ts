// Survey estimation against R's survey package (tests/fixtures/oracle/expected/survey.json): proportions and means to
// 1e-9 relative; svyglm to 1e-6 (R's SEs use the IRLS weights of its last step, glm's default epsilon 1e-8, about 1e-7
// from those at the converged estimate; tests/stats/survey-edge-cases.test.ts compares converged fits to 1e-9).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readCsv } from '@/lib/stats/csv';
import { createSurveyDesign, estimateDomains, logitInterval, surveyMean } from '@/lib/stats/survey';
import { runSurveySpec, type SurveySpec } from '@/lib/stats/survey-spec';

const oracle = path.join(__dirname, '..', 'fixtures', 'oracle');
const table = readCsv(fs.readFileSync(path.join(oracle, 'data.csv'), 'utf8'));
const spec = JSON.parse(fs.readFileSync(path.join(oracle, 'specs', 'survey.json'), 'utf8')) as SurveySpec;
const expected = JSON.parse(fs.readFileSync(path.join(oracle, 'expected', 'survey.json'), 'utf8'));
const result = runSurveySpec(table, spec);

interface Row {
  level: string;
  estimate: number;
  se: number;
  ci_wald_z: number[];
  ci_wald_t: number[];
  ci_logit?: number[][];
  n_unweighted: number;
  sum_weights: number;
}

function expectClose(actual: number, wanted: number, relative = 1e-9) {
  expect(Math.abs(actual - wanted)).toBeLessThanOrEqual(relative * Math.max(Math.abs(wanted), 1e-12));
}

function compareRows(actual: Row[], wanted: Row[]) {
  expect(actual.map((r) => r.level)).toEqual(wanted.map((r) => r.level));
  actual.forEach((row, k) => {
    const want = wanted[k] as Row;
    expectClose(row.estimate, want.estimate);
    expectClose(row.se, want.se);
    row.ci_wald_z.forEach((v, i) => expectClose(v, want.ci_wald_z[i] as number));
    row.ci_wald_t.forEach((v, i) => expectClose(v, want.ci_wald_t[i] as number));
    if (want.ci_logit) row.ci_logit?.[0]?.forEach((v, i) => expectClose(v, want.ci_logit![0]![i] as number));
    expect(row.n_unweighted).toBe(want.n_unweighted);
    expectClose(row.sum_weights, want.sum_weights);
  });
}

describe('survey-weighted estimates agree with R survey 4.1-1', () => {
  test('design has the oracle PSU, strata and degrees of freedom', () => {
    expect(result.design).toEqual({ n_psu: expected.design.n_psu, n_strata: expected.design.n_strata, design_df: expected.design.design_df });
  });

  const kinds = ['proportions', 'means'] as const;
  for (const kind of kinds) {
    (expected[kind] as Array<{ var: string; by: string | null; overall?: Row[]; groups?: Array<{ group: string; estimates: Row[] }> }>).forEach((want, index) => {
      test(`${kind}: ${want.var}${want.by ? ` by ${want.by}` : ''} (estimate, SE, Wald z/t and logit CIs within 1e-9)`, () => {
        const got = result[kind][index] as unknown as { overall?: Row[]; groups?: Array<{ group: string; estimates: Row[] }> };
        if (want.overall) compareRows(got.overall!, want.overall);
        if (want.groups) {
          expect(got.groups!.map((g) => g.group)).toEqual(want.groups.map((g) => g.group));
          got.groups!.forEach((g, k) => compareRows(g.estimates, want.groups![k]!.estimates));
        }
      });
    });
  }
});

describe('svyglm logit agrees with R survey 4.1-1', () => {
  const want = (expected.svyglm as Array<{ name: string; terms: string[]; coef: Record<string, Record<string, number>> }>)[0]!;
  const got = result.svyglm[0]!;

  test('terms are named and ordered as R names them (factor dummies, interaction last)', () => {
    expect(got.terms).toEqual(want.terms);
    expect(got.converged).toBe(true);
  });

  test('coefficients, design-based SEs, t statistics, p-values and CIs (df = degf + 1 - p) within 1e-6', () => {
    for (const term of want.terms) {
      const row = got.coef[term]!;
      for (const key of ['estimate', 'se', 'stat', 'p', 'ci_lower', 'ci_upper'] as const) expectClose(row[key], want.coef[term]![key]!, 1e-6);
    }
  });
});

describe('survey estimator edge cases', () => {
  test('a stratum with a single PSU is centred at the grand mean (lonely.psu = "adjust") instead of failing', () => {
    const design = createSurveyDesign([1, 1, 1, 1, 2], ['a', 'a', 'b', 'b', 'c'], [1, 2, 3, 4, 5]);
    const estimate = surveyMean(design, [0, 1, 1, 0, 1]);
    expect(estimate.estimate).toBeCloseTo(4 / 6, 12);
    expect(Number.isFinite(estimate.se)).toBe(true);
    expect(estimate.se).toBeGreaterThan(0);
  });

  test('rows outside a domain keep the design: the domain SE differs from dropping those rows', () => {
    // Stratum s has three PSUs; the domain leaves out PSU 3 entirely.
    const weights = [1, 2, 1, 2, 1, 2, 1, 2, 1, 2];
    const strata = ['s', 's', 's', 's', 's', 's', 't', 't', 't', 't'];
    const psus = [1, 1, 2, 2, 3, 3, 4, 4, 5, 5];
    const values = [1, 1, 0, 0, 1, 1, 0, 1, 1, 0];
    const design = createSurveyDesign(weights, strata, psus);
    const domain = surveyMean(design, values, (i) => i !== 4 && i !== 5);
    const dropped = createSurveyDesign([1, 2, 1, 2, 1, 2, 1, 2], ['s', 's', 's', 's', 't', 't', 't', 't'], [1, 1, 2, 2, 4, 4, 5, 5]);
    const droppedEstimate = surveyMean(dropped, [1, 1, 0, 0, 0, 1, 1, 0]);
    expect(domain.estimate).toBeCloseTo(droppedEstimate.estimate, 12);
    expect(domain.se).not.toBeCloseTo(droppedEstimate.se, 6);
  });

  test('estimateDomains gives every domain at once, equal to surveyMean per domain, with missing values left out', () => {
    const weights = table.columns.get('w') as Float64Array;
    const design = createSurveyDesign(weights, table.columns.get('stratum') as ArrayLike<string | number>, table.columns.get('psu') as ArrayLike<string | number>);
    const y = Float64Array.from(table.columns.get('y') as Float64Array);
    for (let i = 0; i < y.length; i += 7) y[i] = NaN; // missing values: outside the domain for this variable
    const strata = table.columns.get('stratum') as ArrayLike<string | number>;
    const labels = [...new Set(Array.from(strata, String))].sort();
    // Domains are strata here, so each domain's df is its own PSUs minus one.
    const domainOf = Int32Array.from(Array.from(strata, (s) => labels.indexOf(String(s))));
    domainOf[3] = -1;
    const all = estimateDomains(design, y, domainOf, labels.length);
    all.forEach((got, d) => {
      const want = surveyMean(design, y, (i) => domainOf[i] === d);
      expect(got.estimate).toBeCloseTo(want.estimate, 12);
      expect(Math.abs(got.se - want.se)).toBeLessThan(1e-12);
      expect(got.n_unweighted).toBe(want.n_unweighted);
      expect(got.df).toBe((design.psusPerStratum[d] as number) - 1);
    });
  });

  test('logit CI stays inside (0, 1) and is asymmetric near the boundary', () => {
    const ci = logitInterval(0.03, 0.02, 100);
    expect(ci.lower).toBeGreaterThan(0);
    expect(0.03 - ci.lower).toBeLessThan(ci.upper - 0.03);
  });
});
