// Computes every indicator for every wave x geography x hukou x migration range of a dataset, with design-based 95%
// CIs, applies disclosure control (lib/disclosure: primary, secondary, unreliable), and stores them. One pass over respondents sorted by PSU; per-stratum sums of PSU
// totals give the Taylor-linearised variance of each ratio estimate without a pass per cell.
import type { AppDatabase } from '@/db/client';
import type { indicators } from '@/db/schema';
import { logitInterval, waldInterval } from '@/lib/stats/survey';
import { env } from '@/lib/env';
import { HUKOU_FILTERS, MIGRATION_RANGE_FILTERS } from '@/lib/domain';
import { protectIndicatorCells, type IndicatorCellInput } from '@/lib/disclosure/indicator-cells';
import { indicatorsInWave } from './availability';
import { findIndicator, indicatorScale, type IndicatorDefinition } from './catalogue';
import { computeEquityMeasures } from './equity-precompute';

const HUKOU = HUKOU_FILTERS;
const RANGES = MIGRATION_RANGE_FILTERS;
type GeoLevel = 'national' | 'region' | 'tier' | 'province' | 'city';

interface Geo {
  level: GeoLevel;
  code: string;
}

interface CityGeography {
  code: string;
  provinceCode: string;
  region: string;
  tier: string;
}

// Per (cell, stratum): sum over PSUs of Y, W, Y^2, YW, W^2, and the number of PSUs with domain members.
const SLOTS = 6;

/** One stored estimate: a row of the indicators table. */
export type IndicatorRow = Omit<typeof indicators.$inferInsert, 'id'>;

function indicatorValue(definition: IndicatorDefinition, raw: unknown): number {
  if (raw === null || raw === undefined) return NaN;
  if (definition.value !== undefined) return raw === definition.value ? 1 : 0;
  return Number(raw);
}

/** Estimates for one wave of a dataset, returned as rows (not yet stored). */
export function computeWaveIndicators(db: AppDatabase, datasetId: number, wave: number, minN: number): IndicatorRow[] {
  const { rows, inputs, places } = estimateWaveCells(db, datasetId, wave);
  if (rows.length === 0) return [];
  // Disclosure control over the whole wave at once (the relations link every geography, hukou and range).
  const { outcomes, unprotected } = protectIndicatorCells(inputs, places, {
    minN,
    scale: (key) => indicatorScale(findIndicator(key) as IndicatorDefinition),
  });
  if (unprotected.length > 0) throw new Error(`Secondary suppression left ${unprotected.length} cells of wave ${wave} unprotected.`);
  rows.forEach((row, i) => {
    const outcome = outcomes[i] as (typeof outcomes)[number];
    row.status = outcome.status;
    row.unreliable = outcome.status === 'published' && outcome.unreliable;
    row.bandLow = outcome.band?.[0] ?? null;
    row.bandHigh = outcome.band?.[1] ?? null;
    if (outcome.status !== 'published') {
      // Nothing of a hidden cell is stored that could be differenced: no estimate, SE, CI or population share.
      Object.assign(row, { suppressed: true, estimate: null, se: null, ciLow: null, ciHigh: null, weightedShare: null });
    }
  });
  return rows;
}

/** Every cell's estimate of one wave before disclosure control: the rows to store and the inputs of the protection. */
export function estimateWaveCells(db: AppDatabase, datasetId: number, wave: number): { rows: IndicatorRow[]; inputs: IndicatorCellInput[]; places: CityGeography[] } {
  const definitions = indicatorsInWave(db, datasetId, wave);
  const K = definitions.length;
  if (K === 0) return { rows: [], inputs: [], places: [] };

  const cityRows = db.$client
    .prepare('SELECT c.code, c.province_code AS provinceCode, p.region, c.tier FROM cities c JOIN provinces p ON p.code = c.province_code')
    .all() as CityGeography[];
  const geoIndex = new Map<string, number>();
  const geos: Geo[] = [];
  const geoId = (level: GeoLevel, code: string) => {
    const key = `${level}:${code}`;
    let index = geoIndex.get(key);
    if (index === undefined) {
      index = geos.length;
      geos.push({ level, code });
      geoIndex.set(key, index);
    }
    return index;
  };
  const cityGeos = new Map<string, number[]>();
  for (const city of cityRows) {
    cityGeos.set(city.code, [
      geoId('national', 'CN'),
      geoId('region', city.region),
      geoId('tier', city.tier),
      geoId('province', city.provinceCode),
      geoId('city', city.code),
    ]);
  }

  // Strata and PSUs of the full design of this wave (domain estimates keep these counts).
  const strata = db.$client
    .prepare('SELECT stratum, COUNT(DISTINCT psu) AS psus FROM respondents WHERE dataset_id = ? AND wave = ? GROUP BY stratum ORDER BY stratum')
    .all(datasetId, wave) as Array<{ stratum: string; psus: number }>;
  if (strata.length === 0) return { rows: [], inputs: [], places: [] };
  const stratumIndex = new Map(strata.map((s, i) => [s.stratum, i]));
  const S = strata.length;

  const cellsPerGeo = HUKOU.length * RANGES.length * K;
  const nCells = geos.length * cellsPerGeo;
  const strataSums = new Float64Array(nCells * S * SLOTS);
  const cellCount = new Int32Array(nCells);
  const cellWeight = new Float64Array(nCells);
  const cellWeightedY = new Float64Array(nCells);
  const populationWeight = new Float64Array(geos.length * HUKOU.length * RANGES.length);

  const columns = definitions.map((d) => `"${d.variable}"`).join(', ');
  const statement = db.$client
    .prepare(
      `SELECT city_code, stratum, psu, weight, rural_hukou, migration_range, ${columns} FROM respondents WHERE dataset_id = ? AND wave = ? ORDER BY stratum, psu`,
    )
    .raw();

  // Totals of the current PSU for each geography its respondents live in, per (hukou, range, indicator): Y, W, count.
  // The PSU is (stratum, psu) for the variance; each respondent counts in the geographies of its own city column, so
  // PSU labels that repeat across cities (001-012 inside each city) never move a respondent to another city.
  const localSize = HUKOU.length * RANGES.length * K * 3;
  const populationSize = HUKOU.length * RANGES.length;
  const localByGeo = new Map<number, { local: Float64Array; population: Float64Array }>();
  const spare: Array<{ local: Float64Array; population: Float64Array }> = [];
  let currentPsu: string | null = null;
  let currentStratum = 0;

  const flushPsu = () => {
    for (const [g, { local, population: localPopulation }] of localByGeo) {
      for (let hr = 0; hr < HUKOU.length * RANGES.length; hr++) {
        populationWeight[g * HUKOU.length * RANGES.length + hr]! += localPopulation[hr] as number;
        for (let k = 0; k < K; k++) {
          const base = (hr * K + k) * 3;
          const count = local[base + 2] as number;
          if (count === 0) continue;
          const y = local[base] as number;
          const w = local[base + 1] as number;
          const cell = g * cellsPerGeo + hr * K + k;
          cellCount[cell] = (cellCount[cell] as number) + count;
          cellWeight[cell] = (cellWeight[cell] as number) + w;
          cellWeightedY[cell] = (cellWeightedY[cell] as number) + y;
          const offset = (cell * S + currentStratum) * SLOTS;
          strataSums[offset]! += y;
          strataSums[offset + 1]! += w;
          strataSums[offset + 2]! += y * y;
          strataSums[offset + 3]! += y * w;
          strataSums[offset + 4]! += w * w;
          strataSums[offset + 5]! += 1;
        }
      }
      local.fill(0);
      localPopulation.fill(0);
      spare.push(localByGeo.get(g) as { local: Float64Array; population: Float64Array });
    }
    localByGeo.clear();
  };
  const totalsOf = (g: number) => {
    let totals = localByGeo.get(g);
    if (!totals) {
      totals = spare.pop() ?? { local: new Float64Array(localSize), population: new Float64Array(populationSize) };
      localByGeo.set(g, totals);
    }
    return totals;
  };

  for (const row of statement.iterate(datasetId, wave) as Iterable<unknown[]>) {
    const [cityCode, stratum, psu, weight, ruralHukou, migrationRange] = row as [string, string, string, number, number | null, string | null];
    const psuKey = `${stratum}\u0000${psu}`;
    if (psuKey !== currentPsu) {
      flushPsu();
      currentPsu = psuKey;
      currentStratum = stratumIndex.get(stratum) ?? 0;
    }
    const rowGeos = (cityGeos.get(cityCode) ?? []).map(totalsOf);
    const hukouOptions = ruralHukou === 1 ? [0, 1] : ruralHukou === 0 ? [0, 2] : [0];
    const rangeIndex = migrationRange ? RANGES.indexOf(migrationRange as (typeof RANGES)[number]) : -1;
    const rangeOptions = rangeIndex > 0 ? [0, rangeIndex] : [0];
    for (const h of hukouOptions) {
      for (const r of rangeOptions) {
        const hr = h * RANGES.length + r;
        for (const totals of rowGeos) totals.population[hr]! += weight;
        for (let k = 0; k < K; k++) {
          const value = indicatorValue(definitions[k] as IndicatorDefinition, row[6 + k]);
          if (Number.isNaN(value)) continue;
          const base = (hr * K + k) * 3;
          for (const { local } of rowGeos) {
            local[base]! += weight * value;
            local[base + 1]! += weight;
            local[base + 2]! += 1;
          }
        }
      }
    }
  }
  flushPsu();

  const rows: IndicatorRow[] = [];
  const inputs: IndicatorCellInput[] = [];
  for (let g = 0; g < geos.length; g++) {
    const geo = geos[g] as Geo;
    const geoPopulation = populationWeight[g * HUKOU.length * RANGES.length] as number;
    for (let h = 0; h < HUKOU.length; h++) {
      for (let r = 0; r < RANGES.length; r++) {
        const hr = h * RANGES.length + r;
        const population = populationWeight[g * HUKOU.length * RANGES.length + hr] as number;
        for (let k = 0; k < K; k++) {
          const definition = definitions[k] as IndicatorDefinition;
          const cell = g * cellsPerGeo + hr * K + k;
          const n = cellCount[cell] as number;
          if (n === 0 && population === 0) continue;
          const sumW = cellWeight[cell] as number;
          const ratio = n > 0 ? (cellWeightedY[cell] as number) / sumW : NaN;
          let variance = 0;
          let psusInDomain = 0;
          let strataInDomain = 0;
          for (let s = 0; s < S; s++) {
            const offset = (cell * S + s) * SLOTS;
            const hits = strataSums[offset + 5] as number;
            if (hits === 0) continue;
            psusInDomain += hits;
            strataInDomain += 1;
            const sumZ = (strataSums[offset] as number) - ratio * (strataSums[offset + 1] as number);
            const sumZ2 =
              (strataSums[offset + 2] as number) - 2 * ratio * (strataSums[offset + 3] as number) + ratio * ratio * (strataSums[offset + 4] as number);
            const nh = (strata[s] as { psus: number }).psus;
            // With one PSU in the stratum, survey's lonely.psu = "adjust" centres at the grand mean, which is 0 here.
            variance += nh > 1 ? (nh / (nh - 1)) * (sumZ2 - (sumZ * sumZ) / nh) : sumZ2;
          }
          const se = n > 0 ? Math.sqrt(Math.max(variance, 0)) / sumW : NaN;
          // Degrees of freedom of the domain: its PSUs minus its strata (conservative for small domains).
          const df = psusInDomain - strataInDomain;
          let ciLow: number | null = null;
          let ciHigh: number | null = null;
          if (n > 0 && df >= 1 && Number.isFinite(se)) {
            const ci = definition.kind === 'proportion' ? logitInterval(ratio, se, df) : waldInterval(ratio, se, df);
            ciLow = ci.lower;
            ciHigh = ci.upper;
          }
          rows.push({
            datasetId,
            wave,
            geoLevel: geo.level,
            geoCode: geo.code,
            hukou: HUKOU[h] as (typeof HUKOU)[number],
            migrationRange: RANGES[r] as (typeof RANGES)[number],
            indicator: definition.key,
            n,
            weightedShare: geoPopulation > 0 ? population / geoPopulation : null,
            estimate: n > 0 ? ratio : null,
            se: n > 0 ? se : null,
            ciLow,
            ciHigh,
            suppressed: false,
          });
          inputs.push({
            indicator: definition.key,
            geoLevel: geo.level,
            geoCode: geo.code,
            hukou: HUKOU[h] as (typeof HUKOU)[number],
            migrationRange: RANGES[r] as (typeof RANGES)[number],
            n,
            df,
            estimate: n > 0 ? ratio : null,
            se: n > 0 ? se : null,
            weight: sumW,
          });
        }
      }
    }
  }
  return { rows, inputs, places: cityRows };
}

export interface SuppressionSummary {
  wave: number;
  /** Cells of the national, tier and city levels (the comparison's table; comparable with earlier sessions' figures). */
  cells: number;
  primary: number;
  secondary: number;
  unreliable: number;
  /** Province cells (the map), with their own counts. */
  provinceCells: number;
  provinceHidden: number;
  /** Hidden province cells shown as a range instead (partial suppression). */
  provinceBanded: number;
}

export interface IndicatorSummary {
  cells: number;
  suppressed: number;
  ms: number;
  byWave: SuppressionSummary[];
}

/** One line per wave: the share of cells hidden by primary suppression alone, and after secondary suppression. */
export function describeSuppression(summary: IndicatorSummary): string[] {
  const percent = (part: number, whole: number) => `${((100 * part) / Math.max(whole, 1)).toFixed(1)}%`;
  return summary.byWave.map(
    (w) =>
      `wave ${w.wave}: ${w.cells.toLocaleString('en')} publishable cells; hidden before secondary suppression ${percent(w.primary, w.cells)} (${w.primary.toLocaleString('en')}), ` +
      `after ${percent(w.primary + w.secondary, w.cells)} (+${w.secondary.toLocaleString('en')} secondary); flagged unreliable ${percent(w.unreliable, w.cells)}; ` +
      `province cells hidden ${percent(w.provinceHidden, w.provinceCells)} (${w.provinceHidden.toLocaleString('en')} of ${w.provinceCells.toLocaleString('en')}), ` +
      `of which shown as a range ${w.provinceBanded.toLocaleString('en')}, so without any figure ${percent(w.provinceHidden - w.provinceBanded, w.provinceCells)}`,
  );
}

export function computeIndicators(
  db: AppDatabase,
  datasetId: number,
  options: { minN?: number; onProgress?: (done: number, total: number) => void } = {},
): IndicatorSummary {
  const started = Date.now();
  const minN = options.minN ?? env.SUPPRESSION_MIN_N;
  const waves = db.$client.prepare('SELECT DISTINCT wave FROM respondents WHERE dataset_id = ? ORDER BY wave').pluck().all(datasetId) as number[];
  const rows: IndicatorRow[] = [];
  const byWave: SuppressionSummary[] = [];
  waves.forEach((wave, i) => {
    const waveRows = computeWaveIndicators(db, datasetId, wave, minN);
    // Shares of the national, tier and city cells (the comparison), and of the province cells (the map) on their own;
    // regions are never shown (status 'unpublished').
    const shown = waveRows.filter((r) => r.geoLevel !== 'province' && r.geoLevel !== 'region');
    const provinceRows = waveRows.filter((r) => r.geoLevel === 'province');
    byWave.push({
      wave,
      cells: shown.length,
      primary: shown.filter((r) => r.status === 'primary').length,
      secondary: shown.filter((r) => r.status === 'secondary').length,
      unreliable: shown.filter((r) => r.unreliable).length,
      provinceCells: provinceRows.length,
      provinceHidden: provinceRows.filter((r) => r.status !== 'published').length,
      provinceBanded: provinceRows.filter((r) => r.bandLow !== null && r.bandLow !== undefined).length,
    });
    rows.push(...waveRows);
    options.onProgress?.(i + 1, waves.length);
  });
  const insert = db.$client.prepare(
    `INSERT INTO indicators (dataset_id, wave, geo_level, geo_code, hukou, migration_range, indicator, n, weighted_share, estimate, se, ci_low, ci_high, suppressed, status, unreliable, band_low, band_high)
     VALUES (@datasetId, @wave, @geoLevel, @geoCode, @hukou, @migrationRange, @indicator, @n, @weightedShare, @estimate, @se, @ciLow, @ciHigh, @suppressed, @status, @unreliable, @bandLow, @bandHigh)`,
  );
  db.$client.transaction(() => {
    db.$client.prepare('DELETE FROM indicators WHERE dataset_id = ?').run(datasetId);
    for (const row of rows) insert.run({ ...row, suppressed: row.suppressed ? 1 : 0, status: row.status ?? 'published', unreliable: row.unreliable ? 1 : 0, bandLow: row.bandLow ?? null, bandHigh: row.bandHigh ?? null });
  })();
  // Equity measures read the stored cells' publication status, so they run after the cells are stored.
  computeEquityMeasures(db, datasetId);
  return { cells: rows.length, suppressed: rows.filter((r) => r.suppressed).length, ms: Date.now() - started, byWave };
}
