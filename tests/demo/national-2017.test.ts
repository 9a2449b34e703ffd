// The synthetic 2017 national wave reproduces the published figures of db/calibration-targets.json within stated
// tolerances, has a usable survey design, and carries the relationships the research models look for.
import { beforeAll, describe, expect, test } from 'vitest';
import targets from '@/db/calibration-targets.json';
import { CITIES, PROVINCES } from '@/db/demo/geography';
import type { RespondentRecord } from '@/db/demo/load';
import { generateNational2017, NATIONAL_2017_N } from '@/db/demo/national-2017';

const national = targets.national_wave_2017;
let rows: RespondentRecord[];

beforeAll(() => {
  rows = generateNational2017();
});

function weightedMean(value: (r: RespondentRecord) => number | null | undefined, filter: (r: RespondentRecord) => boolean = () => true): number {
  let num = 0;
  let den = 0;
  for (const r of rows) {
    const v = value(r);
    if (v === null || v === undefined || !filter(r)) continue;
    num += r.weight * v;
    den += r.weight;
  }
  return num / den;
}

function weightedSd(value: (r: RespondentRecord) => number | null | undefined): number {
  const mean = weightedMean(value);
  return Math.sqrt(weightedMean((r) => {
    const v = value(r);
    return v === null || v === undefined ? null : (v - mean) ** 2;
  }));
}

const share = (predicate: (r: RespondentRecord) => boolean) => weightedMean((r) => (predicate(r) ? 1 : 0));

describe('2017 national wave: size and design', () => {
  test(`has the published ${NATIONAL_2017_N.toLocaleString('en')} respondents`, () => {
    expect(rows).toHaveLength(national.design.n_2017);
  });

  test('is deterministic: the same seed gives the same rows', () => {
    const again = generateNational2017({ n: 2000 });
    const first = generateNational2017({ n: 2000 });
    expect(again).toEqual(first);
  });

  test('covers at least 60 cities in every region and tier, every province, with 2+ PSUs per stratum', () => {
    const cityCodes = new Set(rows.map((r) => r.cityCode));
    expect(cityCodes.size).toBeGreaterThanOrEqual(60);
    const sampled = CITIES.filter((c) => cityCodes.has(c.code));
    for (const tier of ['tier1', 'new_tier1', 'tier2', 'tier3', 'tier4plus']) expect(sampled.some((c) => c.tier === tier)).toBe(true);
    const provinceOfCity = new Map(sampled.map((c) => [c.code, PROVINCES.find((p) => p.code === c.provinceCode)!]));
    for (const region of ['east', 'central', 'west', 'northeast']) expect(sampled.some((c) => provinceOfCity.get(c.code)!.region === region)).toBe(true);
    const psusByStratum = new Map<string, Set<string>>();
    for (const r of rows) psusByStratum.set(r.stratum, (psusByStratum.get(r.stratum) ?? new Set()).add(r.psu));
    expect(psusByStratum.size).toBe(PROVINCES.length);
    for (const psus of psusByStratum.values()) expect(psus.size).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => r.weight > 0)).toBe(true);
  });
});

// target, tolerance (absolute), source key — shown in each test name so the table reads as the calibration report.
const shareTargets: Array<[string, number, number, (r: RespondentRecord) => boolean]> = [
  ['health record established', national.health_records_established.overall, 0.01, (r) => r.healthRecord === 1],
  ['health education, any topic', national.health_education.any_past_year, 0.01, (r) => r.healthEducationAny === 1],
  ['education: smoking control', national.health_education.topics.smoking_control, 0.02, (r) => r.heSmokingControl === 1],
  ['education: maternal and child health', national.health_education.topics.maternal_child_health, 0.02, (r) => r.heMaternalChild === 1],
  ['education: reproductive health', national.health_education.topics.reproductive_health_contraception, 0.02, (r) => r.heReproductive === 1],
  ['education: emergency self-rescue', national.health_education.topics.emergency_self_rescue, 0.02, (r) => r.heEmergency === 1],
  ['education: STD / AIDS', national.health_education.topics.std_aids, 0.02, (r) => r.heStdAids === 1],
  ['education: chronic disease', national.health_education.topics.chronic_disease, 0.02, (r) => r.heChronicDisease === 1],
  ['education: mental health', national.health_education.topics.mental_health, 0.02, (r) => r.heMentalHealth === 1],
  ['education: tuberculosis', national.health_education.topics.tuberculosis, 0.02, (r) => r.heTuberculosis === 1],
  ['education: occupational disease', national.health_education.topics.occupational_disease, 0.02, (r) => r.heOccupationalDisease === 1],
  ['any medical insurance', national.insurance.any_medical_insurance_2016_deck, 0.01, (r) => r.insuranceAny === 1],
  ['self-rated healthy', national.self_rated_health.approximate_shares[0]!, 0.01, (r) => r.selfRatedHealth === 1],
  ['self-rated basically healthy', national.self_rated_health.approximate_shares[1]!, 0.01, (r) => r.selfRatedHealth === 2],
  ['self-rated unhealthy but self-caring', national.self_rated_health.approximate_shares[2]!, 0.01, (r) => r.selfRatedHealth === 3],
  ['long-term residence intention', national.intentions.long_term_residence_intention_2016, 0.01, (r) => r.longTermResidence === 1],
  ['rural hukou', national.composition_2015.rural_hukou, 0.02, (r) => r.ruralHukou === 1],
  ['inter-provincial', national.composition_2015.interprovincial, 0.05, (r) => r.migrationRange === 'inter_province'],
  ['male', national.composition_2015.male, 0.02, (r) => r.male === 1],
];

describe('2017 national wave: published shares (weighted)', () => {
  for (const [name, target, tolerance, predicate] of shareTargets) {
    test(`${name}: target ${target.toFixed(3)} ± ${tolerance}`, () => {
      expect(Math.abs(share(predicate) - target)).toBeLessThanOrEqual(tolerance);
    });
  }

  test(`willing to transfer hukou among long-term stayers: target ${national.intentions.willing_to_transfer_hukou_among_stayers_2016} ± 0.02`, () => {
    const value = weightedMean((r) => r.transferHukou, (r) => r.longTermResidence === 1);
    expect(Math.abs(value - national.intentions.willing_to_transfer_hukou_among_stayers_2016)).toBeLessThanOrEqual(0.02);
  });

  test('health records by province match the eastern provinces of Huang et al. 2020 within 0.03', () => {
    for (const [name, target] of Object.entries(national.health_records_established.by_province_2016_2017_east)) {
      if (typeof target !== 'number') continue;
      const province = PROVINCES.find((p) => p.nameEn === name)!;
      const value = weightedMean((r) => r.healthRecord, (r) => r.stratum === province.code);
      expect(Math.abs(value - target), name).toBeLessThanOrEqual(0.03);
    }
  });

  test('mean residence duration is near the deck figure of 6.1 years (median 4.3), within 1 year', () => {
    expect(Math.abs(weightedMean((r) => r.durationYears) - national.composition_deck_2016.mean_years_at_residence)).toBeLessThanOrEqual(1);
  });
});

describe('2017 national wave: integration items (1–4, Xing et al. 2022 Table 1)', () => {
  const items: Array<[string, number[], keyof RespondentRecord]> = [
    ['likes the city', national.integration_items_1_to_4.like_the_city, 'integLikeCity'],
    ['follows city changes', national.integration_items_1_to_4.attention_to_city_changes, 'integAttention'],
    ['willing to integrate', national.integration_items_1_to_4.willing_to_integrate, 'integWilling'],
    ['locals accept me', national.integration_items_1_to_4.locals_accept_me, 'integAccepted'],
    ['locals look down (reversed)', national.integration_items_1_to_4.locals_look_down_on_outsiders_reversed, 'integLookedDownRev'],
    ['hygiene differs (reversed)', national.integration_items_1_to_4.hygiene_habits_differ_reversed, 'integHygieneRev'],
  ];
  for (const [name, [mean, sd], key] of items) {
    test(`${name}: mean ${mean} ± 0.03, SD ${sd} ± 15%`, () => {
      const value = (r: RespondentRecord) => r[key] as number | null;
      expect(Math.abs(weightedMean(value) - (mean as number))).toBeLessThanOrEqual(0.03);
      expect(Math.abs(weightedSd(value) / (sd as number) - 1)).toBeLessThanOrEqual(0.15);
    });
  }
});

describe('2017 national wave: relationships the research models look for (seed 000)', () => {
  test('health-record holders report better health (the mediator path a)', () => {
    const withRecord = share((r) => r.healthRecord === 1 && r.selfRatedHealth === 1) / share((r) => r.healthRecord === 1);
    const without = share((r) => r.healthRecord === 0 && r.selfRatedHealth === 1) / share((r) => r.healthRecord === 0);
    expect(withRecord - without).toBeGreaterThan(0.02);
  });

  test('BPHS recipients are more integrated, more so in higher-tier cities', () => {
    const tierOf = new Map(CITIES.map((c) => [c.code, c.tier]));
    const gap = (tiers: string[]) =>
      weightedMean((r) => r.integrationIndex, (r) => r.bphsIndex === 1 && tiers.includes(tierOf.get(r.cityCode)!)) -
      weightedMean((r) => r.integrationIndex, (r) => r.bphsIndex === 0 && tiers.includes(tierOf.get(r.cityCode)!));
    const high = gap(['tier1', 'new_tier1']);
    const low = gap(['tier3', 'tier4plus']);
    expect(high).toBeGreaterThan(0);
    expect(low).toBeGreaterThan(0);
    expect(high).toBeGreaterThan(low);
  });

  test('integration is higher in the Northeast than on the south-east coast (Guangdong)', () => {
    const northeast = new Set(PROVINCES.filter((p) => p.region === 'northeast').map((p) => p.code));
    expect(weightedMean((r) => r.integrationIndex, (r) => northeast.has(r.stratum))).toBeGreaterThan(weightedMean((r) => r.integrationIndex, (r) => r.stratum === '44'));
  });
});
