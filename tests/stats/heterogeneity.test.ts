// Subgroup heterogeneity on simulated data with known group-specific effects: each group's effect is recovered, the
// Wald test of equal effects rejects when the effects differ and does not when they are equal, and groups too small
// to fit are reported, not dropped. And against R on the oracle data (pooled, per-group, Wald and Cochran's Q).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readCsv } from '@/lib/stats/csv';
import { fitGlm } from '@/lib/stats/glm';
import { fitHeterogeneity } from '@/lib/stats/heterogeneity';
import { buildModelFrame } from '@/lib/stats/model-frame';
import { mulberry32, normalGenerator } from '@/lib/stats/random';
import type { DataTable, ModelSpec } from '@/lib/stats/types';

const GROUPS = ['central', 'east', 'west'];

/** x has effect `effects[g]` (log-odds, or units for the continuous outcome) in group g; a tiny fourth group. */
function simulate(effects: readonly number[], seed: number, n = 9000): DataTable {
  const uniform = mulberry32(seed);
  const normal = normalGenerator(seed + 1);
  const x = new Float64Array(n);
  const z = new Float64Array(n);
  const y = new Float64Array(n);
  const score = new Float64Array(n);
  const city = new Float64Array(n);
  const region: string[] = [];
  for (let i = 0; i < n; i++) {
    const g = i < 12 ? 3 : Math.floor(uniform() * 3);
    region.push(g === 3 ? 'northeast' : (GROUPS[g] as string));
    city[i] = g === 3 ? 99 : g * 20 + Math.floor(uniform() * 20);
    x[i] = normal();
    z[i] = uniform() < 0.5 ? 1 : 0;
    const effect = g === 3 ? 0 : (effects[g] as number);
    const eta = -0.3 + effect * x[i]! + 0.4 * z[i]! + 0.2 * g;
    y[i] = uniform() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    score[i] = 10 + 2 * eta + normal();
  }
  return { nrow: n, columns: new Map<string, Float64Array | (string | null)[]>([['x', x], ['z', z], ['y', y], ['score', score], ['city', city], ['region', region]]) };
}

const logit: ModelSpec = { family: 'binomial', outcome: 'y', predictors: ['x', 'z'], se: 'classical' };

describe('when the effect differs across regions (0.2, 0.6, 1.0)', () => {
  const effects = [0.2, 0.6, 1.0];
  const result = fitHeterogeneity(simulate(effects, 11), { spec: logit, key: 'x', groupBy: 'region' });

  test('each region\'s effect is recovered within 3 SE, with its CI and n', () => {
    GROUPS.forEach((level, g) => {
      const group = result.subgroups.find((s) => s.level === level)!;
      expect(group.status).toBe('estimated');
      expect(Math.abs((group.estimate as number) - (effects[g] as number))).toBeLessThan(3 * (group.se as number));
      expect(group.ci_lower).toBeLessThan(group.estimate as number);
      expect(group.n).toBeGreaterThan(2800);
    });
  });

  test('the Wald test of the interaction terms rejects equal effects (df = 2)', () => {
    const wald = result.interaction_test!;
    expect(wald.df).toBe(2);
    expect(wald.terms).toEqual(['x:regioneast', 'x:regionwest']);
    expect(wald.p).toBeLessThan(1e-10);
    expect(result.cochran_q!.p).toBeLessThan(1e-10);
    expect(result.cochran_q!.i2).toBeGreaterThan(0.9);
  });

  test('a region too small to fit is reported as such, not dropped', () => {
    const tiny = result.subgroups.find((s) => s.level === 'northeast')!;
    expect(tiny).toMatchObject({ status: 'too_small', n: 12, estimate: null });
    expect(result.subgroups.map((s) => s.level)).toEqual(['central', 'east', 'northeast', 'west']);
    expect(result.warnings.join(' ')).toMatch(/northeast/);
    expect(result.subgroups.reduce((s, g) => s + g.share, 0)).toBeCloseTo(1, 12);
  });
});

describe('when the effect is the same everywhere (0.5)', () => {
  const result = fitHeterogeneity(simulate([0.5, 0.5, 0.5], 12), { spec: logit, key: 'x', groupBy: 'region' });

  test('the Wald test does not reject, and the pooled estimate is the common effect', () => {
    expect(result.interaction_test!.p).toBeGreaterThan(0.2);
    expect(Math.abs(result.pooled.estimate - 0.5)).toBeLessThan(3 * result.pooled.se);
  });

  test('with two groups the Wald statistic is the squared z of the single interaction term', () => {
    const table = simulate([0.5, 0.5, 0.5], 12);
    const twoGroups = fitHeterogeneity(table, { spec: { ...logit, predictors: ['x', 'region'] }, key: 'x', groupBy: 'z' });
    expect(twoGroups.interaction_test!.df).toBe(1);
    expect(twoGroups.interaction_test!.terms).toEqual(['x:z1']);
    const fit = fitGlm(buildModelFrame(table, { ...logit, predictors: ['x', 'region', 'z'], factors: ['z'], interactions: [['x', 'z']] }), { family: 'binomial' });
    const term = fit.coef['x:z1']!;
    expect(Math.abs(twoGroups.interaction_test!.statistic / (term.estimate / term.se) ** 2 - 1)).toBeLessThan(1e-9);
    expect(Math.abs(twoGroups.interaction_test!.p / term.p - 1)).toBeLessThan(1e-9);
  });
});

test('a continuous outcome with city-clustered SEs and a numeric grouping variable', () => {
  const spec: ModelSpec = { family: 'gaussian', outcome: 'score', predictors: ['x', 'z'], cluster: 'city', se: 'cluster' };
  const table = simulate([0.2, 0.6, 1.0], 13);
  // A numeric group code: levels ordered numerically, treated as a factor in the interaction model.
  const code = Float64Array.from(table.columns.get('region') as string[], (r) => ({ central: 1, east: 2, west: 3, northeast: 10 })[r as 'central']);
  table.columns.set('region_code', code);
  const result = fitHeterogeneity(table, { spec, key: 'x', groupBy: 'region_code', minGroupSize: 5 });
  expect(result.subgroups.map((s) => s.level)).toEqual(['1', '2', '3', '10']);
  // The tiny group has one city: its clustered SE cannot be computed, and the result says why.
  const tiny = result.subgroups.find((s) => s.level === '10')!;
  expect(tiny.status).toBe('not_estimable');
  expect(tiny.reason).toMatch(/cluster/i);
  [0.4, 1.2, 2.0].forEach((truth, g) => expect(Math.abs((result.subgroups[g]!.estimate as number) - truth)).toBeLessThan(3 * (result.subgroups[g]!.se as number)));
  expect(result.interaction_test!.se_type).toBe('cluster');
  expect(result.interaction_test!.p).toBeLessThan(1e-6);
});

test('an unknown key or grouping variable is refused with a message', () => {
  const table = simulate([0.5, 0.5, 0.5], 14, 600);
  expect(() => fitHeterogeneity(table, { spec: logit, key: 'w', groupBy: 'region' })).toThrow(/not a term/);
  expect(() => fitHeterogeneity(table, { spec: logit, key: 'x', groupBy: 'province' })).toThrow(/no variable/);
});

describe('against R (tests/fixtures/r/heterogeneity.R): glm per scope, Wald test of the interactions, Cochran Q', () => {
  const fixtures = path.join(__dirname, '..', 'fixtures');
  const r = JSON.parse(fs.readFileSync(path.join(fixtures, 'r', 'heterogeneity.json'), 'utf8'));
  const data = readCsv(fs.readFileSync(path.join(fixtures, 'oracle', 'data.csv'), 'utf8'));
  const result = fitHeterogeneity(data, { spec: r.spec as ModelSpec, key: r.key, groupBy: r.group_by });
  const close = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

  test('pooled and per-scope estimates and cluster-robust SEs within 1e-9 relative', () => {
    expect(close(result.pooled.estimate, r.pooled.estimate)).toBeLessThan(1e-9);
    expect(close(result.pooled.se, r.pooled.se)).toBeLessThan(1e-9);
    for (const group of result.subgroups) {
      const want = r.subgroups[group.level];
      expect(group.n).toBe(want.n);
      expect(close(group.estimate!, want.estimate), `${group.level} estimate`).toBeLessThan(1e-9);
      expect(close(group.se!, want.se), `${group.level} se`).toBeLessThan(1e-9);
    }
  });

  test('Wald statistic and p of the interaction terms, Cochran Q, its p and I^2 within 1e-9 relative', () => {
    const wald = result.interaction_test!;
    expect(wald.terms).toEqual(r.wald.terms);
    expect(wald.df).toBe(r.wald.df);
    expect(close(wald.statistic, r.wald.statistic)).toBeLessThan(1e-9);
    expect(close(wald.p, r.wald.p)).toBeLessThan(1e-9);
    const q = result.cochran_q!;
    expect(close(q.q, r.cochran_q.q)).toBeLessThan(1e-9);
    expect(close(q.p, r.cochran_q.p)).toBeLessThan(1e-9);
    expect(close(q.i2, r.cochran_q.i2)).toBeLessThan(1e-8);
  });
});
