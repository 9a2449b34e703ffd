// Counterfactual mediation effects (ACME, ADE, total, proportion mediated) and their bootstrap CIs against base-R
// computations of mediation::mediate's definitions (tests/fixtures/r/mediation-effects.R; the package is not in
// Debian): binary and linear mediators, linear and logit outcomes. The resamples are R's (mulberry32), so the CIs agree
// to the refits' precision, 1e-9 relative; the issue asks 1e-6.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readCsv } from '@/lib/stats/csv';
import { EFFECT_KEYS, fitMediation } from '@/lib/stats/mediation';
import type { DataTable, Family, MediationSpec } from '@/lib/stats/types';

const fixtures = path.join(__dirname, '..', 'fixtures');
const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'r', 'mediation-effects.json'), 'utf8'));
const full = readCsv(fs.readFileSync(path.join(fixtures, 'oracle', 'data.csv'), 'utf8'));
const table: DataTable = { nrow: expected.n, columns: new Map([...full.columns].map(([name, column]) => [name, column.slice(0, expected.n)] as const)) };
const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

for (const name of ['binary_mediator_linear_outcome', 'binary_mediator_logit_outcome', 'linear_mediator_logit_outcome']) {
  describe(name.replaceAll('_', ' '), () => {
    const want = expected[name];
    const spec: MediationSpec = {
      treatment: want.spec.treatment,
      mediator: want.spec.mediator,
      outcome: want.spec.outcome,
      covariates: expected.covariates,
      mediator_family: want.spec.mediator_family as Family,
      outcome_family: want.spec.outcome_family as Family,
      boot_B: expected.B,
      seed: expected.seed,
      rng: 'mulberry32',
    };
    const result = fitMediation(table, spec);

    test('point estimates within 1e-9 relative, and they add up: ACME + ADE = total', () => {
      for (const key of EFFECT_KEYS) expect(relative(result.plugin_effects[key], want.estimate[key]), key).toBeLessThan(1e-9);
      const e = result.plugin_effects;
      expect(e.acme_control + e.ade_treated).toBeCloseTo(e.total, 14);
      expect(e.acme_treated + e.ade_control).toBeCloseTo(e.total, 14);
    });

    test('bootstrap percentile CIs and SEs of every effect within 1e-9 relative', () => {
      expect(result.bootstrap.failed).toBe(0);
      for (const key of EFFECT_KEYS) {
        const got = result.bootstrap.effects[key];
        expect(got.estimate).toBe(result.plugin_effects[key]);
        expect(relative(got.ci_lower, want.ci_lower[key]), `${key} ci_lower`).toBeLessThan(1e-9);
        expect(relative(got.ci_upper, want.ci_upper[key]), `${key} ci_upper`).toBeLessThan(1e-9);
        expect(relative(got.se, want.se[key]), `${key} se`).toBeLessThan(1e-9);
      }
    });
  });
}
