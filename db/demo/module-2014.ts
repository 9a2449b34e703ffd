// Synthetic 2014 eight-city social-integration module (n = 15,997; seed 001): covariates with Table 1's marginals and
// local identity drawn from a random-intercept logit with Table 2's coefficients and the published ICC of 0.037.
import targets from '../calibration-targets.json';
import type { RespondentRecord } from '../respondents';
import { MODULE_2014_CITY_CODES } from '../geography';
import { createRandom, logistic, type Random } from './random';

const moduleTargets = targets.module_2014_eight_cities;
const table1 = moduleTargets.table1;
const model1 = moduleTargets.table2_model1_logit;
const model3 = moduleTargets.table2_model3_interactions_logit;

// Seed 3 is the first of seeds 1–6 whose Model 1 refit lands within two published SEs of every significant
// coefficient (about half of the seeds do: 15 coefficients each inside 2 SE with 95% probability); see docs.
export const MODULE_2014_SEED = 3;
export const MODULE_2014_N = moduleTargets.n; // 15,997
const PSUS_PER_CITY = 50;

/** City-level covariates of the eight module cities (log GDP of 2013 and the province's floating-population share). */
const CITY_LEVEL: Record<string, { logGdp: number; floatingShare: number; sampleShare: number }> = {
  // Shenzhen and Zhongshan share Guangdong's floating share; the eight values average Table 1's 0.30 (SD 0.18).
  '110100': { logGdp: 8.2, floatingShare: 0.38, sampleShare: 0.125 },
  '510100': { logGdp: 7.8, floatingShare: 0.1, sampleShare: 0.125 },
  '330400': { logGdp: 7.4, floatingShare: 0.45, sampleShare: 0.125 },
  '370200': { logGdp: 7.9, floatingShare: 0.1, sampleShare: 0.125 },
  '350200': { logGdp: 7.5, floatingShare: 0.3, sampleShare: 0.125 },
  '440300': { logGdp: 8.3, floatingShare: 0.52, sampleShare: 0.125 },
  '410100': { logGdp: 7.8, floatingShare: 0.05, sampleShare: 0.125 },
  '442000': { logGdp: 7.5, floatingShare: 0.52, sampleShare: 0.125 },
};

/** Latent-scale variance of the city intercept implied by ICC = var / (var + pi^2/3). */
export const MODULE_2014_CITY_VARIANCE = (moduleTargets.icc_null_model_latent / (1 - moduleTargets.icc_null_model_latent)) * (Math.PI ** 2 / 3);

/**
 * The eight city intercepts are drawn with MODULE_2014_CITY_VARIANCE and then multiplied by this factor, so that the
 * null model's latent ICC (glmer(local_identity ~ 1 + (1 | city_code)), Laplace) is the published 0.037 rather than
 * the 0.019 that seed 3's eight draws give; the published ICC is a fact about the null model, and eight draws of a
 * variance are too few to hit it by chance. Found by bisection on the engine's null-model fit (tests/demo).
 */
export const MODULE_2014_CITY_EFFECT_SCALE = 1.29;

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const roundTo = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** A count with the given mean and SD (negative binomial-like through a gamma–Poisson mixture, capped). */
function overdispersedCount(random: Random, mean: number, sd: number, max: number): number {
  const variance = sd * sd;
  const shape = variance > mean ? (mean * mean) / (variance - mean) : 50;
  // Gamma(shape, mean/shape) by the sum of exponentials for small shapes, normal approximation for large ones.
  const scale = mean / shape;
  const lambda = shape > 10 ? Math.max(0, random.normal(mean, Math.sqrt(shape) * scale)) : gammaDraw(random, shape) * scale;
  let k = 0;
  let p = Math.exp(-lambda);
  let cumulative = p;
  const u = random.uniform();
  while (u > cumulative && k < max) {
    k += 1;
    p *= lambda / k;
    cumulative += p;
  }
  return k;
}

function gammaDraw(random: Random, shape: number): number {
  // Marsaglia–Tsang, with the shape < 1 boost.
  if (shape < 1) return gammaDraw(random, shape + 1) * random.uniform() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = random.normal();
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = random.uniform();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

export function generateModule2014(options: { seed?: number } = {}): RespondentRecord[] {
  const random = createRandom(options.seed ?? MODULE_2014_SEED);
  const n = MODULE_2014_N;
  const cityCodes = [...MODULE_2014_CITY_CODES];
  const cityEffect = new Map<string, number>(cityCodes.map((code) => [code, MODULE_2014_CITY_EFFECT_SCALE * random.normal(0, Math.sqrt(MODULE_2014_CITY_VARIANCE))]));
  const records: RespondentRecord[] = [];
  const linear: number[] = [];

  for (let i = 0; i < n; i++) {
    const cityCode = cityCodes[i % cityCodes.length] as string;
    const city = CITY_LEVEL[cityCode]!;
    const psuIndex = Math.floor(i / cityCodes.length) % PSUS_PER_CITY;
    const male = random.bernoulli(table1.male_share);
    const age = clamp(random.normal(table1.age_mean_sd[0], table1.age_mean_sd[1]), 16, 59);
    const education = clamp(Math.round(random.normal(table1.education_mean_sd[0], table1.education_mean_sd[1])), 1, 7);
    const han = random.bernoulli(table1.han_share);
    const pUnmarried = clamp(logistic(-0.3 * (age - 25.5)), 0, 1);
    const maritalDraw = random.uniform();
    const married = 1 - table1.unmarried_share;
    const maritalStatus =
      maritalDraw < pUnmarried
        ? 'unmarried'
        : maritalDraw < pUnmarried + (1 - pUnmarried) * (table1.newly_married_share / married)
          ? 'first_married'
          : maritalDraw < pUnmarried + (1 - pUnmarried) * ((table1.newly_married_share + table1.remarried_share) / married)
            ? 'remarried'
            : 'divorced_widowed';
    const ruralHukou = random.bernoulli(table1.rural_hukou_share);
    const employment = ['employee', 'employer', 'self_employed'][
      random.categorical([table1.employee_share, table1.employer_share, 1 - table1.employee_share - table1.employer_share])
    ] as string;
    // Table 1's "no labour contract" share (0.369) is exactly the non-employee share (1 - 0.631): the paper coded
    // employers and the self-employed as having no contract, which is why its employee and no-contract coefficients
    // are not identified (SE 1.3). Here they are not_applicable, and employees hold long-term or fixed-term
    // contracts so that the long-term share of all respondents stays 0.442. One uniform draw either way keeps the
    // random stream (and so the calibrated seed) unchanged.
    const contractDraw = random.uniform();
    const contract =
      employment !== 'employee' ? 'not_applicable' : contractDraw < table1.long_term_contract_share / table1.employee_share ? 'long_term' : 'fixed_term';
    const rangeDraw = random.uniform();
    const migrationRange = rangeDraw < table1.interprovincial_share ? 'inter_province' : rangeDraw < table1.interprovincial_share + table1.intraprovincial_share ? 'inter_city' : 'inter_county';
    const incomeShock = random.normal();
    const logIncome = table1.log_household_income_mean_sd[0]! + table1.log_household_income_mean_sd[1]! * incomeShock;
    const logExpenditure =
      table1.log_household_expenditure_mean_sd[0]! + table1.log_household_expenditure_mean_sd[1]! * (0.6 * incomeShock + 0.8 * random.normal());
    const durationMean = table1.duration_years_mean_sd[0]!;
    const durationSd = table1.duration_years_mean_sd[1]!;
    const durationSigma = Math.sqrt(Math.log(1 + (durationSd / durationMean) ** 2));
    const duration = clamp(Math.exp(random.normal(Math.log(durationMean) - durationSigma ** 2 / 2, durationSigma)), 0.1, 40);
    const record: RespondentRecord = {
      wave: 2014,
      sourceId: null,
      cityCode,
      stratum: cityCode,
      psu: `${cityCode}-m${String(psuIndex + 1).padStart(2, '0')}`,
      weight: 1,
      male,
      age: roundTo(age, 1),
      birthYear: 2014 - Math.floor(age),
      educationLevel: education,
      han,
      maritalStatus,
      ruralHukou,
      migrationRange,
      durationYears: roundTo(duration, 1),
      employmentStatus: employment,
      laborContract: contract,
      workingHours: roundTo(clamp(random.normal(table1.working_hours_per_day_mean_sd[0], table1.working_hours_per_day_mean_sd[1]), 1, 18), 1),
      logHouseholdIncome: roundTo(logIncome, 3),
      logHouseholdExpenditure: roundTo(logExpenditure, 3),
      businessReason: random.bernoulli(table1.business_reason_share),
      informalParticipation: random.bernoulli(table1.informal_participation_share),
      formalParticipation: random.bernoulli(table1.formal_participation_share),
      constraintsOfHukou: clamp(Math.round(random.normal(table1.constraints_of_hukou_mean_sd[0], table1.constraints_of_hukou_mean_sd[1])), 0, 5),
      perceivedSocialExclusion: roundTo(random.normal(0, table1.perceived_social_exclusion_mean_sd[1]), 3),
      perceivedSocialStatus: roundTo(random.normal(0, table1.perceived_social_status_mean_sd[1]), 3),
      goodCommunity: random.bernoulli(table1.good_community_share),
      neighborComposition: 1 + random.categorical([0.45, 0.3, 0.25]),
      communityActivities: overdispersedCount(random, table1.community_activities_mean_sd[0]!, table1.community_activities_mean_sd[1]!, 6),
      governmentTraining: random.bernoulli(table1.government_training_share),
      hometownPressure: overdispersedCount(random, table1.hometown_pressure_mean_sd[0]!, table1.hometown_pressure_mean_sd[1]!, 8),
      withdrawalGuarantee: roundTo(Math.max(0, random.normal(table1.withdrawal_guarantee_mean_sd[0], table1.withdrawal_guarantee_mean_sd[1])), 3),
      cityLogGdp: city.logGdp,
      provinceFloatingShare: city.floatingShare,
    };
    records.push(record);
  }

  // Means of the moderators and of participation: the Model 3 interactions are centred on both sides, so that
  // Model 1's main effects (fitted without interactions) still hold.
  const mean = (key: keyof RespondentRecord) => records.reduce((a, r) => a + ((r[key] as number) ?? 0), 0) / n;
  const centre = {
    goodCommunity: mean('goodCommunity'),
    neighborComposition: mean('neighborComposition'),
    hometownPressure: mean('hometownPressure'),
    perceivedSocialStatus: mean('perceivedSocialStatus'),
    withdrawalGuarantee: mean('withdrawalGuarantee'),
    informalParticipation: mean('informalParticipation'),
    formalParticipation: mean('formalParticipation'),
  };

  for (const r of records) {
    const isp = r.informalParticipation as number;
    const fsp = r.formalParticipation as number;
    const ispCentred = isp - centre.informalParticipation;
    const fspCentred = fsp - centre.formalParticipation;
    const moderators = {
      community: (r.goodCommunity as number) - centre.goodCommunity,
      neighbor: (r.neighborComposition as number) - centre.neighborComposition,
      hometown: (r.hometownPressure as number) - centre.hometownPressure,
      status: (r.perceivedSocialStatus as number) - centre.perceivedSocialStatus,
      withdrawal: (r.withdrawalGuarantee as number) - centre.withdrawalGuarantee,
    };
    // Model 1 coefficients; employee and "no labour contract" are left at 0 because the published estimates are not
    // identified (SE 1.3, collinear in the original data); occupation dummies were not reported.
    linear.push(
      model1.informal_participation[0]! * isp +
        model1.formal_participation[0]! * fsp +
        model1.male[0]! * (r.male as number) +
        model1.age[0]! * (r.age as number) +
        model1.han[0]! * (1 - (r.han as number)) + // the paper's row is "ethnic minority"
        model1.education[0]! * (r.educationLevel as number) +
        model1.unmarried[0]! * (r.maritalStatus === 'unmarried' ? 1 : 0) +
        model1.newly_married[0]! * (r.maritalStatus === 'first_married' ? 1 : 0) +
        model1.remarried[0]! * (r.maritalStatus === 'remarried' ? 1 : 0) +
        model1.rural_hukou[0]! * (r.ruralHukou as number) +
        model1.constraints_of_hukou[0]! * (r.constraintsOfHukou as number) +
        model1.long_term_contract[0]! * (r.laborContract === 'long_term' ? 1 : 0) +
        model1.working_hours[0]! * (r.workingHours as number) +
        model1.perceived_social_exclusion[0]! * (r.perceivedSocialExclusion as number) +
        model1.log_household_expenditure[0]! * (r.logHouseholdExpenditure as number) +
        model1.log_household_income[0]! * (r.logHouseholdIncome as number) +
        model1.good_community[0]! * (r.goodCommunity as number) +
        model1.neighbor_composition[0]! * (r.neighborComposition as number) +
        model1.community_activities[0]! * (r.communityActivities as number) +
        model1.duration_years[0]! * (r.durationYears as number) +
        model1.interprovincial[0]! * (r.migrationRange === 'inter_province' ? 1 : 0) +
        model1.intraprovincial[0]! * (r.migrationRange === 'inter_city' ? 1 : 0) +
        model1.business_reason[0]! * (r.businessReason as number) +
        model1.hometown_pressure[0]! * (r.hometownPressure as number) +
        model1.withdrawal_guarantee[0]! * (r.withdrawalGuarantee as number) +
        model1.government_training[0]! * (r.governmentTraining as number) +
        model1.city_log_gdp[0]! * (r.cityLogGdp as number) +
        model1.province_floating_share[0]! * (r.provinceFloatingShare as number) +
        model3.perceived_social_status[0]! * (r.perceivedSocialStatus as number) +
        ispCentred *
          (model3.isp_x_good_community[0]! * moderators.community +
            model3.isp_x_neighbor_composition[0]! * moderators.neighbor +
            model3.isp_x_hometown_pressure[0]! * moderators.hometown +
            model3.isp_x_perceived_social_status[0]! * moderators.status +
            model3.isp_x_withdrawal_guarantee[0]! * moderators.withdrawal) +
        fspCentred *
          (model3.fsp_x_good_community[0]! * moderators.community +
            model3.fsp_x_neighbor_composition[0]! * moderators.neighbor +
            model3.fsp_x_hometown_pressure[0]! * moderators.hometown +
            model3.fsp_x_perceived_social_status[0]! * moderators.status +
            model3.fsp_x_withdrawal_guarantee[0]! * moderators.withdrawal) +
        (cityEffect.get(r.cityCode) ?? 0),
    );
  }

  // Intercept chosen so that the expected share identifying as local is Table 1's 22.0%.
  let lo = -20;
  let hi = 20;
  for (let iter = 0; iter < 60; iter++) {
    const mid = (lo + hi) / 2;
    const share = linear.reduce((a, eta) => a + logistic(mid + eta), 0) / n;
    if (share < table1.local_identity_share) lo = mid;
    else hi = mid;
  }
  const intercept = (lo + hi) / 2;
  // Willingness to integrate: a score with Table 1's mean 0 and SD 3.3 that shares the identity latent.
  const willingness = records.map((r, i) => {
    const eta = intercept + (linear[i] as number);
    r.localIdentity = random.bernoulli(logistic(eta));
    return 0.5 * eta + random.normal();
  });
  const wMean = willingness.reduce((a, b) => a + b, 0) / n;
  const wSd = Math.sqrt(willingness.reduce((a, b) => a + (b - wMean) ** 2, 0) / n);
  records.forEach((r, i) => {
    r.willingnessToIntegrate = roundTo((((willingness[i] as number) - wMean) / wSd) * table1.willingness_to_integrate_mean_sd[1]!, 3);
  });
  return records;
}
