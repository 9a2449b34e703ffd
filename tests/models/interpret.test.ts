// The mediation sentence reads the counterfactual effects (which add up), not a·b: on issue 12's preset a binary
// mediator's logit path made a·b a log-odds quantity that was reported as a share of a total on another scale.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { readCsv } from '@/lib/stats/csv';
import { fitMediation } from '@/lib/stats/mediation';
import { mediationSentence } from '@/lib/models/interpret';
import type { DataTable, MediationSpec } from '@/lib/stats/types';

const fixtures = path.join(__dirname, '..', 'fixtures');
const full = readCsv(fs.readFileSync(path.join(fixtures, 'oracle', 'data.csv'), 'utf8'));
const table: DataTable = { nrow: 3000, columns: new Map([...full.columns].map(([name, column]) => [name, column.slice(0, 3000)] as const)) };
const spec: MediationSpec = { treatment: 'social_part', mediator: 'insured', outcome: 'y_cont', covariates: ['female', 'age', 'educ_years', 'scope'], mediator_family: 'binomial', outcome_family: 'gaussian', boot_B: 200, seed: 20240601, rng: 'mulberry32' };
const result = fitMediation(table, spec);
const effects = result.bootstrap.effects;

test('with a binary mediator, a·b is not the mediated effect, but ACME + ADE is the total', () => {
  const { a, b, c_total: c, c_prime: cPrime } = result.baron_kenny;
  expect(Math.abs(cPrime.estimate + a.estimate * b.estimate - c.estimate)).toBeGreaterThan(0.01);
  expect(effects.acme_avg.estimate + effects.ade_avg.estimate).toBeCloseTo(effects.total.estimate, 12);
});

test('the sentence quotes the ACME, its bootstrap CI, the total and the share mediated, in both languages', () => {
  const options = { key: 'social_part', mediator: 'insured', outcome: 'y_cont', outcomeFamily: 'gaussian' as const, acme: effects.acme_avg.estimate, ciLower: effects.acme_avg.ci_lower, ciUpper: effects.acme_avg.ci_upper, total: effects.total.estimate, proportion: effects.prop_mediated_avg.estimate, n: result.n };
  const en = mediationSentence({ locale: 'en', ...options });
  expect(en).toContain(`is ${effects.acme_avg.estimate.toFixed(3)} (bootstrap 95% CI ${effects.acme_avg.ci_lower.toFixed(3)} to ${effects.acme_avg.ci_upper.toFixed(3)})`);
  expect(en).toContain(`total effect of ${effects.total.estimate.toFixed(3)}`);
  expect(en).toContain(`about ${(effects.prop_mediated_avg.estimate * 100).toFixed(0)}% is mediated`);
  const zh = mediationSentence({ locale: 'zh', ...options });
  expect(zh).toContain(`平均因果中介效应）为 ${effects.acme_avg.estimate.toFixed(3)}`);
  expect(zh).toContain('中介比例约');
});

test('a binary outcome is reported in percentage points', () => {
  const en = mediationSentence({ locale: 'en', key: 'social_part', mediator: 'insured', outcome: 'y', outcomeFamily: 'binomial', acme: 0.0123, ciLower: 0.004, ciUpper: 0.02, total: 0.05, proportion: 0.246, n: 3000 });
  expect(en).toContain('is 1.2 percentage points (bootstrap 95% CI 0.4 to 2.0), of a total effect of 5.0 percentage points: about 25% is mediated');
});

test('a result cached before the effects had CIs gives the estimate without an interval, not NaN', () => {
  const en = mediationSentence({ locale: 'en', key: 'social_part', mediator: 'insured', outcome: 'y_cont', outcomeFamily: 'gaussian', acme: 0.5, ciLower: Number.NaN, ciUpper: Number.NaN, total: 2, proportion: 0.25, n: 3000 });
  expect(en).not.toContain('NaN');
  expect(en).toContain('is 0.500, of a total effect of 2.000: about 25% is mediated');
});
