// Average marginal effects against R (tests/fixtures/margins/expected.json, made by tests/fixtures/margins/ame.R:
// margins::margins()'s definitions with numerical derivatives and a numerical delta-method Jacobian). Those
// numerical derivatives carry about 1e-7 relative error, so the tolerance is 1e-6 relative (the fits converge at
// epsilon = 1e-12 on both sides).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readCsv } from '@/lib/stats/csv';
import { runModelSpec } from '@/lib/stats/index';
import { averageMarginalEffects, type MarginalEffect } from '@/lib/stats/margins';
import { buildModelFrame } from '@/lib/stats/model-frame';
import type { ModelSpec } from '@/lib/stats/types';

const fixtures = path.join(__dirname, '..', 'fixtures');
const table = readCsv(fs.readFileSync(path.join(fixtures, 'oracle', 'data.csv'), 'utf8'));
const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'margins', 'expected.json'), 'utf8'));
const base = JSON.parse(fs.readFileSync(path.join(fixtures, 'oracle', 'specs', 'logit_cluster.json'), 'utf8')) as ModelSpec;
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.abs(b) + 1e-9;

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

describe('random-intercept logit: AMEs at u = 0 and averaged over the random intercept (tests/fixtures/r/glmer-margins.R)', () => {
  const r = JSON.parse(fs.readFileSync(path.join(fixtures, 'r', 'glmer-margins.json'), 'utf8'));
  type Reference = Array<{ variable: string; level: string | null; estimate: number; se: number }>;
  const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
  const find = (effects: MarginalEffect[], ref: Reference[number]) => effects.find((e) => e.variable === ref.variable && e.level === (ref.level ?? null))!;

  test("with lme4's estimates, vcov and sigma plugged in, the formulas agree: estimates within 1e-10, SEs within 1e-7 (R's Jacobian is numerical)", () => {
    const frame = buildModelFrame(table, r.spec as ModelSpec);
    const beta = Float64Array.from(frame.terms, (term) => r.beta[term] as number);
    const vcov = Float64Array.from((r.vcov as number[][]).flat());
    for (const [key, sd] of [['conditional', 0], ['population', r.sigma]] as const) {
      const effects = averageMarginalEffects(table, frame, 'binomial', beta, vcov, { randomInterceptSd: sd });
      for (const ref of r[key] as Reference) {
        const mine = find(effects, ref);
        expect(relative(mine.estimate, ref.estimate), `${key} ${ref.variable}${ref.level ?? ''}`).toBeLessThan(1e-10);
        expect(relative(mine.se, ref.se), `${key} ${ref.variable}${ref.level ?? ''} se`).toBeLessThan(1e-7);
      }
    }
  });

  // As tests/stats/glmm.test.ts: estimates 1e-4, SEs 2e-4 (lme4's vcov comes from a finite-difference Hessian).
  test('end to end (the engine fits the model itself): estimates within 1e-4 relative, SEs within 2e-4, as the GLMM tests', () => {
    const fit = runModelSpec(table, r.spec as ModelSpec).fits.glmer_laplace!;
    for (const [key, field] of [['conditional', 'average_marginal_effects'], ['population', 'average_marginal_effects_population']] as const) {
      const effects = fit[field] as MarginalEffect[];
      for (const ref of r[key] as Reference) {
        const mine = find(effects, ref);
        expect(relative(mine.estimate, ref.estimate), `${key} ${ref.variable}${ref.level ?? ''}`).toBeLessThan(1e-4);
        expect(relative(mine.se, ref.se), `${key} ${ref.variable}${ref.level ?? ''} se`).toBeLessThan(2e-4);
      }
    }
    // Averaging over the random intercept flattens the logistic curve: the population AMEs are the smaller ones here.
    expect(Math.abs(find(effects(fit, 'average_marginal_effects_population'), r.population[0]).estimate)).toBeLessThan(Math.abs(find(effects(fit, 'average_marginal_effects'), r.conditional[0]).estimate));
    expect(String(fit.margins_note)).toContain('conditional on a random intercept of 0');
  });
});

function effects(fit: Record<string, unknown>, field: string): MarginalEffect[] {
  return fit[field] as MarginalEffect[];
}
