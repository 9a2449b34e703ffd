// The model page's attacks, each refused: a subgroup with one urban respondent whose OLS intercept would be their own
// integration index, a 30-row subgroup that fits on 24 complete rows, small categories, interaction cells, matched
// and heterogeneity groups, too few residual df; no refusal names a count under the threshold, and results carry no
// random-effect predictions or group means.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type AppDatabase } from '@/db/client';
import { applyMigrations } from '@/db/migrate';
import { datasets } from '@/db/schema';
import { insertGeography } from '@/db/geography';
import { insertRespondents, type RespondentRecord } from '@/db/respondents';
import { createRandom } from '@/db/demo/random';
import { modelRequestSchema } from '@/lib/models/request';
import { runModelRequest } from '@/lib/models/run';
import { modelDisclosureLimits, sanitizeModelResult } from '@/lib/models/disclosure';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'model-attacks-'));
let db: AppDatabase;
let datasetId: number;

// The target: one urban-hukou man of 30 in Shenzhen's inter-city migrants, integration index exactly 50.
const TARGET = { integrationIndex: 50, logHouseholdIncome: 9.123456 };

beforeAll(() => {
  db = openDatabase(path.join(folder, 'attack.db'));
  applyMigrations(db);
  insertGeography(db);
  datasetId = db.insert(datasets).values({ label: 'attack', kind: 'synthetic', status: 'ready', active: true }).returning({ id: datasets.id }).get().id;
  const random = createRandom(7);
  const records: RespondentRecord[] = [];
  // Subgroup A (Shenzhen, inter-city, male, 25-34): 29 rural respondents and the target.
  for (let i = 0; i < 30; i++) {
    const target = i === 0;
    records.push({
      wave: 2017, cityCode: '440300', stratum: '44', psu: `A${i % 6}`, weight: 1, male: 1, age: 30, migrationRange: 'inter_city',
      ruralHukou: target ? 0 : 1,
      integrationIndex: target ? TARGET.integrationIndex : 55 + 20 * random.uniform(),
      logHouseholdIncome: target ? TARGET.logHouseholdIncome : 8 + random.uniform(),
      healthRecord: random.bernoulli(0.4), healthEducationAny: random.bernoulli(0.5), maritalStatus: 'first_married',
    });
  }
  // Subgroup B (Guangzhou, inter-city, female, 25-34): 30 rows, 6 without income.
  for (let i = 0; i < 30; i++) {
    records.push({
      wave: 2017, cityCode: '440100', stratum: '44', psu: `B${i % 6}`, weight: 1, male: 0, age: 30, migrationRange: 'inter_city', ruralHukou: i % 2,
      integrationIndex: 55 + 20 * random.uniform(), logHouseholdIncome: i < 6 ? null : 8 + random.uniform(), healthRecord: i % 3 === 0 ? 1 : 0, healthEducationAny: random.bernoulli(0.5),
      maritalStatus: 'first_married',
    });
  }
  // Subgroup C (Xining, inter-province): 200 rows; 4 remarried, 5 treated (health record), tiers and hukou balanced.
  for (let i = 0; i < 200; i++) {
    records.push({
      wave: 2017, cityCode: i < 100 ? '630100' : '110100', stratum: i < 100 ? '63' : '11', psu: `C${i % 20}`, weight: 1, male: i % 2, age: 20 + (i % 40), migrationRange: 'inter_province',
      ruralHukou: i % 3 === 0 ? 0 : 1, integrationIndex: 50 + 30 * random.uniform(), logHouseholdIncome: 8 + random.uniform(),
      healthRecord: i < 5 ? 1 : 0, healthEducationAny: i % 2, maritalStatus: i < 4 ? 'remarried' : 'first_married', selfRatedHealth: 1 + (i % 2),
    });
  }
  insertRespondents(db, datasetId, records);
});

afterAll(() => {
  db.$client.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

const run = (request: Record<string, unknown>) => runModelRequest(db.$client, datasetId, modelRequestSchema.parse({ wave: 2017, se: 'classical', ...request }), { limits: modelDisclosureLimits({}) });

/** The refusal message of a request, and a check that it states no count under the threshold. */
function refusal(request: Record<string, unknown>): string {
  let message: string;
  try {
    const output = run(request);
    throw new Error(`expected a refusal, got a result: ${JSON.stringify(output.result).slice(0, 300)}`);
  } catch (error) {
    message = (error as Error).message;
  }
  const numbers = [...message.matchAll(/\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));
  for (const value of numbers) expect([10, 30], `a count in "${message}"`).toContain(value);
  return message;
}

const subgroupA = { cities: ['440300'], range: 'inter_city', sex: 'male', ageBand: '25-34' };

describe('model output checking', () => {
  test('an OLS on rural hukou in a subgroup with one urban respondent is refused (the intercept would be their index)', () => {
    const message = refusal({ type: 'ols', outcome: 'integration_index', keys: ['rural_hukou'], subgroup: subgroupA });
    expect(message).toMatch(/Rural \(agricultural\) hukou.*fewer than 10 respondents/);
    expect(message).not.toMatch(/\b1 respondents?\b/);
  });

  test('the same for their log income and health record as outcomes, and as a logit', () => {
    refusal({ type: 'ols', outcome: 'log_household_income', keys: ['rural_hukou'], subgroup: subgroupA });
    refusal({ type: 'logit', outcome: 'health_record', keys: ['rural_hukou'], subgroup: subgroupA });
  });

  test('the 30-row minimum is checked after listwise deletion: 30 rows with 6 missing incomes are refused', () => {
    const message = refusal({ type: 'ols', outcome: 'integration_index', keys: ['log_household_income'], subgroup: { cities: ['440100'], range: 'inter_city', sex: 'female', ageBand: '25-34' } });
    expect(message).toMatch(/missing answer, fewer than 30 respondents remain/);
  });

  test('a factor level with fewer than 10 respondents is refused', () => {
    expect(refusal({ type: 'ols', outcome: 'integration_index', keys: ['log_household_income'], controls: ['marital_status'], subgroup: { range: 'inter_province' } })).toMatch(/A category of Marital status/);
  });

  test('an interaction cell with fewer than 10 respondents is refused', () => {
    // rural_hukou x male: both values of each have >= 10, but the treated (health record) x male cells do not.
    expect(
      refusal({ type: 'ols', outcome: 'integration_index', keys: ['male'], controls: ['rural_hukou', 'age'], interactions: [['rural_hukou', 'health_record']], subgroup: { range: 'inter_province' } }),
    ).toMatch(/Health record|combination/);
  });

  test('a PSM treated group of fewer than 10 is refused', () => {
    expect(refusal({ type: 'psm', outcome: 'integration_index', keys: ['health_record'], controls: ['age'], subgroup: { range: 'inter_province' } })).toMatch(/fewer than 10/);
  });

  test('a heterogeneity group of fewer than 10 is refused', () => {
    expect(refusal({ type: 'heterogeneity', outcome: 'integration_index', keys: ['log_household_income'], groupBy: 'rural_hukou', subgroup: subgroupA })).toMatch(/fewer than 10/);
  });

  test('a mediation whose treatment group has fewer than 10 is refused', () => {
    expect(refusal({ type: 'mediation', outcome: 'integration_index', keys: ['health_record'], mediator: 'self_rated_healthy', bootstrap: 0, subgroup: { range: 'inter_province' } })).toMatch(/fewer than 10/);
  });

  test('too few residual degrees of freedom are refused (the limit is configurable)', () => {
    // Xining's 100 complete rows and 3 coefficients leave 97 residual df: refused under a limit of 98, fitted under 10.
    const limits = modelDisclosureLimits({ MODEL_MIN_RESIDUAL_DF: '98' });
    expect(() =>
      runModelRequest(db.$client, datasetId, modelRequestSchema.parse({ wave: 2017, se: 'classical', type: 'ols', outcome: 'integration_index', keys: ['log_household_income', 'age'], subgroup: { cities: ['630100'], range: 'inter_province' } }), { limits }),
    ).toThrow(/residual degrees of freedom/);
    expect(run({ type: 'ols', outcome: 'integration_index', keys: ['log_household_income', 'age'], subgroup: { cities: ['630100'], range: 'inter_province' } }).disclosureChecked).toBe(1);
  });

  test('a well-sized model still runs and its result carries no fitted values, residuals or random-effect predictions', () => {
    const output = run({ type: 'ri_linear', outcome: 'integration_index', keys: ['log_household_income'], controls: ['male'], subgroup: { range: 'inter_province' } });
    const json = JSON.stringify(output.result);
    expect(json).not.toMatch(/"ranef"|"fitted|"residuals"/);
    expect(output.disclosureChecked).toBe(1);
  });

  test('sanitising drops the balance table means and hides the size of a heterogeneity group too small to fit', () => {
    const cleaned = sanitizeModelResult(
      {
        balance: [{ term: 'age', mean_treated_before: 31.2, mean_control_before: 30.1, smd_before: 0.1 }],
        subgroups: [{ level: 'urban', n: 12, share: 0.05, status: 'too_small', estimate: null }, { level: 'rural', n: 230, share: 0.95, status: 'estimated', estimate: 1.2 }],
        counts: { n: 242, treated: 40, control: 202, unmatched_treated: 3, matched_treated: 37 },
        fits: { lmer_reml: { ranef: { level: ['440300'], mode: [1.5] }, n: 242 } },
      },
      30,
    ) as Record<string, unknown>;
    expect(cleaned).toEqual({
      balance: [{ term: 'age', smd_before: 0.1 }],
      subgroups: [{ level: 'urban', n: null, share: null, status: 'too_small', estimate: null }, { level: 'rural', n: 230, share: 0.95, status: 'estimated', estimate: 1.2 }],
      counts: { n: 242, treated: 40, control: 202, unmatched_treated: null, matched_treated: 37 },
      fits: { lmer_reml: { n: 242 } },
    });
  });
});
