// Synthetic 2017 national wave (about 170,000 respondents in 72 cities): a stratified two-stage design with provinces
// as strata and communities as PSUs, and variables calibrated to db/calibration-targets.json (see docs/data-generation.md).
import targets from '../calibration-targets.json';
import { deriveRespondentVariables } from '../../lib/indicators/derive';
import type { RespondentRecord } from './load';
import { CITIES, provinceOf, type City, type CityTier, type Region } from './geography';
import { createRandom, logistic, type Random } from './random';

const national = targets.national_wave_2017;
export const NATIONAL_2017_SEED = 2017_0501;
export const NATIONAL_2017_N = national.design.n_2017; // 169,989
const RESPONDENTS_PER_PSU = 20;

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
// Share of inter-provincial migrants by province (high in the coastal destinations, low in the west and centre).
const INTERPROVINCIAL_SHARE: Record<string, number> = {
  '11': 0.85, '31': 0.85, '12': 0.75, '44': 0.75, '33': 0.8, '32': 0.65, '35': 0.6, '46': 0.5, '13': 0.35, '37': 0.35,
  '65': 0.65, '54': 0.6, '63': 0.45, '64': 0.45, '15': 0.4, '21': 0.3, '22': 0.25, '23': 0.2,
};
const HEALTH_RECORD_BY_PROVINCE: Record<string, number> = Object.fromEntries(
  Object.entries(national.health_records_established.by_province_2016_2017_east).flatMap(([name, value]) =>
    typeof value === 'number' ? [[name, value]] : [],
  ),
);

interface Draft extends RespondentRecord {
  stratum: string;
}

function allocateSample(total: number): Map<string, number> {
  const raw = CITIES.map((c) => TIER_SAMPLE[c.tier]);
  const sum = raw.reduce((a, b) => a + b, 0);
  const sizes = new Map<string, number>();
  let assigned = 0;
  CITIES.forEach((city, i) => {
    const size = i === CITIES.length - 1 ? total - assigned : Math.round(((raw[i] ?? 0) * total) / sum);
    sizes.set(city.code, size);
    assigned += size;
  });
  return sizes;
}

/** Finds the intercept a with weighted mean of logistic(a + eta) equal to target over the selected rows. */
function calibrateIntercept(eta: Float64Array, weights: Float64Array, rows: ArrayLike<number>, target: number): number {
  let lo = -15;
  let hi = 15;
  for (let iter = 0; iter < 60; iter++) {
    const mid = (lo + hi) / 2;
    let num = 0;
    let den = 0;
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k] as number;
      const w = weights[i] as number;
      num += w * logistic(mid + (eta[i] as number));
      den += w;
    }
    if (num / den < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Weighted quantile of values over all rows. */
function weightedQuantiles(values: Float64Array, weights: Float64Array, probs: number[]): number[] {
  const order = Array.from(values.keys()).sort((a, b) => (values[a] as number) - (values[b] as number));
  const total = weights.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  let cumulative = 0;
  let p = 0;
  for (const i of order) {
    cumulative += weights[i] as number;
    while (p < probs.length && cumulative >= (probs[p] as number) * total) {
      out.push(values[i] as number);
      p++;
    }
  }
  while (out.length < probs.length) out.push(values[order[order.length - 1] as number] as number);
  return out;
}

/** Turns a latent score into a 1–4 item whose weighted mean and SD match the published ones. */
function calibratedItem(latent: Float64Array, weights: Float64Array, mean: number, sd: number): Int8Array {
  const out = new Int8Array(latent.length);
  let m = mean;
  let s = sd;
  for (let iter = 0; iter < 25; iter++) {
    let sw = 0;
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < latent.length; i++) {
      const v = Math.min(4, Math.max(1, Math.round(m + s * (latent[i] as number))));
      out[i] = v;
      const w = weights[i] as number;
      sw += w;
      s1 += w * v;
      s2 += w * v * v;
    }
    const gotMean = s1 / sw;
    const gotSd = Math.sqrt(Math.max(s2 / sw - gotMean * gotMean, 1e-9));
    m += mean - gotMean;
    s *= sd / gotSd;
  }
  return out;
}

export function generateNational2017(options: { seed?: number; n?: number } = {}): RespondentRecord[] {
  const random = createRandom(options.seed ?? NATIONAL_2017_SEED);
  const total = options.n ?? NATIONAL_2017_N;
  const sizes = allocateSample(total);
  const drafts: Draft[] = [];
  // Per-respondent city and latent pieces, kept beside the records so the records stay plain respondent rows.
  const draftCity: City[] = [];
  const draftRegion: Region[] = [];
  const latentIntegration: number[] = [];
  const latentHealth: number[] = [];
  const latentEducation: number[] = [];

  // Stage 1: cities and their communities (PSUs), with city-level effects shared by their residents.
  for (const city of CITIES) {
    const province = provinceOf(city);
    const n = sizes.get(city.code) ?? 0;
    const psuCount = Math.max(2, Math.round(n / RESPONDENTS_PER_PSU));
    const baseWeight = TIER_POPULATION[city.tier] / n;
    const cityIntegration = random.normal(0, 0.25);
    const cityHealthRecord = random.normal(0, 0.35);
    const cityEducation = random.normal(0, 0.4);
    const psuEffects = Array.from({ length: psuCount }, () => ({
      weight: Math.exp(random.normal(0, 0.35)),
      integration: random.normal(0, 0.15),
      services: random.normal(0, 0.3),
    }));
    const interShare = INTERPROVINCIAL_SHARE[province.code] ?? (province.region === 'east' ? 0.5 : 0.25);
    for (let k = 0; k < n; k++) {
      const psuIndex = k % psuCount;
      const psu = psuEffects[psuIndex] as (typeof psuEffects)[number];
      const age = Math.min(59, Math.max(15, random.normal(36.5, 9.5)));
      const male = random.bernoulli(0.586);
      const ruralHukou = random.bernoulli(city.tier === 'tier1' ? 0.8 : 0.87);
      const educationLatent = random.normal(0, 1) + (ruralHukou ? -0.35 : 0.6) - 0.02 * (age - 36);
      const educationLevel = 1 + [-2.3, -1.1, 0.25, 1.0, 1.6, 2.5].filter((cut) => educationLatent > cut).length;
      const rangeDraw = random.uniform();
      const migrationRange = rangeDraw < interShare ? 'inter_province' : rangeDraw < interShare + (1 - interShare) * 0.6 ? 'inter_city' : 'inter_county';
      const duration = Math.min(Math.max(age - 15, 0.1), Math.exp(random.normal(1.4586, 0.836)));
      const maritalDraw = random.uniform();
      const pUnmarried = logistic(-0.35 * (age - 24));
      const maritalStatus =
        maritalDraw < pUnmarried ? 'unmarried' : maritalDraw < pUnmarried + (1 - pUnmarried) * 0.955 ? 'first_married' : maritalDraw < pUnmarried + (1 - pUnmarried) * 0.98 ? 'remarried' : 'divorced_widowed';
      const employment = ['employee', 'employer', 'self_employed', 'other'][random.categorical([0.56, 0.07, 0.32, 0.05])] as string;
      drafts.push({
        wave: 2017,
        sourceId: null,
        cityCode: city.code,
        stratum: province.code,
        psu: `${city.code}-${String(psuIndex + 1).padStart(3, '0')}`,
        weight: baseWeight * psu.weight,
        male,
        age: Math.round(age * 10) / 10,
        birthYear: 2017 - Math.floor(age),
        educationLevel,
        han: random.bernoulli(province.region === 'west' ? 0.86 : 0.97),
        maritalStatus,
        ruralHukou,
        migrationRange,
        durationYears: Math.round(duration * 10) / 10,
        employmentStatus: employment,
        laborContract: employment === 'employee' ? (['long_term', 'fixed_term', 'none'][random.categorical([0.45, 0.2, 0.35])] as string) : 'not_applicable',
        workingHours: Math.round(Math.min(16, Math.max(2, random.normal(9, 2))) * 10) / 10,
        logHouseholdIncome: Math.round((8.75 + 0.12 * educationLatent + (city.tier === 'tier1' ? 0.35 : 0) + random.normal(0, 0.5)) * 1000) / 1000,
      });
      draftCity.push(city);
      draftRegion.push(province.region);
      latentIntegration.push(cityIntegration + psu.integration);
      latentHealth.push(cityHealthRecord + psu.services);
      latentEducation.push(cityEducation + psu.services);
    }
  }

  const n = drafts.length;
  const weights = Float64Array.from(drafts, (d) => d.weight);
  const all = Int32Array.from(drafts.keys());

  // Health records: province targets from Huang et al. 2020 for the eastern provinces; the rest share one level
  // chosen so the national share is 0.30. Intra-provincial migrants and urban hukou are more likely to have one.
  const recordEta = Float64Array.from(drafts, (d, i) =>
    (latentHealth[i] as number) + (d.migrationRange === 'inter_province' ? 0 : 0.22) + (d.ruralHukou ? 0 : 0.1) + 0.04 * Math.min(d.durationYears ?? 0, 10),
  );
  const byProvince = new Map<string, number[]>();
  drafts.forEach((d, i) => {
    const rows = byProvince.get(d.stratum);
    if (rows) rows.push(i);
    else byProvince.set(d.stratum, [i]);
  });
  const listed = new Map<string, number>();
  for (const [code, rows] of byProvince) {
    const province = provinceOf(draftCity[rows[0] as number]!);
    const target = HEALTH_RECORD_BY_PROVINCE[province.nameEn];
    if (target !== undefined) listed.set(code, target);
  }
  let listedWeight = 0;
  let listedMass = 0;
  let totalWeight = 0;
  for (const [code, rows] of byProvince) {
    const w = rows.reduce((a, i) => a + (weights[i] as number), 0);
    totalWeight += w;
    const target = listed.get(code);
    if (target !== undefined) {
      listedWeight += w;
      listedMass += w * target;
    }
  }
  const otherTarget = Math.min(0.6, Math.max(0.1, (national.health_records_established.overall * totalWeight - listedMass) / (totalWeight - listedWeight)));
  const healthRecord = new Int8Array(n);
  for (const [code, rows] of byProvince) {
    const a = calibrateIntercept(recordEta, weights, rows, listed.get(code) ?? otherTarget);
    for (const i of rows) healthRecord[i] = random.bernoulli(logistic(a + (recordEta[i] as number)));
  }

  // Health education: any in the past year (0.731), more likely with a health record; topics given any.
  const educationEta = Float64Array.from(drafts, (d, i) => (latentEducation[i] as number) + 0.9 * (healthRecord[i] as number) + 0.05 * ((d.educationLevel ?? 3) - 3));
  const aEducation = calibrateIntercept(educationEta, weights, all, national.health_education.any_past_year);
  const educationAny = Int8Array.from(educationEta, (eta) => random.bernoulli(logistic(aEducation + eta)));
  const educated = all.filter((i) => educationAny[i] === 1);
  const intensity = Float64Array.from(drafts, () => random.normal(0, 1.2));
  const topicKeys = ['heSmokingControl', 'heMaternalChild', 'heReproductive', 'heEmergency', 'heStdAids', 'heChronicDisease', 'heMentalHealth', 'heTuberculosis', 'heOccupationalDisease'] as const;
  const topicShares = national.health_education.topics;
  const topicTargets = [topicShares.smoking_control, topicShares.maternal_child_health, topicShares.reproductive_health_contraception, topicShares.emergency_self_rescue, topicShares.std_aids, topicShares.chronic_disease, topicShares.mental_health, topicShares.tuberculosis, topicShares.occupational_disease];
  const educatedWeight = educated.reduce((a, i) => a + (weights[i] as number), 0);
  const topicFlags = topicKeys.map((_, t) => {
    const conditional = Math.min(0.99, ((topicTargets[t] as number) * totalWeight) / educatedWeight);
    const a = calibrateIntercept(intensity, weights, educated, conditional);
    return Int8Array.from(drafts, (_, i) => (educationAny[i] ? random.bernoulli(logistic(a + (intensity[i] as number))) : 0));
  });

  // Self-rated health (1 healthy … 4 cannot care for self): younger, more educated and BPHS recipients feel healthier.
  const healthScore = Float64Array.from(drafts, (d, i) =>
    -0.045 * ((d.age ?? 36) - 36) + 0.12 * ((d.educationLevel ?? 3) - 3) + 0.3 * (healthRecord[i] as number) + 0.25 * (educationAny[i] as number) + random.normal(0, 1),
  );
  const [c1, c2, c3] = weightedQuantiles(healthScore, weights, [0.001, 0.031, 0.18]) as [number, number, number];
  const selfRatedHealth = Int8Array.from(healthScore, (h) => (h >= c3 ? 1 : h >= c2 ? 2 : h >= c1 ? 3 : 4));

  // Latent integration: city and region effects, BPHS (direct and through self-rated health), stronger in higher
  // tiers and for intra-provincial migrants, longer residence, urban hukou. Standardised afterwards.
  const integration = Float64Array.from(drafts, (d, i) => {
    const bphs = ((healthRecord[i] as number) + (educationAny[i] as number)) / 2;
    const intra = d.migrationRange === 'inter_province' ? 0 : 1;
    const tier = (draftCity[i] as City).tier;
    return (
      (latentIntegration[i] as number) +
      REGION_INTEGRATION[draftRegion[i] as Region] +
      (PROVINCE_INTEGRATION[d.stratum] ?? 0) +
      TIER_INTEGRATION[tier] +
      (TIER_BPHS_EFFECT[tier] + 0.12 * intra) * bphs * 2 +
      0.25 * (selfRatedHealth[i] === 1 ? 1 : 0) +
      0.2 * intra +
      0.03 * Math.min(d.durationYears ?? 0, 15) +
      (d.ruralHukou ? 0 : 0.15) +
      0.04 * ((d.educationLevel ?? 3) - 3) +
      random.normal(0, 0.9)
    );
  });
  let im = 0;
  let iv = 0;
  for (let i = 0; i < n; i++) im += (integration[i] as number) / n;
  for (let i = 0; i < n; i++) iv += ((integration[i] as number) - im) ** 2 / n;
  const isd = Math.sqrt(iv);
  const integrationStd = Float64Array.from(integration, (v) => (v - im) / isd);

  const itemTargets = national.integration_items_1_to_4;
  const itemSpecs: Array<[keyof RespondentRecord, number[]]> = [
    ['integLikeCity', itemTargets.like_the_city],
    ['integAttention', itemTargets.attention_to_city_changes],
    ['integWilling', itemTargets.willing_to_integrate],
    ['integAccepted', itemTargets.locals_accept_me],
    ['integLookedDownRev', itemTargets.locals_look_down_on_outsiders_reversed],
    ['integHygieneRev', itemTargets.hygiene_habits_differ_reversed],
  ];
  const items = itemSpecs.map(([, [mean, sd]], k) => {
    const loading = k < 4 ? 0.8 : 0.55; // the two reverse-coded items measure integration less well
    const latent = Float64Array.from(integrationStd, (z) => loading * z + Math.sqrt(1 - loading * loading) * random.normal(0, 1));
    return calibratedItem(latent, weights, mean as number, sd as number);
  });

  const identityEta = Float64Array.from(integrationStd, (z) => 1.1 * z);
  const aIdentity = calibrateIntercept(identityEta, weights, all, 0.35);
  const participationEta = Float64Array.from(integrationStd, (z) => 0.6 * z);
  const aParticipation = calibrateIntercept(participationEta, weights, all, 0.24);
  const stayEta = Float64Array.from(drafts, (d, i) => 0.8 * (integrationStd[i] as number) + 0.05 * Math.min(d.durationYears ?? 0, 15));
  const aStay = calibrateIntercept(stayEta, weights, all, national.intentions.long_term_residence_intention_2016);
  const longTermResidence = Int8Array.from(stayEta, (eta) => random.bernoulli(logistic(aStay + eta)));
  const stayers = all.filter((i) => longTermResidence[i] === 1);
  const transferEta = Float64Array.from(drafts, (d, i) => 0.6 * (integrationStd[i] as number) + (draftCity[i]!.tier === 'tier1' || draftCity[i]!.tier === 'new_tier1' ? 0.3 : 0));
  const aTransfer = calibrateIntercept(transferEta, weights, stayers, national.intentions.willing_to_transfer_hukou_among_stayers_2016);

  const localProbabilityByType: Record<string, number> = { ncms: 0.06, uebmi: 0.88, urbmi: 0.45, urban_rural_resident: 0.4, other: 0.5, none: 0 };
  return drafts.map((record, i) => {
    const insuredDraw = random.uniform();
    const insuranceAny = insuredDraw < national.insurance.any_medical_insurance_2016_deck ? 1 : 0;
    const insuranceType = !insuranceAny
      ? 'none'
      : record.ruralHukou
        ? (['ncms', 'uebmi', 'urbmi', 'other'][random.categorical([0.647, 0.219, 0.072, 0.062])] as string)
        : (['uebmi', 'urbmi', 'urban_rural_resident', 'other'][random.categorical([0.6, 0.25, 0.1, 0.05])] as string);
    const localProbability = localProbabilityByType[insuranceType] ?? 0.5;
    Object.assign(record, {
      healthRecord: healthRecord[i] as number,
      healthEducationAny: educationAny[i] as number,
      heSmokingControl: topicFlags[0]![i] as number,
      heMaternalChild: topicFlags[1]![i] as number,
      heReproductive: topicFlags[2]![i] as number,
      heEmergency: topicFlags[3]![i] as number,
      heStdAids: topicFlags[4]![i] as number,
      heChronicDisease: topicFlags[5]![i] as number,
      heMentalHealth: topicFlags[6]![i] as number,
      heTuberculosis: topicFlags[7]![i] as number,
      heOccupationalDisease: topicFlags[8]![i] as number,
      insuranceAny,
      insuranceType,
      insuranceLocal: insuranceAny ? random.bernoulli(localProbability) : null,
      selfRatedHealth: selfRatedHealth[i] as number,
      integLikeCity: items[0]![i] as number,
      integAttention: items[1]![i] as number,
      integWilling: items[2]![i] as number,
      integAccepted: items[3]![i] as number,
      integLookedDownRev: items[4]![i] as number,
      integHygieneRev: items[5]![i] as number,
      localIdentity: random.bernoulli(logistic(aIdentity + (identityEta[i] as number))),
      socialParticipation: random.bernoulli(logistic(aParticipation + (participationEta[i] as number))),
      longTermResidence: longTermResidence[i] as number,
      transferHukou: random.bernoulli(logistic(aTransfer + (transferEta[i] as number) - (longTermResidence[i] ? 0 : 1.3))),
      weight: Math.round(weights[i]! * 1000) / 1000,
    });
    return deriveRespondentVariables(record);
  });
}

export type { Random };
