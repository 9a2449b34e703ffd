// Synthetic national waves 2015, 2016 and 2018 beside 2017, for trends: the 2017 generator's design and relationships
// on the same city panel, re-calibrated to the published national figures of db/calibration-trends.json.
import trends from '../calibration-trends.json';
import { bphsIndex } from '../../lib/indicators/derive';
import { generateNational2017 } from './national-2017';
import type { AppDatabase } from '../client';
import { insertRespondents, type RespondentRecord } from '../respondents';
import { createRandom } from './random';

/**
 * The respondent variables the database keeps for a trend wave: the design, the comparison's filters and the
 * variables of the indicators (and the BPHS index derived from two of them). Everything else the generator draws
 * (demographics, items, topics) stays NULL: at the published sample sizes, 527,000 full rows would take the database
 * past 150 MB (docs/data-generation.md, "Trend waves"). A model on a trend wave can use only these.
 */
export const TREND_WAVE_VARIABLES = [
  'wave', 'cityCode', 'stratum', 'psu', 'weight', 'ruralHukou', 'migrationRange',
  'integrationIndex', 'localIdentity', 'longTermResidence', 'transferHukou', 'socialParticipation', 'healthRecord',
  'healthEducationAny', 'healthEducationTopics', 'insuranceAny', 'insuranceLocal', 'selfRatedHealth', 'bphsIndex',
] as const satisfies ReadonlyArray<keyof RespondentRecord>;

type BinaryVariable = 'healthRecord' | 'longTermResidence';

interface WaveCalibration {
  year: number;
  publishedN: number;
  /** Weighted targets: overall, or by hukou (rural/urban) where published. Absent variables keep the 2017 process. */
  targets: Array<{ variable: BinaryVariable; overall?: number; rural?: number; urban?: number }>;
}

const waves = trends.waves;

export const TREND_WAVES: readonly WaveCalibration[] = [
  {
    year: 2015,
    publishedN: waves['2015'].n,
    targets: [{ variable: 'healthRecord', rural: waves['2015'].health_record.rural_hukou, urban: waves['2015'].health_record.urban_hukou }],
  },
  {
    // n "assumed about 169,000 (same design as 2017)"; health records assumed (2017 process).
    year: 2016,
    publishedN: 169_000,
    targets: [{ variable: 'longTermResidence', overall: waves['2016'].long_term_residence.overall }],
  },
  {
    // 2018 asks settlement intention (是否打算在本地定居), not 2017's long-term residence item: a break in that trend.
    year: 2018,
    publishedN: waves['2018'].n,
    targets: [
      { variable: 'healthRecord', overall: waves['2018'].health_record.overall },
      { variable: 'longTermResidence', overall: waves['2018'].settlement_intention.overall },
    ],
  },
];

/**
 * Generates a trend wave and inserts it as the database keeps it: only TREND_WAVE_VARIABLES (the other columns NULL),
 * weights to whole persons (2-3 bytes instead of 8), and PSUs numbered within their stratum ("1", "2", …, as CMDS
 * numbers communities) instead of the generator's "2015-110100-001": the variance needs a PSU only to be distinct
 * within its stratum, and each character is a byte in 527,000 rows. Returns the number of respondents. The generator's
 * full records stay as they are for the import fixtures made from them.
 */
export function insertTrendWave(db: AppDatabase, datasetId: number, calibration: WaveCalibration): number {
  const records = generateTrendWave(calibration);
  const psuNumbers = new Map<string, Map<string, string>>();
  for (const r of records) {
    r.weight = Math.round(r.weight);
    let numbers = psuNumbers.get(r.stratum);
    if (!numbers) psuNumbers.set(r.stratum, (numbers = new Map<string, string>()));
    let number = numbers.get(r.psu);
    if (number === undefined) numbers.set(r.psu, (number = String(numbers.size + 1)));
    r.psu = number;
  }
  return insertRespondents(db, datasetId, records, TREND_WAVE_VARIABLES);
}

/** Moves a 0/1 variable's weighted mean in a group to the target by flipping a random share of 0s (or 1s). */
function calibrateBinary(records: RespondentRecord[], variable: BinaryVariable, target: number, random: ReturnType<typeof createRandom>): void {
  let weight = 0;
  let yes = 0;
  for (const r of records) {
    const value = r[variable];
    if (value === null || value === undefined) continue;
    weight += r.weight;
    yes += r.weight * value;
  }
  if (weight === 0) return;
  const mean = yes / weight;
  const flip = target > mean ? { from: 0, to: 1, share: (target - mean) / (1 - mean) } : { from: 1, to: 0, share: (mean - target) / mean };
  for (const r of records) if (r[variable] === flip.from && random.bernoulli(flip.share)) r[variable] = flip.to;
}

/**
 * One synthetic national wave: the 2017 generator with the wave's own seed and published size, calibrated to its
 * targets. `fraction` draws a smaller sample whose weights stand for the same population (test fixtures).
 */
export function generateTrendWave(calibration: WaveCalibration, fraction = 1): RespondentRecord[] {
  const n = Math.round(calibration.publishedN * fraction);
  const records = generateNational2017({ seed: calibration.year * 10_000 + 501, n, samePanelAs2017: true });
  const random = createRandom(calibration.year * 10_000 + 777);
  const shift = calibration.year - 2017;
  for (const r of records) {
    r.wave = calibration.year;
    // Same ages as 2017's design: birth years move with the survey year.
    if (typeof r.birthYear === 'number') r.birthYear += shift;
    // Weights represent the same migrant population from a smaller sample.
    r.weight = Math.round((r.weight / fraction) * 1000) / 1000;
    r.psu = `${calibration.year}-${r.psu}`;
    if (r.sourceId) r.sourceId = `${calibration.year}-${r.sourceId}`;
  }
  for (const target of calibration.targets) {
    if (target.overall !== undefined) calibrateBinary(records, target.variable, target.overall, random);
    if (target.rural !== undefined) calibrateBinary(records.filter((r) => r.ruralHukou === 1), target.variable, target.rural, random);
    if (target.urban !== undefined) calibrateBinary(records.filter((r) => r.ruralHukou === 0), target.variable, target.urban, random);
  }
  // The one derived variable that depends on a calibrated one (health records) is computed again.
  for (const r of records) r.bphsIndex = bphsIndex(r.healthRecord, r.healthEducationAny);
  return records;
}
