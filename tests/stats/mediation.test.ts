// Mediation against R (tests/fixtures/oracle/expected/mediate_*.json): paths, Sobel SEs, p-values, plug-in effects and
// KHB within 1e-9 relative (the engine achieves 1e-13 for estimates and SEs, 2e-11 for p-values, 5e-12 for the
// Sobel family); with the mulberry32 generator the bootstrap resamples are R's, so replicates and CI agree closely.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readCsv } from '@/lib/stats/csv';
import { fitGlm } from '@/lib/stats/glm';
import { fitMediation, quantileType7 } from '@/lib/stats/mediation';
import { gaussHermite } from '@/lib/stats/quadrature';
import { buildModelFrame } from '@/lib/stats/model-frame';
import { drawBootstrapCounts, mulberry32 } from '@/lib/stats/random';
import type { MediationSpec, ModelSpec } from '@/lib/stats/types';

const oracle = path.join(__dirname, '..', 'fixtures', 'oracle');
const table = readCsv(fs.readFileSync(path.join(oracle, 'data.csv'), 'utf8'));
const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const load = (name: string) => ({
  spec: JSON.parse(fs.readFileSync(path.join(oracle, 'specs', `${name}.json`), 'utf8')) as MediationSpec,
  expected: JSON.parse(fs.readFileSync(path.join(oracle, 'expected', `${name}.json`), 'utf8')),
});
const PLUGIN_KEYS = ['acme_control', 'acme_treated', 'ade_control', 'ade_treated', 'total', 'acme_avg', 'ade_avg', 'prop_mediated_control', 'prop_mediated_treated', 'prop_mediated_avg', 'mediator_sigma'] as const;

for (const name of ['mediate_continuous', 'mediate_binary_mulberry']) {
  describe(`${name} agrees with R`, () => {
    const { spec, expected } = load(name);
    // 20 replicates keep these tests quick; the full 1,000 are checked below for the mulberry32 file.
    const result = fitMediation(table, spec, { replicates: 20 });

    test("paths a, b, c and c' (estimates, SEs and p-values) within 1e-9 relative", () => {
      for (const key of ['c_total', 'a', 'b', 'c_prime'] as const) {
        expect(relative(result.baron_kenny[key].estimate, expected.baron_kenny[key].estimate), `${key} estimate`).toBeLessThan(1e-9);
        expect(relative(result.baron_kenny[key].se, expected.baron_kenny[key].se), `${key} se`).toBeLessThan(1e-9);
        expect(relative(result.baron_kenny[key].p, expected.baron_kenny[key].p), `${key} p`).toBeLessThan(1e-9);
      }
      expect(relative(result.baron_kenny.indirect_ab, expected.baron_kenny.indirect_ab)).toBeLessThan(1e-9);
      expect(relative(result.baron_kenny.diff_c_minus_cprime, expected.baron_kenny.diff_c_minus_cprime)).toBeLessThan(1e-9);
    });

    test('Sobel, Aroian and Goodman SEs, z and CIs within 1e-9 relative', () => {
      for (const key of ['sobel', 'aroian', 'goodman'] as const) {
        for (const field of ['se', 'z', 'ci_lower', 'ci_upper'] as const) {
          expect(relative(result.indirect_tests[key][field], expected.indirect_tests[key][field]), `${key} ${field}`).toBeLessThan(1e-9);
        }
      }
    });

    test('g-formula plug-in effects (ACME, ADE, proportion mediated) within 1e-9 relative', () => {
      for (const key of PLUGIN_KEYS) expect(relative(result.plugin_effects[key] as number, expected.plugin_effects[key]), key).toBeLessThan(1e-9);
    });
  });
}

describe('the mulberry32 bootstrap reproduces R', () => {
  const { spec, expected } = load('mediate_binary_mulberry');
  const result = fitMediation(table, spec);

  test('the first resample draws the rows R drew (R reports them 1-based)', () => {
    const uniform = mulberry32(spec.seed);
    const firstRows = (expected.bootstrap.first_indices_replicate1 as number[]).map(() => Math.floor(uniform() * table.nrow) + 1);
    expect(firstRows).toEqual(expected.bootstrap.first_indices_replicate1);
    const counts = new Int32Array(table.nrow);
    drawBootstrapCounts(mulberry32(spec.seed), table.nrow, counts);
    expect(counts.reduce((s, c) => s + c, 0)).toBe(table.nrow);
  });

  test('each of the 1,000 replicates within 1e-9 relative (refits stop 1e-8 SE from the exact optimum)', () => {
    expect(result.bootstrap.values).toHaveLength(1000);
    let worst = 0;
    result.bootstrap.values.forEach((value, r) => (worst = Math.max(worst, relative(value, expected.bootstrap.values[r]))));
    expect(worst).toBeLessThan(1e-9);
  });

  test('percentile CI, mean and bootstrap SE within 1e-9 relative (the issue asks 1e-6)', () => {
    for (const key of ['ci_lower', 'ci_upper', 'mean', 'se'] as const) expect(relative(result.bootstrap[key], expected.bootstrap[key]), key).toBeLessThan(1e-9);
    expect(result.bootstrap.failed).toBe(0);
  });

  test('KHB: the rescaled total splits into c\' plus an indirect effect equal to a·b (one linear mediator)', () => {
    const khb = result.khb!;
    expect(relative(khb.direct.estimate, expected.baron_kenny.c_prime.estimate)).toBeLessThan(1e-9);
    expect(relative(khb.indirect.estimate, expected.baron_kenny.indirect_ab)).toBeLessThan(1e-9);
    expect(relative(khb.indirect.se, expected.indirect_tests.sobel.se)).toBeLessThan(1e-9);
    expect(khb.total.estimate).toBeGreaterThan(khb.naive_total); // the naive c understates the total on the full model's scale
  });
});

test('with R\'s own generator (mediate_continuous), the CI agrees within Monte Carlo error (0.1 SE)', () => {
  const { spec, expected } = load('mediate_continuous');
  const result = fitMediation(table, { ...spec, boot_B: 400 });
  const se = expected.bootstrap.se as number;
  expect(Math.abs(result.bootstrap.ci_lower - expected.bootstrap.ci_lower)).toBeLessThan(0.1 * se * 2);
  expect(Math.abs(result.bootstrap.ci_upper - expected.bootstrap.ci_upper)).toBeLessThan(0.1 * se * 2);
  expect(Math.abs(result.bootstrap.se - se) / se).toBeLessThan(0.1);
  expect(result.warnings.some((w) => w.includes('mulberry32'))).toBe(true);
});

test("percentile CIs use R's quantile type 7", () => {
  expect(quantileType7([1, 2, 3, 4], 0.5)).toBe(2.5);
  expect(quantileType7([10, 20, 30, 40, 50], 0.025)).toBeCloseTo(11, 12);
});

test('Gauss–Hermite quadrature integrates polynomials exactly', () => {
  const { nodes, weights } = gaussHermite(64);
  const integral = (f: (x: number) => number) => nodes.reduce((s, x, k) => s + (weights[k] as number) * f(x), 0);
  expect(integral(() => 1)).toBeCloseTo(Math.sqrt(Math.PI), 12);
  expect(integral((x) => x * x)).toBeCloseTo(Math.sqrt(Math.PI) / 2, 12);
  expect(integral((x) => x ** 4)).toBeCloseTo((3 * Math.sqrt(Math.PI)) / 4, 12);
});

describe('clustered and weighted specs', () => {
  const { spec } = load('mediate_binary_mulberry');
  const pathFrame = (extra: Partial<ModelSpec>) => buildModelFrame(table, { family: 'gaussian', outcome: spec.mediator, predictors: [spec.treatment, ...spec.covariates], ...extra });

  test('with a cluster, path SEs are cluster-robust and the bootstrap resamples whole cities', () => {
    const result = fitMediation(table, { ...spec, cluster: 'city' }, { replicates: 30 });
    expect(result.baron_kenny.se_type).toBe('cluster');
    expect(result.bootstrap.resampling).toBe('clusters');
    const direct = fitGlm(pathFrame({ cluster: 'city' }), { family: 'gaussian', se: 'cluster', tol: 1e-12 }).coef[spec.treatment]!;
    expect(relative(result.baron_kenny.a.se, direct.se)).toBeLessThan(1e-9);
    expect(result.bootstrap.ci_lower).toBeLessThan(result.baron_kenny.indirect_ab);
    expect(result.bootstrap.ci_upper).toBeGreaterThan(result.baron_kenny.indirect_ab);
  });

  test('with sampling weights, paths are weighted fits with robust SEs', () => {
    const result = fitMediation(table, { ...spec, weights: 'w' }, { replicates: 10 });
    expect(result.baron_kenny.se_type).toBe('stata_robust');
    const direct = fitGlm(pathFrame({ weights: 'w' }), { family: 'gaussian', se: 'stata_robust', tol: 1e-12 }).coef[spec.treatment]!;
    expect(relative(result.baron_kenny.a.estimate, direct.estimate)).toBeLessThan(1e-9);
    expect(relative(result.baron_kenny.a.se, direct.se)).toBeLessThan(1e-9);
  });
});
