// Random-intercept logit against lme4::glmer (tests/fixtures/oracle/expected/glmer_ri.json, the strict fits), with
// the tolerances the engine achieves. Laplace: fixed effects within 2e-5 relative (or 2e-6 absolute); SEs within 2e-4,
// the accuracy of lme4's own finite-difference Hessian, and within 2e-5 of glmmTMB's exact-Hessian SEs; variance and
// ICC within 1e-5 (achieved 1e-6), log-likelihood within 5e-6 and AIC/BIC within 1e-5 absolute (achieved 7e-7, 1.3e-6).
// nAGQ = 10: fixed effects within 1e-5 (or 1e-6 absolute), SEs within 5e-6, variance within 2e-7 (achieved 5e-8),
// log-likelihood within 1e-10 (achieved 2e-11).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readCsv } from '@/lib/stats/csv';
import { runModelSpec } from '@/lib/stats/index';
import type { ModelSpec } from '@/lib/stats/types';
import { gaussHermiteNormal } from '@/lib/stats/quadrature';

const oracle = path.join(__dirname, '..', 'fixtures', 'oracle');
const table = readCsv(fs.readFileSync(path.join(oracle, 'data.csv'), 'utf8'));
const spec = JSON.parse(fs.readFileSync(path.join(oracle, 'specs', 'glmer_ri.json'), 'utf8')) as ModelSpec;
const expected = JSON.parse(fs.readFileSync(path.join(oracle, 'expected', 'glmer_ri.json'), 'utf8')).fits.glmer_laplace_strict;
const close = (a: number, b: number, relative: number, absolute: number) => Math.abs(a - b) <= Math.max(relative * Math.abs(b), absolute);

describe('random-intercept logit, Laplace, agrees with glmer', () => {
  const fit = runModelSpec(table, { ...spec, nAGQ: [1] }).fits.glmer_laplace!;

  test('fixed effects and SEs', () => {
    expect(fit.terms).toEqual(expected.terms);
    for (const term of expected.terms as string[]) {
      expect(close(fit.coef[term]!.estimate, expected.coef[term].estimate, 2e-5, 2e-6), `${term} estimate`).toBe(true);
      expect(close(fit.coef[term]!.se, expected.coef[term].se, 2e-4, 1e-5), `${term} se`).toBe(true);
    }
  });

  test("SEs within 2e-5 of glmmTMB's, whose Hessian is exact (automatic differentiation)", () => {
    const tmb = JSON.parse(fs.readFileSync(path.join(oracle, 'expected', 'glmer_ri.json'), 'utf8')).fits.glmmtmb;
    for (const term of tmb.terms as string[]) expect(close(fit.coef[term]!.se, tmb.coef[term].se, 2e-5, 0), `${term} se`).toBe(true);
  });

  test('random-intercept variance, ICC on the latent scale, log-likelihood, AIC and BIC', () => {
    const ri = fit.random_intercept!;
    expect(ri.group).toBe('city');
    expect(ri.n_groups).toBe(40);
    expect(close(ri.variance, expected.random_intercept.variance, 1e-5, 0)).toBe(true);
    expect(close(ri.icc, expected.random_intercept.icc, 1e-5, 0)).toBe(true);
    expect(Math.abs(fit.loglik - expected.loglik)).toBeLessThan(5e-6);
    expect(Math.abs(fit.aic - expected.aic)).toBeLessThan(1e-5);
    expect(Math.abs(fit.bic - expected.bic)).toBeLessThan(1e-5);
  });

  test('the likelihood-ratio test against the single-level logit rejects when cities differ', () => {
    const lr = fit.lr_test as { statistic: number; p: number };
    expect(lr.statistic).toBeGreaterThan(10);
    expect(lr.p).toBeLessThan(0.001);
  });
});

describe('random-intercept logit, adaptive Gauss-Hermite quadrature (nAGQ = 10), agrees with glmer', () => {
  const expectedAgq = JSON.parse(fs.readFileSync(path.join(oracle, 'expected', 'glmer_ri.json'), 'utf8')).fits.glmer_agq10_strict;
  const fit = runModelSpec(table, { ...spec, nAGQ: [10] }).fits.glmer_agq10!;

  test('fixed effects and SEs', () => {
    expect(fit.terms).toEqual(expectedAgq.terms);
    for (const term of expectedAgq.terms as string[]) {
      expect(close(fit.coef[term]!.estimate, expectedAgq.coef[term].estimate, 1e-5, 1e-6), `${term} estimate`).toBe(true);
      expect(close(fit.coef[term]!.se, expectedAgq.coef[term].se, 5e-6, 0), `${term} se`).toBe(true);
    }
  });

  test('random-intercept variance and log-likelihood', () => {
    expect(close(fit.random_intercept!.variance, expectedAgq.random_intercept.variance, 2e-7, 0)).toBe(true);
    expect(Math.abs(fit.loglik - expectedAgq.loglik)).toBeLessThan(1e-10);
  });

  test('differs from the Laplace fit by more than the tolerance, so the test tells them apart', () => {
    const laplace = JSON.parse(fs.readFileSync(path.join(oracle, 'expected', 'glmer_ri.json'), 'utf8')).fits.glmer_laplace_strict;
    expect(Math.abs(laplace.loglik - expectedAgq.loglik)).toBeGreaterThan(1e-3);
  });
});

test('Gauss-Hermite rule for the normal density: weights sum to 1 and integrate z^2 and z^4 exactly', () => {
  for (const k of [1, 2, 3, 5, 10, 25]) {
    const { z, w } = gaussHermiteNormal(k);
    const moment = (power: number) => z.reduce((s, zi, i) => s + w[i]! * zi ** power, 0);
    expect(moment(0)).toBeCloseTo(1, 12);
    if (k >= 2) expect(moment(2)).toBeCloseTo(1, 12);
    if (k >= 3) expect(moment(4)).toBeCloseTo(3, 11);
  }
  expect(() => gaussHermiteNormal(0)).toThrow(/nAGQ/);
});
