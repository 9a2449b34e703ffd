// Synthetic 2017 national wave (169,989 respondents in 72 cities): a stratified two-stage design with provinces as
// strata and communities as PSUs, and variables calibrated to db/calibration-targets.json (see docs/data-generation.md).
import targets from '../calibration-targets.json';
import { deriveRespondentVariables } from '../../lib/indicators/derive';
import type { RespondentRecord } from '../respondents';
import { CITIES, provinceOf, type City, type CityTier, type Province, type Region } from '../geography';
import { createRandom, logistic, logit, type Random } from './random';
import { bernoulliColumn, calibratedItem, calibrateIntercept, round, standardise, weightedQuantiles } from './calibrate';
import { MIGRATION_RANGES } from '../../lib/domain';

const national = targets.national_wave_2017;
export const NATIONAL_2017_SEED = 2017_0501;
export const NATIONAL_2017_N = national.design.n_2017; // 169,989
export const RESPONDENTS_PER_PSU = 20;
const SURVEY_YEAR = 2017;

// Relative sample sizes and migrant populations (persons) by tier: large cities are sampled more but less than in
// proportion to their migrant population, so weights vary across cities as in a PPS design with provincial quotas.
const TIER_SAMPLE: Record<CityTier, number> = { tier1: 6000, new_tier1: 3500, tier2: 2200, tier3: 1500, tier4plus: 1000 };
const TIER_POPULATION: Record<CityTier, number> = { tier1: 8e6, new_tier1: 3e6, tier2: 1.4e6, tier3: 7e5, tier4plus: 3e5 };
// BPHS effect on integration is larger in higher-tier cities (Sustainability 2023 15(3):2420).
const TIER_BPHS_EFFECT: Record<CityTier, number> = { tier1: 0.42, new_tier1: 0.36, tier2: 0.3, tier3: 0.22, tier4plus: 0.16 };
// Integration higher in small cities (Xing, Huang, Xue 2022).
const TIER_INTEGRATION: Record<CityTier, number> = { tier1: -0.3, new_tier1: -0.1, tier2: 0, tier3: 0.15, tier4plus: 0.25 };
const REGION_INTEGRATION: Record<Region, number> = { east: -0.1, central: 0.05, west: 0.1, northeast: 0.3 };
// Higher in Shandong and Sichuan–Chongqing, lower on the south-east coast (Guangdong, Fujian, Zhejiang).
const PROVINCE_INTEGRATION: Record<string, number> = { '37': 0.25, '51': 0.2, '50': 0.2, '44': -0.25, '35': -0.15, '33': -0.15 };
// Relative inter-provincial shares by province (high in the coastal destinations, low in the centre and most of the
// west; Xinjiang and Tibet draw from far away). One common logit shift brings the nation to the published 0.512.
const INTERPROVINCIAL_SHARE: Record<string, number> = {
  '11': 0.85, '31': 0.85, '12': 0.75, '44': 0.75, '33': 0.8, '32': 0.6, '35': 0.55, '46': 0.5, '13': 0.3, '37': 0.3,
  '65': 0.6, '54': 0.55, '63': 0.4, '64': 0.4, '15': 0.35, '21': 0.25, '22': 0.2, '23': 0.15,
};
const INTERPROVINCIAL_DEFAULT: Record<Region, number> = { east: 0.5, central: 0.15, west: 0.15, northeast: 0.2 };
const HEALTH_RECORD_BY_PROVINCE: Record<string, number> = Object.fromEntries(
  Object.entries(national.health_records_established.by_province_2016_2017_east).flatMap(([name, value]) =>
    typeof value === 'number' ? [[name, value]] : [],
  ),
);

// Residence duration: a quarter arrived within the year (composition_2015, 0.257), the rest log-normal; together they
// give the deck's mean 6.1 and median 4.3 years (parameters tuned by simulation, see docs/data-generation.md).
const RECENT_ARRIVAL_SHARE = 0.245;
const SETTLED_LOG_DURATION = { mean: 1.82, sd: 0.82 };

const MARITAL_STATUSES = ['unmarried', 'first_married', 'remarried', 'divorced_widowed'] as const;
const EMPLOYMENT_STATUSES = ['employee', 'employer', 'self_employed', 'other'] as const;
const LABOR_CONTRACTS = ['long_term', 'fixed_term', 'none'] as const;
const EDUCATION_CUTS = [-2.3, -1.1, 0.25, 1.0, 1.6, 2.5];
const INSURANCE_TYPES_RURAL = ['ncms', 'uebmi', 'urbmi', 'other'] as const;
const INSURANCE_TYPES_URBAN = ['uebmi', 'urbmi', 'urban_rural_resident', 'other'] as const;
// Insured where they live: nearly always for employee insurance, rarely for the origin county's NCMS.
const LOCAL_INSURANCE_PROBABILITY: Record<string, number> = { ncms: 0.06, uebmi: 0.88, urbmi: 0.45, urban_rural_resident: 0.4, other: 0.5 };

interface CityDesign {
  city: City;
  province: Province;
  sampleSize: number;
  population: number;
  interprovincialLogit: number;
  integrationEffect: number;
  healthRecordEffect: number;
  educationEffect: number;
  psus: Array<{ weightFactor: number; integration: number; services: number }>;
}

/** Sample sizes by city: tier quotas scaled to the total, the last city taking the rounding remainder. */
function allocateSample(total: number): number[] {
  const raw = CITIES.map((c) => TIER_SAMPLE[c.tier]);
  const sum = raw.reduce((a, b) => a + b, 0);
  let assigned = 0;
  return raw.map((r, i) => {
    const size = i === raw.length - 1 ? total - assigned : Math.round((r * total) / sum);
    assigned += size;
    return size;
  });
}

/** Stage 1: every city's migrant population, communities (PSUs) and random effects, drawn in a fixed order. */
function drawCityDesigns(random: Random, total: number): CityDesign[] {
  const sizes = allocateSample(total);
  return CITIES.map((city, c) => {
    const province = provinceOf(city);
    const sampleSize = sizes[c]!;
    const psuCount = Math.max(2, Math.round(sampleSize / RESPONDENTS_PER_PSU));
    const share = INTERPROVINCIAL_SHARE[province.code] ?? INTERPROVINCIAL_DEFAULT[province.region];
    return {
      city,
      province,
      sampleSize,
      population: TIER_POPULATION[city.tier] * Math.exp(random.normal(0, 0.3)),
      interprovincialLogit: logit(share) + random.normal(0, 0.15),
      integrationEffect: random.normal(0, 0.25),
      healthRecordEffect: random.normal(0, 0.35),
      educationEffect: random.normal(0, 0.4),
      // The weight factor stands for the gap between a community's frame size and its size at fieldwork (PPS on
      // outdated measures of size), which is what makes real CMDS weights vary within a city.
      psus: Array.from({ length: psuCount }, () => ({
        weightFactor: Math.exp(random.normal(0, 0.35)),
        integration: random.normal(0, 0.15),
        services: random.normal(0, 0.3),
      })),
    };
  });
}

/**
 * The 2017 national wave: one plain respondent record per row (drizzle field names, no id/datasetId), identical for the
 * same seed and n. Full scale is the published 169,989 respondents.
 */
export function generateNational2017(options: { seed?: number; n?: number; samePanelAs2017?: boolean } = {}): RespondentRecord[] {
  const random = createRandom(options.seed ?? NATIONAL_2017_SEED);
  const total = options.n ?? NATIONAL_2017_N;
  const designs = drawCityDesigns(random, total);
  // Other waves of the same panel (db/demo/national-waves.ts) keep 2017's city-level effects, so city trends mean
  // something; their communities (PSUs) and respondents are drawn afresh.
  if (options.samePanelAs2017) {
    const reference = drawCityDesigns(createRandom(NATIONAL_2017_SEED), NATIONAL_2017_N);
    designs.forEach((design, c) => {
      const { population, interprovincialLogit, integrationEffect, healthRecordEffect, educationEffect } = reference[c]!;
      Object.assign(design, { population, interprovincialLogit, integrationEffect, healthRecordEffect, educationEffect });
    });
  }

  // One logit shift for all provinces so that the population-weighted inter-provincial share is the published one.
  const interprovincialShift = calibrateIntercept(
    Float64Array.from(designs, (d) => d.interprovincialLogit),
    Float64Array.from(designs, (d) => d.population),
    Int32Array.from(designs.keys()),
    national.composition_2015.interprovincial,
  );

  // Stage 2: respondents, column by column (typed arrays keep 170,000 rows fast and light).
  const n = designs.reduce((a, d) => a + d.sampleSize, 0);
  const cityIndex = new Int16Array(n);
  const psuIndex = new Int16Array(n);
  const weights = new Float64Array(n);
  const age = new Int8Array(n);
  const male = new Int8Array(n);
  const ruralHukou = new Int8Array(n);
  const han = new Int8Array(n);
  const educationLatent = new Float64Array(n);
  const educationLevel = new Int8Array(n);
  const migrationRange = new Int8Array(n);
  const duration = new Float64Array(n);
  const marital = new Int8Array(n);
  const employment = new Int8Array(n);
  const contract = new Int8Array(n); // -1 not applicable
  const workingHours = new Float64Array(n);
  const logIncome = new Float64Array(n);

  let i = 0;
  designs.forEach((design, c) => {
    const { city, province } = design;
    const interprovincialProbability = logistic(design.interprovincialLogit + interprovincialShift);
    const baseWeight = design.population / design.sampleSize;
    for (let k = 0; k < design.sampleSize; k++, i++) {
      const psu = k % design.psus.length;
      cityIndex[i] = c;
      psuIndex[i] = psu;
      weights[i] = baseWeight * design.psus[psu]!.weightFactor;
      // Age in completed years, N(37.7, 9.5²) truncated to 15–59: mean 37.2 as composition_2015.
      let years: number;
      do years = random.normal(37.73, 9.5);
      while (years < 15 || years >= 60);
      age[i] = Math.floor(years);
      male[i] = random.bernoulli(national.composition_2015.male);
      ruralHukou[i] = random.bernoulli(city.tier === 'tier1' ? 0.8 : 0.87);
      han[i] = random.bernoulli(province.region === 'west' ? 0.86 : 0.97);
      educationLatent[i] = random.normal(0, 1) + (ruralHukou[i] ? -0.35 : 0.6) - 0.02 * (age[i]! - 36);
      educationLevel[i] = 1 + EDUCATION_CUTS.filter((cut) => educationLatent[i]! > cut).length;
      const rangeDraw = random.uniform();
      const rest = 1 - interprovincialProbability;
      migrationRange[i] = rangeDraw < interprovincialProbability ? 0 : rangeDraw < interprovincialProbability + 0.6 * rest ? 1 : 2;
      duration[i] = drawDuration(random, age[i]!);
      const pUnmarried = logistic(-0.3 * (age[i]! - 26));
      const maritalDraw = random.uniform();
      marital[i] = maritalDraw < pUnmarried ? 0 : maritalDraw < pUnmarried + (1 - pUnmarried) * 0.955 ? 1 : maritalDraw < pUnmarried + (1 - pUnmarried) * 0.98 ? 2 : 3;
      employment[i] = random.categorical([0.56, 0.07, 0.32, 0.05]);
      contract[i] = employment[i] === 0 ? random.categorical([0.45, 0.2, 0.35]) : -1;
      workingHours[i] = round(Math.min(16, Math.max(2, random.normal(9, 2))), 1);
      logIncome[i] = round(8.75 + 0.12 * educationLatent[i]! + (city.tier === 'tier1' ? 0.35 : 0) + random.normal(0, 0.5), 3);
    }
  });
  const all = Int32Array.from({ length: n }, (_, k) => k);
  const tierOf = (k: number): CityTier => designs[cityIndex[k]!]!.city.tier;
  const isIntraProvincial = (k: number): number => (migrationRange[k] === 0 ? 0 : 1);

  // Health records: province targets from Huang et al. 2020 for the eastern provinces; the rest share one level
  // chosen so the national share is 0.30. Intra-provincial migrants (marginal OR ≈ 1.2, Yang et al. 2022), urban hukou and
  // longer residence are more likely to have one.
  const recordEta = Float64Array.from(all, (k) => {
    const design = designs[cityIndex[k]!]!;
    return design.healthRecordEffect + design.psus[psuIndex[k]!]!.services + 0.35 * isIntraProvincial(k) + (ruralHukou[k] ? 0 : 0.1) + 0.04 * Math.min(duration[k]!, 10);
  });
  const rowsByProvince = new Map<string, number[]>();
  for (const k of all) {
    const code = designs[cityIndex[k]!]!.province.code;
    const rows = rowsByProvince.get(code);
    if (rows) rows.push(k);
    else rowsByProvince.set(code, [k]);
  }
  const weightOf = (rows: Iterable<number>): number => {
    let sum = 0;
    for (const row of rows) sum += weights[row]!;
    return sum;
  };
  let listedWeight = 0;
  let listedMass = 0;
  for (const rows of rowsByProvince.values()) {
    const target = HEALTH_RECORD_BY_PROVINCE[designs[cityIndex[rows[0]!]!]!.province.nameEn];
    if (target === undefined) continue;
    listedWeight += weightOf(rows);
    listedMass += weightOf(rows) * target;
  }
  const totalWeight = weightOf(all);
  const unlistedTarget = Math.min(0.6, Math.max(0.1, (national.health_records_established.overall * totalWeight - listedMass) / (totalWeight - listedWeight)));
  const healthRecord = new Int8Array(n);
  for (const rows of rowsByProvince.values()) {
    const target = HEALTH_RECORD_BY_PROVINCE[designs[cityIndex[rows[0]!]!]!.province.nameEn] ?? unlistedTarget;
    const a = calibrateIntercept(recordEta, weights, rows, target);
    for (const k of rows) healthRecord[k] = random.bernoulli(logistic(a + recordEta[k]!));
  }

  // Health education: any in the past year (0.731), more likely with a health record; topics only given any, tied
  // together by one intensity so that people who got one topic tend to get several.
  const educationEta = Float64Array.from(all, (k) => {
    const design = designs[cityIndex[k]!]!;
    return design.educationEffect + design.psus[psuIndex[k]!]!.services + 0.9 * healthRecord[k]! + 0.05 * (educationLevel[k]! - 3);
  });
  const educationAny = bernoulliColumn(random, educationEta, calibrateIntercept(educationEta, weights, all, national.health_education.any_past_year));
  const educated = all.filter((k) => educationAny[k] === 1);
  const educatedWeight = weightOf(educated);
  const intensity = Float64Array.from(all, () => random.normal(0, 1.2));
  const topicShares = national.health_education.topics;
  const topicTargets = [
    topicShares.smoking_control, topicShares.maternal_child_health, topicShares.reproductive_health_contraception,
    topicShares.emergency_self_rescue, topicShares.std_aids, topicShares.chronic_disease, topicShares.mental_health,
    topicShares.tuberculosis, topicShares.occupational_disease,
  ];
  const topicFlags = topicTargets.map((target) => {
    const conditional = Math.min(0.99, (target * totalWeight) / educatedWeight);
    const a = calibrateIntercept(intensity, weights, educated, conditional);
    return Int8Array.from(all, (k) => (educationAny[k] ? random.bernoulli(logistic(a + intensity[k]!)) : 0));
  });

  // Self-rated health (1 healthy … 4 cannot care for self): younger, more educated and BPHS recipients feel healthier
  // (the mediator of seed 000). Cut at the weighted quantiles of the published shares.
  const healthScore = Float64Array.from(
    all,
    (k) => -0.045 * (age[k]! - 36) + 0.12 * (educationLevel[k]! - 3) + 0.3 * healthRecord[k]! + 0.25 * educationAny[k]! + random.normal(0, 1),
  );
  const healthShares = national.self_rated_health.approximate_shares;
  const [cut4, cut3, cut2] = weightedQuantiles(healthScore, weights, [
    healthShares[3]!,
    healthShares[3]! + healthShares[2]!,
    healthShares[3]! + healthShares[2]! + healthShares[1]!,
  ]) as [number, number, number];
  const selfRatedHealth = Int8Array.from(healthScore, (h) => (h >= cut2 ? 1 : h >= cut3 ? 2 : h >= cut4 ? 3 : 4));

  // Latent integration: city, community, region, province and tier effects; BPHS (direct, stronger in higher tiers and
  // for intra-provincial migrants, and through self-rated health); residence, hukou, education. Standardised.
  const integration = Float64Array.from(all, (k) => {
    const design = designs[cityIndex[k]!]!;
    const tier = design.city.tier;
    const bphs = (healthRecord[k]! + educationAny[k]!) / 2;
    const intra = isIntraProvincial(k);
    return (
      design.integrationEffect +
      design.psus[psuIndex[k]!]!.integration +
      REGION_INTEGRATION[design.province.region] +
      (PROVINCE_INTEGRATION[design.province.code] ?? 0) +
      TIER_INTEGRATION[tier] +
      (TIER_BPHS_EFFECT[tier] + 0.12 * intra) * 2 * bphs +
      0.25 * (selfRatedHealth[k] === 1 ? 1 : 0) +
      0.2 * intra +
      0.03 * Math.min(duration[k]!, 15) +
      (ruralHukou[k] ? 0 : 0.15) +
      0.04 * (educationLevel[k]! - 3) +
      random.normal(0, 0.9)
    );
  });
  standardise(integration);

  const itemTargets = national.integration_items_1_to_4;
  const itemSpecs: Array<[number, number]> = [
    itemTargets.like_the_city, itemTargets.attention_to_city_changes, itemTargets.willing_to_integrate,
    itemTargets.locals_accept_me, itemTargets.locals_look_down_on_outsiders_reversed, itemTargets.hygiene_habits_differ_reversed,
  ].map(([mean, sd]) => [mean!, sd!]);
  const items = itemSpecs.map(([mean, sd], item) => {
    const loading = item < 4 ? 0.8 : 0.55; // the two reverse-coded items measure integration less well
    const latent = Float64Array.from(integration, (z) => loading * z + Math.sqrt(1 - loading * loading) * random.normal(0, 1));
    return calibratedItem(latent, weights, mean, sd);
  });

  // Outcomes of integration: local identity (~0.35; the 2014 module's 0.22 rose with the hukou reform), social
  // participation, long-term residence (0.614) and hukou transfer (0.487 among long-term stayers, lower otherwise).
  const identityEta = Float64Array.from(integration, (z) => 1.1 * z);
  const localIdentity = bernoulliColumn(random, identityEta, calibrateIntercept(identityEta, weights, all, 0.35));
  const participationEta = Float64Array.from(integration, (z) => 0.6 * z);
  const socialParticipation = bernoulliColumn(random, participationEta, calibrateIntercept(participationEta, weights, all, 0.24));
  const stayEta = Float64Array.from(all, (k) => 0.8 * integration[k]! + 0.05 * Math.min(duration[k]!, 15));
  const longTermResidence = bernoulliColumn(random, stayEta, calibrateIntercept(stayEta, weights, all, national.intentions.long_term_residence_intention_2016));
  const stayers = all.filter((k) => longTermResidence[k] === 1);
  const transferEta = Float64Array.from(all, (k) => 0.6 * integration[k]! + (tierOf(k) === 'tier1' || tierOf(k) === 'new_tier1' ? 0.3 : 0));
  const transferIntercept = calibrateIntercept(transferEta, weights, stayers, national.intentions.willing_to_transfer_hukou_among_stayers_2016);
  const transferHukou = Int8Array.from(all, (k) => random.bernoulli(logistic(transferIntercept + transferEta[k]! - (longTermResidence[k] ? 0 : 1.3))));

  const records = new Array<RespondentRecord>(n);
  for (let k = 0; k < n; k++) {
    const design = designs[cityIndex[k]!]!;
    const insuranceAny = random.bernoulli(national.insurance.any_medical_insurance_2016_deck);
    const insuranceType = !insuranceAny
      ? 'none'
      : ruralHukou[k]
        ? INSURANCE_TYPES_RURAL[random.categorical([0.647, 0.219, 0.072, 0.062])]!
        : INSURANCE_TYPES_URBAN[random.categorical([0.6, 0.25, 0.1, 0.05])]!;
    const insuranceLocal = insuranceAny ? random.bernoulli(LOCAL_INSURANCE_PROBABILITY[insuranceType] ?? 0.5) : null;
    records[k] = deriveRespondentVariables<RespondentRecord>({
      wave: SURVEY_YEAR,
      sourceId: null,
      cityCode: design.city.code,
      stratum: design.province.code,
      psu: `${design.city.code}-${String(psuIndex[k]! + 1).padStart(3, '0')}`,
      weight: round(weights[k]!, 3),
      male: male[k]!,
      age: age[k]!,
      birthYear: SURVEY_YEAR - age[k]!,
      educationLevel: educationLevel[k]!,
      han: han[k]!,
      maritalStatus: MARITAL_STATUSES[marital[k]!]!,
      ruralHukou: ruralHukou[k]!,
      migrationRange: MIGRATION_RANGES[migrationRange[k]!]!,
      durationYears: round(duration[k]!, 1),
      employmentStatus: EMPLOYMENT_STATUSES[employment[k]!]!,
      laborContract: contract[k]! < 0 ? 'not_applicable' : LABOR_CONTRACTS[contract[k]!]!,
      workingHours: workingHours[k]!,
      logHouseholdIncome: logIncome[k]!,
      // Not generated for 2017 (no published figure to calibrate to); the 2014 module's own variables stay NULL.
      logHouseholdExpenditure: null,
      businessReason: null,
      localIdentity: localIdentity[k]!,
      willingnessToIntegrate: null,
      informalParticipation: null,
      formalParticipation: null,
      constraintsOfHukou: null,
      perceivedSocialExclusion: null,
      perceivedSocialStatus: null,
      goodCommunity: null,
      neighborComposition: null,
      communityActivities: null,
      governmentTraining: null,
      hometownPressure: null,
      withdrawalGuarantee: null,
      cityLogGdp: null,
      provinceFloatingShare: null,
      healthRecord: healthRecord[k]!,
      healthEducationAny: educationAny[k]!,
      healthEducationTopics: null,
      heSmokingControl: topicFlags[0]![k]!,
      heMaternalChild: topicFlags[1]![k]!,
      heReproductive: topicFlags[2]![k]!,
      heEmergency: topicFlags[3]![k]!,
      heStdAids: topicFlags[4]![k]!,
      heChronicDisease: topicFlags[5]![k]!,
      heMentalHealth: topicFlags[6]![k]!,
      heTuberculosis: topicFlags[7]![k]!,
      heOccupationalDisease: topicFlags[8]![k]!,
      insuranceAny,
      insuranceType,
      insuranceLocal,
      bphsIndex: null,
      selfRatedHealth: selfRatedHealth[k]!,
      integLikeCity: items[0]![k]!,
      integAttention: items[1]![k]!,
      integWilling: items[2]![k]!,
      integAccepted: items[3]![k]!,
      integLookedDownRev: items[4]![k]!,
      integHygieneRev: items[5]![k]!,
      integrationIndex: null,
      socialParticipation: socialParticipation[k]!,
      longTermResidence: longTermResidence[k]!,
      transferHukou: transferHukou[k]!,
    });
  }
  return records;
}

/** Years in the current city: recent arrivals uniform in (0.1, 1], the others log-normal, never longer than age − 1. */
function drawDuration(random: Random, age: number): number {
  if (random.uniform() < RECENT_ARRIVAL_SHARE) return 0.1 + 0.9 * random.uniform();
  const limit = age - 1;
  let years = Infinity;
  // A few redraws rather than a cap, so that few respondents pile up at the limit.
  for (let attempt = 0; attempt < 6 && years > limit; attempt++) years = Math.exp(random.normal(SETTLED_LOG_DURATION.mean, SETTLED_LOG_DURATION.sd));
  return Math.min(years, limit);
}
