// The synthetic 2017 national wave reproduces the published figures of db/calibration-targets.json within stated
// tolerances, has a usable survey design, and carries the relationships the research models look for (seed 000).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import targets from '@/db/calibration-targets.json';
import { CITIES, PROVINCES, type CityTier } from '@/db/geography';
import type { RespondentRecord } from '@/db/respondents';
import { generateNational2017, NATIONAL_2017_N } from '@/db/demo/national-2017';
import { bphsIndex, healthEducationTopicCount, integrationIndex } from '@/lib/indicators/derive';

const national = targets.national_wave_2017;
const cityByCode = new Map(CITIES.map((c) => [c.code, c]));
const regionOfProvince = new Map(PROVINCES.map((p) => [p.code, p.region]));
const tierOf = (r: RespondentRecord): CityTier => cityByCode.get(r.cityCode)!.tier;
const intraProvincial = (r: RespondentRecord): number => (r.migrationRange === 'inter_province' ? 0 : 1);

let rows: RespondentRecord[];
let generationMs = 0;
// target vs generated, printed after the run as the calibration report (docs/data-generation.md copies it).
const report: Array<{ figure: string; target: string; generated: string; tolerance: string }> = [];

beforeAll(() => {
  const started = performance.now();
  rows = generateNational2017();
  generationMs = performance.now() - started;
});

afterAll(() => {
  const lines = report.map((r) => `| ${r.figure} | ${r.target} | ${r.generated} | ${r.tolerance} |`);
  console.log(['| figure | target | generated | tolerance |', '|---|---|---|---|', ...lines].join('\n'));
  console.log(`generated ${rows.length.toLocaleString('en')} respondents in ${Math.round(generationMs)} ms`);
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

function weightedMedian(value: (r: RespondentRecord) => number): number {
  const sorted = rows.map((r) => [value(r), r.weight] as const).sort((a, b) => a[0] - b[0]);
  const half = sorted.reduce((a, [, w]) => a + w, 0) / 2;
  let cumulative = 0;
  for (const [v, w] of sorted) {
    cumulative += w;
    if (cumulative >= half) return v;
  }
  return Number.NaN;
}

const share = (predicate: (r: RespondentRecord) => boolean, filter?: (r: RespondentRecord) => boolean) =>
  weightedMean((r) => (predicate(r) ? 1 : 0), filter);

function expectWithin(figure: string, generated: number, target: number, tolerance: number, digits = 3): void {
  report.push({ figure, target: target.toFixed(digits), generated: generated.toFixed(digits), tolerance: `± ${tolerance}` });
  expect(Math.abs(generated - target), figure).toBeLessThanOrEqual(tolerance);
}

/** Unweighted OLS by the normal equations (Gaussian elimination with partial pivoting); returns the coefficients. */
function ols(subset: RespondentRecord[], y: (r: RespondentRecord) => number, predictors: Array<(r: RespondentRecord) => number>): number[] {
  const p = predictors.length + 1;
  const a = Array.from({ length: p }, () => new Float64Array(p + 1));
  const x = new Float64Array(p);
  for (const r of subset) {
    x[0] = 1;
    predictors.forEach((f, j) => (x[j + 1] = f(r)));
    const yi = y(r);
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < p; k++) a[j]![k]! += x[j]! * x[k]!;
      a[j]![p]! += x[j]! * yi;
    }
  }
  for (let col = 0; col < p; col++) {
    let pivot = col;
    for (let row = col + 1; row < p; row++) if (Math.abs(a[row]![col]!) > Math.abs(a[pivot]![col]!)) pivot = row;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let row = 0; row < p; row++) {
      if (row === col) continue;
      const factor = a[row]![col]! / a[col]![col]!;
      for (let k = col; k <= p; k++) a[row]![k]! -= factor * a[col]![k]!;
    }
  }
  return a.map((row, j) => row[p]! / row[j]!);
}

const controls: Array<(r: RespondentRecord) => number> = [
  (r) => r.age!,
  (r) => r.male!,
  (r) => r.educationLevel!,
  (r) => r.ruralHukou!,
  intraProvincial,
  (r) => Math.min(r.durationYears!, 15),
];

describe('2017 national wave: size, determinism and speed', () => {
  test(`has the published ${NATIONAL_2017_N.toLocaleString('en')} respondents, all of wave 2017`, () => {
    expect(rows).toHaveLength(national.design.n_2017);
    expect(rows.every((r) => r.wave === 2017)).toBe(true);
  });

  test('is deterministic: the same seed gives the same rows, spot-checked by a hash', () => {
    const first = generateNational2017({ n: 2000 });
    expect(generateNational2017({ n: 2000 })).toEqual(first);
    // A deliberate change to the generator changes this hash: update it together with the calibration table.
    expect(createHash('sha256').update(JSON.stringify(first)).digest('hex').slice(0, 16)).toBe('a5571ff129a9a5b0');
    expect(generateNational2017({ n: 2000, seed: 7 })).not.toEqual(first);
  });

  test('generates the full wave in a few seconds (under 10 s even on a loaded machine)', () => {
    expect(generationMs).toBeLessThan(10_000);
  });
});

describe('2017 national wave: survey design', () => {
  test('samples at least 60 cities across every region, every tier and every province', () => {
    const sampled = CITIES.filter((c) => rows.some((r) => r.cityCode === c.code));
    expect(sampled.length).toBeGreaterThanOrEqual(60);
    for (const tier of ['tier1', 'new_tier1', 'tier2', 'tier3', 'tier4plus']) expect(sampled.some((c) => c.tier === tier), tier).toBe(true);
    for (const region of ['east', 'central', 'west', 'northeast']) expect(sampled.some((c) => regionOfProvince.get(c.provinceCode) === region), region).toBe(true);
    expect(new Set(sampled.map((c) => c.provinceCode)).size).toBe(PROVINCES.length);
  });

  test('strata are provinces, each with at least two PSUs; PSUs are communities of about 20 inside one city', () => {
    const psusByStratum = new Map<string, Set<string>>();
    const psuSizes = new Map<string, number>();
    expect(rows.filter((r) => r.stratum !== r.cityCode.slice(0, 2) || !r.psu.startsWith(`${r.cityCode}-`))).toEqual([]);
    for (const r of rows) {
      psusByStratum.set(r.stratum, (psusByStratum.get(r.stratum) ?? new Set()).add(r.psu));
      psuSizes.set(r.psu, (psuSizes.get(r.psu) ?? 0) + 1);
    }
    expect(psusByStratum.size).toBe(PROVINCES.length);
    for (const psus of psusByStratum.values()) expect(psus.size).toBeGreaterThanOrEqual(2);
    const sizes = [...psuSizes.values()];
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(15);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(25);
  });

  test('weights are positive and vary (CV > 0.3), so design effects are realistic (1.3–20 for shares)', () => {
    const weights = rows.map((r) => r.weight);
    expect(weights.every((w) => w > 0)).toBe(true);
    const mean = weights.reduce((a, b) => a + b, 0) / weights.length;
    const cv = Math.sqrt(weights.reduce((a, w) => a + (w - mean) ** 2, 0) / weights.length) / mean;
    expect(cv).toBeGreaterThan(0.3);
    // Linearised variance of a weighted share under the stratified cluster design (with-replacement PSUs).
    const designEffect = (y: (r: RespondentRecord) => number): number => {
      const total = weights.reduce((a, b) => a + b, 0);
      const p = weightedMean(y);
      const psuTotals = new Map<string, Map<string, number>>();
      for (const r of rows) {
        const stratum = psuTotals.get(r.stratum) ?? new Map<string, number>();
        stratum.set(r.psu, (stratum.get(r.psu) ?? 0) + (r.weight * (y(r) - p)) / total);
        psuTotals.set(r.stratum, stratum);
      }
      let variance = 0;
      for (const stratum of psuTotals.values()) {
        const values = [...stratum.values()];
        const m = values.reduce((a, b) => a + b, 0) / values.length;
        variance += (values.length / (values.length - 1)) * values.reduce((a, v) => a + (v - m) ** 2, 0);
      }
      return variance / ((p * (1 - p)) / rows.length);
    };
    for (const [name, y] of [
      ['health record', (r: RespondentRecord) => r.healthRecord!],
      ['long-term residence', (r: RespondentRecord) => r.longTermResidence!],
    ] as const) {
      const deff = designEffect(y);
      report.push({ figure: `design effect: ${name}`, target: '1.3–20', generated: deff.toFixed(2), tolerance: 'range' });
      expect(deff, name).toBeGreaterThan(1.3);
      expect(deff, name).toBeLessThan(20);
    }
  });
});

describe('2017 national wave: values are valid and consistent', () => {
  test('ages 15–59 in completed years, birth year consistent, education 1–7', () => {
    const invalid = rows.filter(
      (r) =>
        !(r.age! >= 15 && r.age! <= 59 && Number.isInteger(r.age)) ||
        r.birthYear !== 2017 - r.age! ||
        !(r.educationLevel! >= 1 && r.educationLevel! <= 7) ||
        !(r.durationYears! > 0 && r.durationYears! <= r.age!),
    );
    expect(invalid).toEqual([]);
  });

  test('topics only when any health education, the count is their sum; derived variables follow lib/indicators/derive', () => {
    const inconsistent = rows.filter((r) => {
      const topics = [r.heSmokingControl, r.heMaternalChild, r.heReproductive, r.heEmergency, r.heStdAids, r.heChronicDisease, r.heMentalHealth, r.heTuberculosis, r.heOccupationalDisease];
      const count = healthEducationTopicCount(topics);
      return (
        (r.healthEducationAny === 0 && count !== 0) ||
        r.healthEducationTopics !== count ||
        r.bphsIndex !== bphsIndex(r.healthRecord, r.healthEducationAny) ||
        r.integrationIndex !== integrationIndex([r.integLikeCity, r.integAttention, r.integWilling, r.integAccepted, r.integLookedDownRev, r.integHygieneRev])
      );
    });
    expect(inconsistent).toEqual([]);
  });

  test('insurance type and place agree with being insured; NCMS is the rural migrants’ main scheme', () => {
    expect(rows.filter((r) => (r.insuranceType === 'none') !== (r.insuranceAny === 0) || (r.insuranceLocal === null) !== (r.insuranceAny === 0))).toEqual([]);
    const ncms = share((r) => r.insuranceType === 'ncms', (r) => r.ruralHukou === 1 && r.insuranceAny === 1);
    expectWithin('NCMS among insured rural migrants', ncms, national.insurance.rural_migrant_workers.ncms, 0.02);
    expect(share((r) => r.insuranceType === 'ncms', (r) => r.ruralHukou === 0)).toBe(0);
  });

  test('labour contracts only for employees; the 2014 module’s own variables are NULL', () => {
    expect(rows.filter((r) => (r.laborContract === 'not_applicable') !== (r.employmentStatus !== 'employee'))).toEqual([]);
    const moduleOnly = (r: RespondentRecord) => [r.willingnessToIntegrate, r.informalParticipation, r.formalParticipation, r.constraintsOfHukou, r.perceivedSocialExclusion, r.perceivedSocialStatus, r.goodCommunity, r.neighborComposition, r.communityActivities, r.governmentTraining, r.hometownPressure, r.withdrawalGuarantee, r.cityLogGdp, r.provinceFloatingShare];
    expect(rows.filter((r) => moduleOnly(r).some((v) => v !== null))).toEqual([]);
  });
});

// figure, target, absolute tolerance on the weighted share
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
  ['self-rated cannot care for self', national.self_rated_health.approximate_shares[3]!, 0.002, (r) => r.selfRatedHealth === 4],
  ['long-term residence intention', national.intentions.long_term_residence_intention_2016, 0.01, (r) => r.longTermResidence === 1],
  ['rural hukou', national.composition_2015.rural_hukou, 0.02, (r) => r.ruralHukou === 1],
  ['inter-provincial', national.composition_2015.interprovincial, 0.01, (r) => r.migrationRange === 'inter_province'],
  ['male', national.composition_2015.male, 0.01, (r) => r.male === 1],
  ['in the city one year or less', national.composition_2015.in_area_one_year_or_less, 0.02, (r) => r.durationYears! <= 1],
  ['local identity (assumed; 2014 module 0.22)', 0.35, 0.05, (r) => r.localIdentity === 1],
];

describe('2017 national wave: published shares (weighted)', () => {
  for (const [figure, target, tolerance, predicate] of shareTargets) {
    test(`${figure}: target ${target.toFixed(3)} ± ${tolerance}`, () => {
      expectWithin(figure, share(predicate), target, tolerance);
    });
  }

  test(`willing to transfer hukou among long-term stayers: target ${national.intentions.willing_to_transfer_hukou_among_stayers_2016} ± 0.02, lower among the others`, () => {
    const stayers = weightedMean((r) => r.transferHukou, (r) => r.longTermResidence === 1);
    expectWithin('transfer hukou among long-term stayers', stayers, national.intentions.willing_to_transfer_hukou_among_stayers_2016, 0.02);
    expect(weightedMean((r) => r.transferHukou, (r) => r.longTermResidence === 0)).toBeLessThan(stayers - 0.15);
  });

  test('health records by province match the eastern provinces of Huang et al. 2020 within 0.03', () => {
    for (const [name, target] of Object.entries(national.health_records_established.by_province_2016_2017_east)) {
      if (typeof target !== 'number') continue;
      const province = PROVINCES.find((p) => p.nameEn === name)!;
      expectWithin(`health record, ${name}`, weightedMean((r) => r.healthRecord, (r) => r.stratum === province.code), target, 0.03);
    }
  });

  test('health records: urban hukou slightly higher; intra- vs inter-provincial odds ratio in the published 1.169–1.380', () => {
    const rural = weightedMean((r) => r.healthRecord, (r) => r.ruralHukou === 1);
    const urban = weightedMean((r) => r.healthRecord, (r) => r.ruralHukou === 0);
    report.push({ figure: 'health record, urban − rural hukou', target: '0.026 (2015)', generated: (urban - rural).toFixed(3), tolerance: '0–0.08' });
    expect(urban - rural).toBeGreaterThan(0);
    expect(urban - rural).toBeLessThan(0.08);
    const intra = weightedMean((r) => r.healthRecord, (r) => intraProvincial(r) === 1);
    const inter = weightedMean((r) => r.healthRecord, (r) => intraProvincial(r) === 0);
    const oddsRatio = intra / (1 - intra) / (inter / (1 - inter));
    const [low, high] = national.health_records_established.odds_ratio_intra_vs_inter_provincial as [number, number];
    report.push({ figure: 'health record OR, intra vs inter-provincial', target: `${low}–${high}`, generated: oddsRatio.toFixed(3), tolerance: 'range' });
    expect(oddsRatio).toBeGreaterThanOrEqual(low);
    expect(oddsRatio).toBeLessThanOrEqual(high);
  });

  test('inter-provincial share is high in Guangdong, Zhejiang, Beijing and Shanghai and low in the centre and south-west', () => {
    const byProvince = (code: string) => share((r) => r.migrationRange === 'inter_province', (r) => r.stratum === code);
    for (const code of ['44', '33', '11', '31']) expect(byProvince(code), code).toBeGreaterThan(0.7);
    for (const code of ['51', '50', '52', '53', '41', '42', '43']) expect(byProvince(code), code).toBeLessThan(0.3);
  });

  test('age and residence duration match the published means and median', () => {
    expectWithin('mean age', weightedMean((r) => r.age), national.composition_2015.age_mean, 0.5, 2);
    expectWithin('mean years at residence', weightedMean((r) => r.durationYears), national.composition_deck_2016.mean_years_at_residence, 0.3, 2);
    expectWithin('median years at residence', weightedMedian((r) => r.durationYears!), national.composition_deck_2016.median_years_at_residence, 0.3, 2);
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
    test(`${name}: mean ${mean} ± 0.02, SD ${sd} ± 0.03`, () => {
      const value = (r: RespondentRecord) => r[key] as number | null;
      expectWithin(`${name}: mean`, weightedMean(value), mean!, 0.02, 2);
      expectWithin(`${name}: SD`, weightedSd(value), sd!, 0.03, 2);
    });
  }
});

describe('2017 national wave: relationships the research models look for (seed 000, effect_patterns)', () => {
  test('OLS of the integration index on health record and health education with controls: both positive', () => {
    const [, record, education] = ols(rows, (r) => r.integrationIndex!, [(r) => r.healthRecord!, (r) => r.healthEducationAny!, ...controls]);
    report.push({ figure: 'OLS integration index: health record', target: '> 0', generated: record!.toFixed(2), tolerance: 'sign' });
    report.push({ figure: 'OLS integration index: health education', target: '> 0', generated: education!.toFixed(2), tolerance: 'sign' });
    expect(record).toBeGreaterThan(1);
    expect(education).toBeGreaterThan(1);
  });

  test('mediation: health record raises self-rated health, which raises integration; a direct path remains', () => {
    const healthy = (r: RespondentRecord) => (r.selfRatedHealth === 1 ? 1 : 0);
    const [, pathA] = ols(rows, healthy, [(r) => r.healthRecord!, (r) => r.healthEducationAny!, ...controls]);
    const [, total] = ols(rows, (r) => r.integrationIndex!, [(r) => r.healthRecord!, (r) => r.healthEducationAny!, ...controls]);
    const [, direct, , pathB] = ols(rows, (r) => r.integrationIndex!, [(r) => r.healthRecord!, (r) => r.healthEducationAny!, healthy, ...controls]);
    report.push({ figure: 'path a: health record → self-rated healthy', target: '> 0', generated: pathA!.toFixed(3), tolerance: 'sign' });
    report.push({ figure: 'path b: self-rated healthy → integration', target: '> 0', generated: pathB!.toFixed(2), tolerance: 'sign' });
    expect(pathA).toBeGreaterThan(0.02);
    expect(pathB).toBeGreaterThan(0.5);
    expect(direct).toBeGreaterThan(0);
    expect(direct).toBeLessThan(total!);
  });

  test('the BPHS effect is larger in higher-tier cities and for intra-provincial migrants', () => {
    const effectIn = (filter: (r: RespondentRecord) => boolean) =>
      ols(rows.filter(filter), (r) => r.integrationIndex!, [(r) => r.bphsIndex!, ...controls])[1]!;
    const high = effectIn((r) => tierOf(r) === 'tier1' || tierOf(r) === 'new_tier1');
    const low = effectIn((r) => tierOf(r) === 'tier3' || tierOf(r) === 'tier4plus');
    report.push({ figure: 'BPHS coefficient, tier 1 + new tier 1 vs tier 3 + smaller', target: 'high > low', generated: `${high.toFixed(2)} vs ${low.toFixed(2)}`, tolerance: 'order' });
    expect(low).toBeGreaterThan(0);
    expect(high).toBeGreaterThan(low);
    const [, , , interaction] = ols(rows, (r) => r.integrationIndex!, [(r) => r.bphsIndex!, intraProvincial, (r) => r.bphsIndex! * intraProvincial(r), ...controls.slice(0, 4)]);
    expect(interaction).toBeGreaterThan(0);
  });

  test('integration is higher in the Northeast, Shandong and Sichuan–Chongqing, lower on the south-east coast, higher in smaller cities', () => {
    const overall = weightedMean((r) => r.integrationIndex);
    const inProvinces = (codes: string[]) => weightedMean((r) => r.integrationIndex, (r) => codes.includes(r.stratum));
    expect(inProvinces(['21', '22', '23'])).toBeGreaterThan(overall);
    expect(inProvinces(['37'])).toBeGreaterThan(overall);
    expect(inProvinces(['51', '50'])).toBeGreaterThan(overall);
    expect(inProvinces(['44', '35', '33'])).toBeLessThan(overall);
    const byTier = (tier: CityTier) => weightedMean((r) => r.integrationIndex, (r) => tierOf(r) === tier);
    expect(byTier('tier4plus')).toBeGreaterThan(byTier('tier2'));
    expect(byTier('tier2')).toBeGreaterThan(byTier('tier1'));
  });

  test('cities differ beyond their tier and region, so multilevel models find a city variance', () => {
    // Between-city share of the residual variance after tier and region means: the city random effects.
    const groupMean = new Map<string, { sum: number; n: number }>();
    const key = (r: RespondentRecord) => `${tierOf(r)}|${regionOfProvince.get(r.stratum)}`;
    for (const r of rows) {
      const g = groupMean.get(key(r)) ?? { sum: 0, n: 0 };
      g.sum += r.integrationIndex!;
      g.n += 1;
      groupMean.set(key(r), g);
    }
    const residual = (r: RespondentRecord) => r.integrationIndex! - groupMean.get(key(r))!.sum / groupMean.get(key(r))!.n;
    const cityMeans = new Map<string, { sum: number; n: number }>();
    let total = 0;
    for (const r of rows) {
      const e = residual(r);
      total += e * e;
      const c = cityMeans.get(r.cityCode) ?? { sum: 0, n: 0 };
      c.sum += e;
      c.n += 1;
      cityMeans.set(r.cityCode, c);
    }
    let between = 0;
    for (const c of cityMeans.values()) between += (c.sum * c.sum) / c.n;
    const cityShare = between / total;
    report.push({ figure: 'between-city share of integration variance (beyond tier × region)', target: '0.02–0.15', generated: cityShare.toFixed(3), tolerance: 'range' });
    expect(cityShare).toBeGreaterThan(0.02);
    expect(cityShare).toBeLessThan(0.15);
  });
});
