// Specification of the synthetic 2014 eight-city module: deterministic, n = 15,997, Table 1's marginals within stated
// tolerances, and a re-fit of Table 2 Model 1 that recovers every significant published coefficient within 2 SE.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import targets from '@/db/calibration-targets.json';
import { MODULE_2014_CITY_CODES } from '@/db/geography';
import type { RespondentRecord } from '@/db/respondents';
import { generateModule2014 } from '@/db/demo/module-2014';
import { fitRandomInterceptLogit } from '@/lib/stats/glmm';
import { buildModelFrame } from '@/lib/stats/model-frame';

const moduleTargets = targets.module_2014_eight_cities;
const table1 = moduleTargets.table1;
const model1 = moduleTargets.table2_model1_logit;
const records = generateModule2014();

const column = (pick: (r: RespondentRecord) => number) => records.map(pick);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};
const num = (value: unknown) => value as number;

/** Logit by Newton–Raphson with classical (inverse-information) standard errors, as R's glm(family = binomial). */
function fitLogit(y: number[], rows: number[][]): { coef: number[]; se: number[] } {
  const p = rows[0]!.length;
  let beta = new Array<number>(p).fill(0);
  let inverse: number[][] = [];
  for (let iteration = 0; iteration < 30; iteration++) {
    const gradient = new Array<number>(p).fill(0);
    const information = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    rows.forEach((x, i) => {
      const eta = x.reduce((a, v, j) => a + v * beta[j]!, 0);
      const mu = 1 / (1 + Math.exp(-eta));
      const w = mu * (1 - mu);
      for (let j = 0; j < p; j++) {
        gradient[j]! += (y[i]! - mu) * x[j]!;
        for (let k = 0; k <= j; k++) information[j]![k]! += w * x[j]! * x[k]!;
      }
    });
    for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) information[k]![j] = information[j]![k]!;
    inverse = invert(information);
    const step = inverse.map((row) => row.reduce((a, v, k) => a + v * gradient[k]!, 0));
    beta = beta.map((b, j) => b + step[j]!);
    if (Math.max(...step.map(Math.abs)) < 1e-9) break;
  }
  return { coef: beta, se: inverse.map((row, j) => Math.sqrt(row[j]!)) };
}

function invert(matrix: number[][]): number[][] {
  const p = matrix.length;
  const a = matrix.map((row, i) => [...row, ...Array.from({ length: p }, (_, k) => (k === i ? 1 : 0))]);
  for (let c = 0; c < p; c++) {
    let pivot = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[pivot]![c]!)) pivot = r;
    [a[c], a[pivot]] = [a[pivot]!, a[c]!];
    const d = a[c]![c]!;
    a[c] = a[c]!.map((v) => v / d);
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = a[r]![c]!;
      if (f !== 0) a[r] = a[r]!.map((v, k) => v - f * a[c]![k]!);
    }
  }
  return a.map((row) => row.slice(p));
}

/** Model 1's covariates in the paper's coding; employee and "no contract" are left out (not identified, SE 1.3). */
const MODEL1_TERMS: Array<[keyof typeof model1, (r: RespondentRecord) => number]> = [
  ['informal_participation', (r) => num(r.informalParticipation)],
  ['formal_participation', (r) => num(r.formalParticipation)],
  ['male', (r) => num(r.male)],
  ['age', (r) => num(r.age)],
  ['han', (r) => 1 - num(r.han)], // the paper's row is "ethnic minority"
  ['education', (r) => num(r.educationLevel)],
  ['unmarried', (r) => (r.maritalStatus === 'unmarried' ? 1 : 0)],
  ['newly_married', (r) => (r.maritalStatus === 'first_married' ? 1 : 0)],
  ['remarried', (r) => (r.maritalStatus === 'remarried' ? 1 : 0)],
  ['rural_hukou', (r) => num(r.ruralHukou)],
  ['constraints_of_hukou', (r) => num(r.constraintsOfHukou)],
  ['long_term_contract', (r) => (r.laborContract === 'long_term' ? 1 : 0)],
  ['working_hours', (r) => num(r.workingHours)],
  ['perceived_social_exclusion', (r) => num(r.perceivedSocialExclusion)],
  ['log_household_expenditure', (r) => num(r.logHouseholdExpenditure)],
  ['log_household_income', (r) => num(r.logHouseholdIncome)],
  ['good_community', (r) => num(r.goodCommunity)],
  ['neighbor_composition', (r) => num(r.neighborComposition)],
  ['community_activities', (r) => num(r.communityActivities)],
  ['duration_years', (r) => num(r.durationYears)],
  ['interprovincial', (r) => (r.migrationRange === 'inter_province' ? 1 : 0)],
  ['intraprovincial', (r) => (r.migrationRange === 'inter_city' ? 1 : 0)],
  ['business_reason', (r) => num(r.businessReason)],
  ['hometown_pressure', (r) => num(r.hometownPressure)],
  ['withdrawal_guarantee', (r) => num(r.withdrawalGuarantee)],
  ['government_training', (r) => num(r.governmentTraining)],
  ['city_log_gdp', (r) => num(r.cityLogGdp)],
  ['province_floating_share', (r) => num(r.provinceFloatingShare)],
];

describe('generateModule2014', () => {
  test('is deterministic and has the published n of 15,997 in the eight module cities', () => {
    expect(records.length).toBe(15_997);
    expect(generateModule2014().slice(0, 50)).toEqual(records.slice(0, 50));
    expect(new Set(records.map((r) => r.cityCode))).toEqual(new Set(MODULE_2014_CITY_CODES));
    expect(records.every((r) => r.wave === 2014 && r.stratum === r.cityCode && r.weight === 1)).toBe(true);
    expect(new Set(records.map((r) => r.psu)).size).toBeGreaterThanOrEqual(300);
    // 2017-only variables stay NULL
    expect(records.every((r) => r.healthRecord == null && r.insuranceType == null && r.integrationIndex == null)).toBe(true);
  });

  // Shares within ±0.02 of Table 1.
  const shareTargets: Array<[string, number, (r: RespondentRecord) => number]> = [
    ['local_identity_share', table1.local_identity_share, (r) => num(r.localIdentity)],
    ['informal_participation_share', table1.informal_participation_share, (r) => num(r.informalParticipation)],
    ['formal_participation_share', table1.formal_participation_share, (r) => num(r.formalParticipation)],
    ['male_share', table1.male_share, (r) => num(r.male)],
    ['han_share', table1.han_share, (r) => num(r.han)],
    ['unmarried_share', table1.unmarried_share, (r) => (r.maritalStatus === 'unmarried' ? 1 : 0)],
    ['newly_married_share', table1.newly_married_share, (r) => (r.maritalStatus === 'first_married' ? 1 : 0)],
    ['remarried_share', table1.remarried_share, (r) => (r.maritalStatus === 'remarried' ? 1 : 0)],
    ['employee_share', table1.employee_share, (r) => (r.employmentStatus === 'employee' ? 1 : 0)],
    ['employer_share', table1.employer_share, (r) => (r.employmentStatus === 'employer' ? 1 : 0)],
    ['rural_hukou_share', table1.rural_hukou_share, (r) => num(r.ruralHukou)],
    ['long_term_contract_share', table1.long_term_contract_share, (r) => (r.laborContract === 'long_term' ? 1 : 0)],
    // The paper's "no contract" includes everyone who is not an employee (see db/demo/module-2014.ts).
    ['no_labor_contract_share', table1.no_labor_contract_share, (r) => (r.laborContract === 'none' || r.laborContract === 'not_applicable' ? 1 : 0)],
    ['good_community_share', table1.good_community_share, (r) => num(r.goodCommunity)],
    ['government_training_share', table1.government_training_share, (r) => num(r.governmentTraining)],
    ['business_reason_share', table1.business_reason_share, (r) => num(r.businessReason)],
    ['interprovincial_share', table1.interprovincial_share, (r) => (r.migrationRange === 'inter_province' ? 1 : 0)],
    ['intraprovincial_share', table1.intraprovincial_share, (r) => (r.migrationRange === 'inter_city' ? 1 : 0)],
  ];
  test.each(shareTargets)('%s is within ±0.02 of Table 1 (%f)', (_, target, pick) => {
    expect(Math.abs(mean(column(pick)) - target)).toBeLessThanOrEqual(0.02);
  });

  // Means within ±0.1 SD and SDs within ±15% of Table 1.
  const meanSdTargets: Array<[string, readonly number[], (r: RespondentRecord) => number]> = [
    ['willingness_to_integrate_mean_sd', table1.willingness_to_integrate_mean_sd, (r) => num(r.willingnessToIntegrate)],
    ['age_mean_sd', table1.age_mean_sd, (r) => num(r.age)],
    ['education_mean_sd', table1.education_mean_sd, (r) => num(r.educationLevel)],
    ['constraints_of_hukou_mean_sd', table1.constraints_of_hukou_mean_sd, (r) => num(r.constraintsOfHukou)],
    ['working_hours_per_day_mean_sd', table1.working_hours_per_day_mean_sd, (r) => num(r.workingHours)],
    ['perceived_social_exclusion_mean_sd', table1.perceived_social_exclusion_mean_sd, (r) => num(r.perceivedSocialExclusion)],
    ['perceived_social_status_mean_sd', table1.perceived_social_status_mean_sd, (r) => num(r.perceivedSocialStatus)],
    ['log_household_expenditure_mean_sd', table1.log_household_expenditure_mean_sd, (r) => num(r.logHouseholdExpenditure)],
    ['log_household_income_mean_sd', table1.log_household_income_mean_sd, (r) => num(r.logHouseholdIncome)],
    ['neighbor_composition_mean_sd', table1.neighbor_composition_mean_sd, (r) => num(r.neighborComposition)],
    ['community_activities_mean_sd', table1.community_activities_mean_sd, (r) => num(r.communityActivities)],
    ['hometown_pressure_mean_sd', table1.hometown_pressure_mean_sd, (r) => num(r.hometownPressure)],
    ['withdrawal_guarantee_mean_sd', table1.withdrawal_guarantee_mean_sd, (r) => num(r.withdrawalGuarantee)],
    ['duration_years_mean_sd', table1.duration_years_mean_sd, (r) => num(r.durationYears)],
    ['city_log_gdp_mean_sd', table1.city_log_gdp_mean_sd, (r) => num(r.cityLogGdp)],
    ['province_floating_share_mean_sd', table1.province_floating_share_mean_sd, (r) => num(r.provinceFloatingShare)],
  ];
  test.each(meanSdTargets)('%s: mean within ±0.1 SD, SD within ±15% of Table 1', (_, [targetMean, targetSd], pick) => {
    const values = column(pick);
    expect(Math.abs(mean(values) - targetMean!)).toBeLessThanOrEqual(0.1 * targetSd!);
    expect(Math.abs(sd(values) / targetSd! - 1)).toBeLessThanOrEqual(0.15);
  });

  test('a labour contract applies to employees only', () => {
    expect(records.filter((r) => r.employmentStatus !== 'employee').every((r) => r.laborContract === 'not_applicable')).toBe(true);
  });

  test('re-fitting Model 1 recovers every significant published coefficient within two published SEs', () => {
    const fit = fitLogit(
      column((r) => num(r.localIdentity)),
      records.map((r) => [1, ...MODEL1_TERMS.map(([, pick]) => pick(r))]),
    );
    for (const [name, , index] of MODEL1_TERMS.map(([name, pick], i) => [name, pick, i + 1] as const)) {
      const [published, publishedSe] = model1[name] as number[];
      if (Math.abs(published! / publishedSe!) <= 1.96) continue;
      const refitted = fit.coef[index]!;
      expect(Math.sign(refitted), name).toBe(Math.sign(published!));
      expect(Math.abs(refitted - published!), `${name}: ${refitted.toFixed(3)} vs ${published}`).toBeLessThanOrEqual(2 * publishedSe!);
    }
  });

  test("the null model's latent ICC is the published 0.037 (within 0.001)", () => {
    const table = {
      nrow: records.length,
      columns: new Map<string, Float64Array | (string | null)[]>([
        ['local_identity', Float64Array.from(records, (r) => num(r.localIdentity))],
        ['city_code', records.map((r) => r.cityCode)],
      ]),
    };
    const frame = buildModelFrame(table, { family: 'binomial', outcome: 'local_identity', predictors: [], random_intercept: 'city_code' });
    const fit = fitRandomInterceptLogit(frame, { nAGQ: 1 });
    const icc = fit.random_intercept!.icc;
    expect(Math.abs(icc - moduleTargets.icc_null_model_latent), `ICC ${icc.toFixed(4)}`).toBeLessThan(0.001);
    // And glmer agrees on these data (tests/fixtures/r/module-2014-icc.R): variance within 1e-3, as the GLMM tests.
    const lme4 = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'r', 'module-2014-icc.json'), 'utf8'));
    expect(Math.abs(lme4.icc - moduleTargets.icc_null_model_latent)).toBeLessThan(0.001);
    expect(Math.abs(fit.random_intercept!.variance / lme4.variance - 1)).toBeLessThan(1e-3);
    expect(Math.abs(fit.loglik - lme4.loglik)).toBeLessThan(1e-4);
  });
});
