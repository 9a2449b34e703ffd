// One wave's respondents as typed columns in (stratum, psu) order, read once and shared by the indicator and the
// equity precomputes: with the trend waves at their published sizes a wave holds up to 206,000 rows.
import type { AppDatabase } from '@/db/client';
import { MIGRATION_RANGE_FILTERS } from '@/lib/domain';
import { indicatorsInWave } from './availability';
import type { IndicatorDefinition } from './catalogue';

const RANGES = MIGRATION_RANGE_FILTERS;

export interface WaveColumns {
  /** The indicators the wave has (lib/indicators/availability), in catalogue order; values[k] belongs to definitions[k]. */
  definitions: IndicatorDefinition[];
  n: number;
  /** City codes in order of first appearance; city[i] indexes it. */
  cityCodes: string[];
  city: Int32Array;
  /** Stratum labels in sorted order (= first appearance); stratum[i] indexes it. */
  strata: string[];
  stratum: Int32Array;
  /** PSUs numbered 0, 1, … in row order: a new number whenever the (stratum, psu) labels change. */
  psu: Int32Array;
  /** PSUs per stratum (COUNT(DISTINCT psu)). */
  psusPerStratum: number[];
  weight: Float64Array;
  /** Index into HUKOU_FILTERS: 1 rural, 2 urban, 0 unknown. */
  hukou: Uint8Array;
  /** Index into MIGRATION_RANGE_FILTERS, 0 unknown. */
  range: Uint8Array;
  /** The indicator's value per respondent (a categorical indicator counts its "yes" value); NaN when missing. */
  values: Float64Array[];
}

function indicatorValue(definition: IndicatorDefinition, raw: unknown): number {
  if (raw === null || raw === undefined) return NaN;
  if (definition.value !== undefined) return raw === definition.value ? 1 : 0;
  return Number(raw);
}

/** The wave's columns, or null when the wave has no respondents or no indicator. */
export function readWaveColumns(db: AppDatabase, datasetId: number, wave: number): WaveColumns | null {
  const definitions = indicatorsInWave(db, datasetId, wave);
  const K = definitions.length;
  if (K === 0) return null;
  const count = db.$client.prepare('SELECT COUNT(*) FROM respondents WHERE dataset_id = ? AND wave = ?').pluck().get(datasetId, wave) as number;
  if (count === 0) return null;
  const columns = definitions.map((d) => `"${d.variable}"`).join(', ');
  const statement = db.$client
    .prepare(`SELECT city_code, stratum, psu, weight, rural_hukou, migration_range, ${columns} FROM respondents WHERE dataset_id = ? AND wave = ? ORDER BY stratum, psu`)
    .raw();
  const city = new Int32Array(count);
  const stratum = new Int32Array(count);
  const psu = new Int32Array(count);
  const weight = new Float64Array(count);
  const hukou = new Uint8Array(count);
  const range = new Uint8Array(count);
  const values = definitions.map(() => new Float64Array(count));
  const cityCodes: string[] = [];
  const cityIndex = new Map<string, number>();
  const strata: string[] = [];
  const psusPerStratum: number[] = [];
  let previousStratum: unknown;
  let previousPsu: unknown;
  let h = -1;
  let j = -1;
  let n = 0;
  for (const r of statement.iterate(datasetId, wave) as Iterable<unknown[]>) {
    if (n === count) throw new Error(`wave ${wave} of dataset ${datasetId} changed while its indicators were computed`);
    const code = r[0] as string;
    let c = cityIndex.get(code);
    if (c === undefined) {
      c = cityCodes.length;
      cityIndex.set(code, c);
      cityCodes.push(code);
    }
    // Rows are sorted by (stratum, psu): a PSU's rows are consecutive, and each stratum's.
    if (r[1] !== previousStratum) {
      h = strata.length;
      strata.push(String(r[1]));
      psusPerStratum.push(0);
      previousStratum = r[1];
      previousPsu = undefined;
    }
    if (r[2] !== previousPsu) {
      j += 1;
      psusPerStratum[h]! += 1;
      previousPsu = r[2];
    }
    city[n] = c;
    stratum[n] = h;
    psu[n] = j;
    weight[n] = r[3] as number;
    hukou[n] = r[4] === 1 ? 1 : r[4] === 0 ? 2 : 0;
    range[n] = Math.max(0, RANGES.indexOf(r[5] as (typeof RANGES)[number]));
    for (let k = 0; k < K; k++) (values[k] as Float64Array)[n] = indicatorValue(definitions[k] as IndicatorDefinition, r[6 + k]);
    n++;
  }
  if (n !== count) throw new Error(`wave ${wave} of dataset ${datasetId} changed while its indicators were computed`);
  return { definitions, n, cityCodes, city, strata, stratum, psu, psusPerStratum, weight, hukou, range, values };
}
