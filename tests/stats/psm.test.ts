// Propensity-score matching on simulated data whose treatment effect is known (2.0, confounded by x1..x3): the ATT is
// recovered within its SE, matching balances the covariates (|SMD| < 0.1), and the sort-based greedy matcher picks
// exactly the pairs a brute-force search does; and against R's MatchIt (tests/fixtures/r/psm-matchit.R): the same
// propensity model, the same pairs, ATT and SE.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readCsv } from '@/lib/stats/csv';
import { matchPropensity } from '@/lib/stats/psm';
import { mulberry32, normalGenerator } from '@/lib/stats/random';
import type { DataTable } from '@/lib/stats/types';

const TRUE_EFFECT = 2;

function simulate(n: number, seed: number): DataTable {
  const uniform = mulberry32(seed);
  const normal = normalGenerator(seed + 1);
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const x3 = new Float64Array(n);
  const region: string[] = [];
  const t = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x1[i] = normal();
    x2[i] = normal();
    x3[i] = uniform() < 0.4 ? 1 : 0;
    region.push(['east', 'west', 'central'][Math.floor(uniform() * 3)] as string);
    const eta = -1.4 + 0.7 * x1[i]! - 0.5 * x2[i]! + 0.6 * x3[i]! + (region[i] === 'west' ? 0.3 : 0);
    t[i] = uniform() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    y[i] = 1 + TRUE_EFFECT * t[i]! + 1.5 * x1[i]! + 0.8 * x2[i]! + x3[i]! + (region[i] === 'west' ? 0.5 : 0) + normal();
  }
  return { nrow: n, columns: new Map<string, Float64Array | (string | null)[]>([['x1', x1], ['x2', x2], ['x3', x3], ['region', region], ['t', t], ['y', y]]) };
}

const table = simulate(6000, 42);
const covariates = ['x1', 'x2', 'x3', 'region'];

describe.each([false, true])('matching with replacement = %s', (replacement) => {
  const result = matchPropensity(table, { treatment: 't', covariates, outcome: 'y', replacement, seed: 7 });

  test('the naive difference is confounded but the ATT is recovered within its SE', () => {
    expect(Math.abs(result.att.naive_difference - TRUE_EFFECT)).toBeGreaterThan(0.5);
    expect(Math.abs(result.att.estimate - TRUE_EFFECT)).toBeLessThan(result.att.se * 1.5);
    expect(result.att.se).toBeGreaterThan(0.02);
    expect(result.att.se).toBeLessThan(0.1);
    expect(result.att.ci_lower).toBeLessThan(TRUE_EFFECT);
    expect(result.att.ci_upper).toBeGreaterThan(TRUE_EFFECT);
  });

  test('every covariate is balanced after matching (|SMD| < 0.1) though not before', () => {
    expect(result.max_abs_smd_before).toBeGreaterThan(0.3);
    for (const row of result.balance) expect(Math.abs(row.smd_after as number), row.term).toBeLessThan(0.1);
    const x1 = result.balance.find((row) => row.term === 'x1')!;
    expect(x1.variance_ratio_after).toBeGreaterThan(0.8);
    expect(x1.variance_ratio_after).toBeLessThan(1.25);
  });

  test('counts add up, and pairs are 1:1 (without replacement each control at most once)', () => {
    const { counts, pairs } = result;
    expect(counts.treated + counts.control).toBe(counts.n);
    expect(counts.matched_treated + counts.unmatched_treated).toBe(counts.treated);
    expect(pairs.treated_rows).toHaveLength(counts.matched_treated);
    const distinct = new Set(pairs.control_rows).size;
    expect(distinct).toBe(counts.distinct_controls_used);
    if (!replacement) expect(distinct).toBe(counts.matched_treated);
    else expect(distinct).toBeLessThan(counts.matched_treated);
  });
});

test('the balance table has the logit propensity score and one row per design column', () => {
  const result = matchPropensity(table, { treatment: 't', covariates, outcome: 'y' });
  // Factor dummies against the first level in byte order (central), as R's model.matrix.
  expect(result.balance.map((row) => row.term)).toEqual(['logit_propensity', 'x1', 'x2', 'x3', 'regioneast', 'regionwest']);
  expect(result.propensity_model.auc).toBeGreaterThan(0.6);
});

test('greedy matching without replacement picks the same pairs as a brute-force search', () => {
  const small = simulate(400, 3);
  const result = matchPropensity(small, { treatment: 't', covariates: ['x1', 'x2', 'x3'], outcome: 'y', caliper: 0.1 });
  // Recompute the logit score from the fitted model and match by exhaustive search in the same (largest-first) order.
  const coef = result.propensity_model.coef;
  const x1 = small.columns.get('x1') as Float64Array;
  const x2 = small.columns.get('x2') as Float64Array;
  const x3 = small.columns.get('x3') as Float64Array;
  const t = small.columns.get('t') as Float64Array;
  const score = Array.from({ length: small.nrow }, (_, i) => coef['(Intercept)']!.estimate + coef.x1!.estimate * x1[i]! + coef.x2!.estimate * x2[i]! + coef.x3!.estimate * x3[i]!);
  const width = result.caliper.width as number;
  const used = new Set<number>();
  const expected = new Map<number, number>();
  const treatedRows = score.map((_, i) => i).filter((i) => t[i] === 1).sort((a, b) => score[b]! - score[a]! || a - b);
  for (const i of treatedRows) {
    let best = -1;
    let bestDistance = Infinity;
    for (let j = 0; j < small.nrow; j++) {
      if (t[j] !== 0 || used.has(j)) continue;
      const d = Math.abs(score[i]! - score[j]!);
      if (d < bestDistance || (d === bestDistance && score[j]! < score[best]!)) {
        best = j;
        bestDistance = d;
      }
    }
    if (best >= 0 && bestDistance <= width) {
      used.add(best);
      expected.set(i, best);
    }
  }
  const actual = new Map(result.pairs.treated_rows.map((row, k) => [row, result.pairs.control_rows[k] as number]));
  expect(actual).toEqual(expected);
  expect(result.counts.unmatched_treated).toBe(treatedRows.length - expected.size);
});

test('a tight caliper leaves treated units unmatched and says so', () => {
  const result = matchPropensity(table, { treatment: 't', covariates, outcome: 'y', caliper: 0.0005 });
  expect(result.counts.unmatched_treated).toBeGreaterThan(0);
  expect(result.warnings.join(' ')).toMatch(/no control within the caliper/);
});

test('a treatment not coded 0/1 is refused', () => {
  const bad: DataTable = { nrow: table.nrow, columns: new Map(table.columns) };
  bad.columns.set('t', Float64Array.from(table.columns.get('t') as Float64Array, (v) => v * 2));
  expect(() => matchPropensity(bad, { treatment: 't', covariates, outcome: 'y' })).toThrow(/0\/1/);
});

describe("against MatchIt (nearest, distance = glm, link = linear.logit, largest first, caliper in SDs)", () => {
  const fixtures = path.join(__dirname, '..', 'fixtures');
  const matchit = JSON.parse(fs.readFileSync(path.join(fixtures, 'r', 'psm-matchit.json'), 'utf8'));
  const full = readCsv(fs.readFileSync(path.join(fixtures, 'oracle', 'data.csv'), 'utf8'));
  const table: DataTable = { nrow: matchit.n, columns: new Map([...full.columns].map(([name, column]) => [name, column.slice(0, matchit.n)] as const)) };
  for (const key of ['caliper_0.2', 'caliper_0.001']) {
    test(`${key}: the same propensity model, the same pairs, ATT and SE within 1e-12 relative`, () => {
      const want = matchit[key];
      const got = matchPropensity(table, { treatment: 'social_part', covariates: ['female', 'age', 'educ_years', 'married', 'scope'], outcome: 'y_cont', caliper: want.caliper });
      for (const [term, estimate] of Object.entries(matchit.propensity_coef as Record<string, number>)) {
        expect(Math.abs(got.propensity_model.coef[term]!.estimate / estimate - 1), term).toBeLessThan(1e-9);
      }
      expect(Math.abs(got.caliper.sd_logit_propensity / want.distance_sd - 1)).toBeLessThan(1e-9);
      expect(got.counts.matched_treated).toBe(want.pairs);
      const pairs = (treated: number[], control: number[]) => treated.map((t, k) => `${t}-${control[k]}`).sort();
      expect(pairs(got.pairs.treated_rows, got.pairs.control_rows)).toEqual(pairs(want.treated_rows, want.control_rows));
      expect(Math.abs(got.att.estimate / want.att - 1)).toBeLessThan(1e-12);
      expect(Math.abs(got.att.se / want.se - 1)).toBeLessThan(1e-12);
    });
  }
  test("Debian's MatchIt 4.5.1 without the workaround matches wrongly (its caliper does not bind), so the scaled distance is needed", () => {
    expect(matchit.unscaled_debian_bug.pairs).not.toBe(matchit['caliper_0.001'].pairs);
  });
});
