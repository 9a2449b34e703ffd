// Average marginal effects against R (tests/fixtures/margins/expected.json, made by tests/fixtures/margins/ame.R:
// margins::margins()'s definitions with numerical derivatives and a numerical delta-method Jacobian). Those
// numerical derivatives carry about 1e-7 relative error, so the tolerance is 1e-5 relative.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readCsv } from '@/lib/stats/csv';
import { runModelSpec } from '@/lib/stats/index';
import type { MarginalEffect } from '@/lib/stats/margins';
import type { ModelSpec } from '@/lib/stats/types';

const fixtures = path.join(__dirname, '..', 'fixtures');
const table = readCsv(fs.readFileSync(path.join(fixtures, 'oracle', 'data.csv'), 'utf8'));
const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'margins', 'expected.json'), 'utf8'));
const base = JSON.parse(fs.readFileSync(path.join(fixtures, 'oracle', 'specs', 'logit_cluster.json'), 'utf8')) as ModelSpec;
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-5 * Math.abs(b) + 1e-9;

function compare(spec: ModelSpec, reference: Array<{ variable: string; level: string | null; estimate: number; se: number }>) {
  const effects = runModelSpec(table, { ...spec, margins: true }).fits.glm!.average_marginal_effects as MarginalEffect[];
  expect(effects.length).toBe(reference.length);
  for (const r of reference) {
    const mine = effects.find((e) => e.variable === r.variable && e.level === r.level);
    expect(mine, `${r.variable} ${r.level}`).toBeDefined();
    expect(close(mine!.estimate, r.estimate), `${r.variable}${r.level ?? ''} estimate ${mine!.estimate} vs ${r.estimate}`).toBe(true);
    expect(close(mine!.se, r.se), `${r.variable}${r.level ?? ''} se ${mine!.se} vs ${r.se}`).toBe(true);
  }
  return effects;
}

describe('average marginal effects with delta-method SEs agree with R', () => {
  test('logit with a binary interaction and a factor, city-clustered SEs', () => {
    const effects = compare(base, expected.logit_cluster);
    const scope = effects.filter((e) => e.variable === 'scope');
    expect(scope.map((e) => e.kind)).toEqual(['discrete_change', 'discrete_change']);
  });

  test('OLS: the AME of a variable outside any interaction is its coefficient', () => {
    const spec: ModelSpec = { ...base, family: 'gaussian', outcome: 'y_cont', se: 'classical', cluster: null };
    const effects = compare(spec, expected.ols_classical);
    const fit = runModelSpec(table, spec).fits.glm!;
    const age = effects.find((e) => e.variable === 'age')!;
    expect(age.estimate).toBeCloseTo(fit.coef.age!.estimate, 12);
    expect(age.se).toBeCloseTo(fit.coef.age!.se, 12);
  });

  test('weighted logit with a factor x continuous interaction', () => {
    const spec: ModelSpec = {
      family: 'binomial', outcome: 'y', predictors: ['female', 'age', 'educ_years', 'scope', 'trust', 'social_part'],
      interactions: [['scope', 'trust']], cluster: 'city', weights: 'w', se: 'cluster',
    };
    compare(spec, expected.logit_weighted_scope_interaction);
  });
});
