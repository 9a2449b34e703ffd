// Survey designs issue 12 found wanting, against R's survey package (tests/fixtures/r/survey-edge-cases.R, 1e-9
// relative): no strata, each lonely-PSU option, a factor level present only where the outcome is missing, a svyglm
// on a domain, and missing weights.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readCsv } from '@/lib/stats/csv';
import { runSpec } from '@/lib/stats/index';
import type { LonelyPsu } from '@/lib/stats/survey';
import { runSurveySpec, type SurveySpec } from '@/lib/stats/survey-spec';
import { ModelError } from '@/lib/stats/types';

const fixtures = path.join(__dirname, '..', 'fixtures', 'r');
const table = readCsv(fs.readFileSync(path.join(fixtures, 'survey-edge-cases.csv'), 'utf8'));
const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'survey-edge-cases.json'), 'utf8'));
const TOLERANCE = 1e-9;
const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
const unwrap = (se: number | number[][]) => (Array.isArray(se) ? (se[0]![0] as number) : se);

const glm = { name: 'main', outcome: 'y', predictors: ['female', 'age', 'rural_hukou', 'scope'], family: 'binomial' as const };
const baseSpec = (lonely: LonelyPsu, strata: string | null = 'stratum'): SurveySpec => ({
  ids: 'psu',
  strata,
  weights: 'w',
  nest: true,
  lonely_psu: lonely,
  proportions: [{ var: 'y', by: null }],
  means: [{ var: 'trust', by: null }, { var: 'trust', by: 'female' }],
  svyglm: [glm],
});

type Run = ReturnType<typeof runSurveySpec>;
interface RGlm { terms: string[]; estimate: Record<string, number>; se: Record<string, number>; df_residual: number }

function expectGlm(got: Run['svyglm'][number], want: RGlm) {
  expect(got.terms).toEqual(want.terms);
  for (const term of want.terms) {
    expect(relative(got.coef[term]!.estimate, want.estimate[term]!), `${term} estimate`).toBeLessThan(TOLERANCE);
    expect(relative(got.coef[term]!.se, want.se[term]!), `${term} se`).toBeLessThan(TOLERANCE);
  }
  expect(got.df_residual).toBe(want.df_residual);
}

function expectEstimates(result: Run, want: { df: number; y: { estimate: number; se: number }; trust: { estimate: number; se: number | number[][] }; trust_by_female: { estimate: number[]; se: number[] }; svyglm: RGlm }) {
  expect(result.design.design_df).toBe(want.df);
  const y = (result.proportions[0] as { overall: Array<{ estimate: number; se: number }> }).overall[0]!;
  expect(relative(y.estimate, want.y.estimate)).toBeLessThan(TOLERANCE);
  expect(relative(y.se, want.y.se)).toBeLessThan(TOLERANCE);
  const trust = (result.means[0] as { overall: Array<{ estimate: number; se: number }> }).overall[0]!;
  expect(relative(trust.estimate, want.trust.estimate)).toBeLessThan(TOLERANCE);
  expect(relative(trust.se, unwrap(want.trust.se))).toBeLessThan(TOLERANCE);
  const groups = (result.means[1] as { groups: Array<{ estimates: Array<{ estimate: number; se: number }> }> }).groups;
  groups.forEach((group, g) => {
    expect(relative(group.estimates[0]!.estimate, want.trust_by_female.estimate[g]!)).toBeLessThan(TOLERANCE);
    expect(relative(group.estimates[0]!.se, want.trust_by_female.se[g]!)).toBeLessThan(TOLERANCE);
  });
  expectGlm(result.svyglm[0]!, want.svyglm);
}

describe('lonely_psu options as survey.lonely.psu (stratum 1 has a single PSU)', () => {
  for (const mode of ['adjust', 'certainty', 'remove', 'average'] as const) {
    test(`${mode}: proportion, means by group and svyglm with their SEs`, () => {
      expectEstimates(runSurveySpec(table, baseSpec(mode)), expected.lonely[mode]);
    });
  }
  test('the options give different SEs, so the test tells them apart', () => {
    const se = (mode: LonelyPsu) => (runSurveySpec(table, baseSpec(mode)).means[0] as { overall: Array<{ se: number }> }).overall[0]!.se;
    expect(se('adjust')).not.toBeCloseTo(se('remove'), 6);
    expect(se('average')).not.toBeCloseTo(se('remove'), 6);
  });
  test('fail: refused, naming the stratum, as R stops', () => {
    expect(expected.fail_message).toContain('has only one PSU');
    expect(() => runSurveySpec(table, baseSpec('fail'))).toThrow(/Stratum 1 has only one PSU/);
  });
  test('an unknown option is refused', () => {
    expect(() => runSurveySpec(table, { ...baseSpec('adjust'), lonely_psu: 'ignore' as LonelyPsu })).toThrow(ModelError);
  });
});

test('strata: null is a one-stage cluster sample (df = PSUs - 1)', () => {
  expectEstimates(runSpec(table, baseSpec('adjust', null)) as Run, expected.no_strata);
});

test('a svyglm factor level present only where the outcome is missing is dropped, as R drops it', () => {
  const result = runSurveySpec(table, { ...baseSpec('adjust'), proportions: [], means: [], svyglm: [{ name: 'region', outcome: 'y', predictors: ['female', 'age', 'region'], family: 'binomial' }] });
  expectGlm(result.svyglm[0]!, expected.level_only_where_missing);
});

test('svyglm on a domain (subset) keeps the full design, as subset(design, rural_hukou == 1)', () => {
  const spec = { ...baseSpec('adjust'), proportions: [], means: [], svyglm: [{ name: 'rural', outcome: 'y', predictors: ['female', 'age', 'scope'], family: 'binomial' as const, subset: { var: 'rural_hukou', equals: 1 } }] };
  const result = runSurveySpec(table, spec);
  expectGlm(result.svyglm[0]!, expected.subset_rural);
  // Dropping the other rows instead would change the SEs (different PSU totals per stratum).
  expect(result.svyglm[0]!.n).toBeLessThan(table.nrow);
});

test('missing weights are refused, naming the variable, as svydesign refuses them', () => {
  expect(expected.missing_weights_message).toContain('missing values');
  const w = Float64Array.from(table.columns.get('w') as Float64Array);
  w[2] = Number.NaN;
  const withMissing = { nrow: table.nrow, columns: new Map(table.columns).set('w', w) };
  expect(() => runSurveySpec(withMissing, baseSpec('adjust'))).toThrow(/weights "w" have missing values/);
});

test('with nest: false, PSU labels reused across strata are refused, as svydesign refuses them', () => {
  const strata = table.columns.get('stratum') as Float64Array;
  const psu = Float64Array.from(strata, (s, i) => (i % 2) + 1); // PSU labels 1 and 2 in every stratum
  const reused = { nrow: table.nrow, columns: new Map(table.columns).set('psu_local', psu) };
  expect(() => runSurveySpec(reused, { ...baseSpec('adjust'), ids: 'psu_local', nest: false })).toThrow(/occurs in more than one stratum/);
});
