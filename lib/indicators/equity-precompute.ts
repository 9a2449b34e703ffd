// Precomputes the equity view's summary measures for every wave x indicator from the respondents (after the indicator
// cells): hukou gaps, migration-range gradients and between-city dispersion, with design-based SEs (lib/stats/inequality).
import type { AppDatabase } from '@/db/client';
import type { equityMeasures } from '@/db/schema';
import { fitRankRegression, midRanks, slopeIndices, subgroupsFromCells, summaryMeasures, type Measure, type MeasureName } from '@/lib/stats/inequality';
import { createSurveyDesign } from '@/lib/stats/survey';
import { HUKOU_FILTERS, HUKOU_TYPES, MIGRATION_RANGE_FILTERS, MIGRATION_RANGES } from '@/lib/domain';
import { readWaveColumns, type WaveColumns } from './wave-columns';

export const EQUITY_FAMILIES = ['hukou_gap', 'range_gradient', 'city_dispersion'] as const;
export type EquityFamily = (typeof EQUITY_FAMILIES)[number];

/** The measures stored for each family; all unscaled (display scaling multiplies estimate and SE alike). */
export const FAMILY_MEASURES: Record<EquityFamily, readonly MeasureName[]> = {
  hukou_gap: ['D', 'R'],
  range_gradient: ['SII', 'RII', 'ACI'],
  city_dispersion: ['BGSD', 'IDISW', 'MLD'],
};

const RANGES = MIGRATION_RANGE_FILTERS;
const HUKOU = HUKOU_FILTERS;
/** Migration range as distance, from the most disadvantaged (farthest from home) to the least. */
export const RANGE_ORDER = MIGRATION_RANGES;
type GeoLevel = 'national' | 'region' | 'tier' | 'province' | 'city';

export type EquityRow = Omit<typeof equityMeasures.$inferInsert, 'id'>;

/** Whether a stored indicator cell may be published: (geo level, geo code, hukou, range, indicator) → shown. */
export type CellPublished = (geoLevel: GeoLevel, geoCode: string, hukou: string, migrationRange: string, indicator: string) => boolean;

/**
 * THE rule for equity measures: a gap or measure that involves an indicator cell which is not published (suppressed,
 * primarily or secondarily) is not shown. It reads the stored cells' status, so the measures follow whatever the
 * indicators' suppression decided.
 */
export function loadCellPublication(db: AppDatabase, datasetId: number, wave: number): CellPublished {
  const shown = new Set<string>();
  const rows = db.$client
    .prepare('SELECT geo_level, geo_code, hukou, migration_range, indicator FROM indicators WHERE dataset_id = ? AND wave = ? AND suppressed = 0 AND estimate IS NOT NULL')
    .raw()
    .all(datasetId, wave) as string[][];
  for (const row of rows) shown.add(row.join('\u0000'));
  return (geoLevel, geoCode, hukou, migrationRange, indicator) => shown.has([geoLevel, geoCode, hukou, migrationRange, indicator].join('\u0000'));
}

interface Geo {
  level: GeoLevel;
  code: string;
  /** Base cells (PSU x city x hukou x range) of the geography's cities. */
  cells: Int32Array;
  /** Local indices of its cities. */
  cities: Int32Array;
  /** Each of `cells`' hukou and range as one key (hukou * 4 + range), aligned with `cells`. */
  keys: Uint8Array;
}

type Base = Omit<EquityRow, 'measure' | 'estimate' | 'se' | 'ciLow' | 'ciHigh' | 'suppressed'>;

/** The equity measures of one wave, as rows (not yet stored). */
export function computeWaveEquity(db: AppDatabase, datasetId: number, wave: number, isPublished: CellPublished, preloaded?: WaveColumns | null): EquityRow[] {
  // The wave as typed columns (codes and numbers), read once with its indicators when computeIndicators calls this:
  // row arrays of every column would hold several hundred MB for a full wave.
  const columns = preloaded === undefined ? readWaveColumns(db, datasetId, wave) : preloaded;
  if (!columns) return [];
  const { definitions, n, cityCodes, weight: weights, stratum: stratumOfRow, psu: psuOfRow, city: cityOfRow, hukou: hukouOfRow, range: rangeOfRow, values } = columns;
  // Codes number strata and PSUs in order of first appearance, as the labels would: the same design.
  const design = createSurveyDesign(weights, stratumOfRow, psuOfRow);

  // Base cells: every estimate below is a sum over (PSU, city, hukou, range) cells, built in one pass. A PSU's rows are
  // consecutive, so its cells are looked up in a small table by (city, hukou, range), emptied when the PSU changes.
  const cellOfRow = new Int32Array(n);
  const cellPsu: number[] = [];
  const cellCity: number[] = [];
  const cellHukou: number[] = []; // index into HUKOU: 1 rural, 2 urban, 0 unknown
  const cellRange: number[] = []; // index into RANGES, 0 unknown
  const cellOfSlot = new Int32Array(cityCodes.length * 12).fill(-1);
  const usedSlots: number[] = [];
  let currentPsu = -1;
  for (let i = 0; i < n; i++) {
    const c = cityOfRow[i] as number;
    const h = hukouOfRow[i] as number;
    const range = rangeOfRow[i] as number;
    const psu = design.psu[i] as number;
    if (psu !== currentPsu) {
      for (const slot of usedSlots) cellOfSlot[slot] = -1;
      usedSlots.length = 0;
      currentPsu = psu;
    }
    const slot = c * 12 + h * 4 + range;
    let cell = cellOfSlot[slot] as number;
    if (cell < 0) {
      cell = cellPsu.length;
      cellOfSlot[slot] = cell;
      usedSlots.push(slot);
      cellPsu.push(psu);
      cellCity.push(c);
      cellHukou.push(h);
      cellRange.push(range);
    }
    cellOfRow[i] = cell;
  }
  const nCells = cellPsu.length;

  const cityRows = db.$client
    .prepare('SELECT c.code, c.province_code AS provinceCode, p.region, c.tier FROM cities c JOIN provinces p ON p.code = c.province_code')
    .all() as Array<{ code: string; provinceCode: string; region: string; tier: string }>;
  const cityByCode = new Map(cityRows.map((c) => [c.code, c]));
  const geoCities = new Map<string, number[]>();
  cityCodes.forEach((code, c) => {
    const city = cityByCode.get(code);
    const keys = city ? ['national:CN', `region:${city.region}`, `tier:${city.tier}`, `province:${city.provinceCode}`, `city:${code}`] : ['national:CN'];
    for (const key of keys) {
      let list = geoCities.get(key);
      if (!list) geoCities.set(key, (list = []));
      list.push(c);
    }
  });
  const cellsOfCity: number[][] = cityCodes.map(() => []);
  for (let cell = 0; cell < nCells; cell++) cellsOfCity[cellCity[cell] as number]!.push(cell);
  const geos: Geo[] = [...geoCities].map(([key, cities]) => {
    const [level, code] = key.split(':') as [GeoLevel, string];
    const cells = Int32Array.from(cities.flatMap((c) => cellsOfCity[c] as number[]));
    const keys = Uint8Array.from(cells, (cell) => (cellHukou[cell] as number) * 4 + (cellRange[cell] as number));
    return { level, code, cities: Int32Array.from(cities), cells, keys };
  });

  // Scratch for one domain's cells, reused by every problem.
  const scratch = { psu: new Int32Array(nCells), group: new Int32Array(nCells), sumWeights: new Float64Array(nCells), sumWY: new Float64Array(nCells), n: new Int32Array(nCells) };
  const cellSumW = new Float64Array(nCells);
  const cellSumWY = new Float64Array(nCells);
  const cellN = new Int32Array(nCells);
  // The subgroup of a cell in one problem: hukou gap within range r (rural 0, urban 1), range gradient within hukou h
  // (range 1-3 as 0-2), or the city among those published (dispersion within h and r); -1 outside the domain.
  const HUKOU_GAP = 0;
  const RANGE_GRADIENT = 1;
  const CITY_DISPERSION = 2;
  // A cell's group in one problem depends only on its hukou and range (its key), except between cities, where the key
  // says whether the cell is in the domain and its city gives the group. The table is filled once per problem, so the
  // loop over every cell is a lookup (the same cells in the same order as testing each cell).
  const groupOfKey = new Int32Array(12);
  const fillGroups = (family: number, h: number, r: number) => {
    for (let key = 0; key < 12; key++) {
      const cellH = key >> 2;
      const cellR = key & 3;
      if (family === HUKOU_GAP) groupOfKey[key] = r === 0 || cellR === r ? (cellH === 1 ? 0 : cellH === 2 ? 1 : -1) : -1;
      else if (family === RANGE_GRADIENT) groupOfKey[key] = (h === 0 || cellH === h) && cellR > 0 ? cellR - 1 : -1;
      else groupOfKey[key] = (h === 0 || cellH === h) && (r === 0 || cellR === r) ? 0 : -1;
    }
  };
  const domain = (geo: Geo, family: number, h: number, r: number, K: number) => {
    fillGroups(family, h, r);
    const byCity = family === CITY_DISPERSION;
    const { cells: geoCells, keys } = geo;
    let m = 0;
    for (let j = 0; j < geoCells.length; j++) {
      let g = groupOfKey[keys[j] as number] as number;
      if (g < 0) continue;
      const cell = geoCells[j] as number;
      if (cellN[cell] === 0) continue;
      if (byCity) {
        g = localCity[cellCity[cell] as number] as number;
        if (g < 0) continue;
      }
      scratch.psu[m] = cellPsu[cell] as number;
      scratch.group[m] = g;
      scratch.sumWeights[m] = cellSumW[cell] as number;
      scratch.sumWY[m] = cellSumWY[cell] as number;
      scratch.n[m] = cellN[cell] as number;
      m += 1;
    }
    const cells = { psu: scratch.psu.subarray(0, m), group: scratch.group.subarray(0, m), sumWeights: scratch.sumWeights.subarray(0, m), sumWY: scratch.sumWY.subarray(0, m), n: scratch.n.subarray(0, m) };
    return subgroupsFromCells(cells, K);
  };

  const out: EquityRow[] = [];
  const store = (base: Base, measures: Partial<Record<MeasureName, Measure>> | null, names: readonly MeasureName[]) => {
    for (const measure of names) {
      const m = measures?.[measure];
      const usable = m !== undefined && Number.isFinite(m.estimate) && Number.isFinite(m.se);
      out.push({ ...base, measure, estimate: usable ? m.estimate : null, se: usable ? m.se : null, ciLow: usable ? m.ci[0] : null, ciHigh: usable ? m.ci[1] : null, suppressed: !usable });
    }
  };
  const localCity = new Int32Array(cityCodes.length).fill(-1);

  definitions.forEach((definition, k) => {
    cellSumW.fill(0);
    cellSumWY.fill(0);
    cellN.fill(0);
    const column = values[k] as Float64Array;
    for (let i = 0; i < n; i++) {
      const y = column[i] as number;
      if (Number.isNaN(y)) continue;
      const cell = cellOfRow[i] as number;
      const w = design.weights[i] as number;
      cellSumW[cell]! += w;
      cellSumWY[cell]! += w * y;
      cellN[cell]! += 1;
    }
    const link = definition.kind === 'proportion' ? 'logit' : 'identity';
    const indicator = definition.key;
    for (const geo of geos) {
      const where = { datasetId, wave, indicator, geoLevel: geo.level, geoCode: geo.code };
      // Hukou gap within each migration range: D = rural − urban, R = rural / urban.
      for (let r = 0; r < RANGES.length; r++) {
        const range = RANGES[r] as EquityRow['migrationRange'];
        const shown = isPublished(geo.level, geo.code, 'rural', range, indicator) && isPublished(geo.level, geo.code, 'urban', range, indicator);
        let measures: Partial<Record<MeasureName, Measure>> | null = null;
        let count = 0;
        if (shown) {
          const sub = domain(geo, HUKOU_GAP, 0, r, 2);
          count = sub.n[0]! + sub.n[1]!;
          measures = summaryMeasures(design, sub, { groups: [...HUKOU_TYPES], favourable: definition.higherIsBetter, pair: HUKOU_TYPES, only: FAMILY_MEASURES.hukou_gap });
        }
        store({ ...where, family: 'hukou_gap', hukou: 'all', migrationRange: range, n: count, groups: 2 }, measures, FAMILY_MEASURES.hukou_gap);
      }
      // Migration-range gradient within each hukou group, over the ordered ranges.
      for (let h = 0; h < HUKOU.length; h++) {
        const hukou = HUKOU[h] as EquityRow['hukou'];
        const shown = RANGE_ORDER.every((range) => isPublished(geo.level, geo.code, hukou, range, indicator));
        let measures: Partial<Record<MeasureName, Measure>> | null = null;
        let count = 0;
        if (shown) {
          const sub = domain(geo, RANGE_GRADIENT, h, 0, 3);
          count = sub.n.reduce((a, b) => a + b, 0);
          const groups = [...RANGE_ORDER];
          measures = summaryMeasures(design, sub, { groups, favourable: definition.higherIsBetter, order: groups, only: ['ACI'] });
          try {
            Object.assign(measures, slopeIndices(fitRankRegression(design, sub, midRanks(groups, sub.shares, groups), link)));
          } catch {
            // A regression that cannot be fitted (e.g. every respondent answered yes) leaves SII and RII unshown.
          }
        }
        store({ ...where, family: 'range_gradient', hukou, migrationRange: 'all', n: count, groups: 3 }, measures, FAMILY_MEASURES.range_gradient);
      }
      // Between-city dispersion, over the cities whose cell is published.
      if (geo.level !== 'national' && geo.level !== 'province' && geo.level !== 'tier') continue;
      for (let h = 0; h < HUKOU.length; h++) {
        for (let r = 0; r < RANGES.length; r++) {
          const hukou = HUKOU[h] as EquityRow['hukou'];
          const range = RANGES[r] as EquityRow['migrationRange'];
          let K = 0;
          for (const c of geo.cities) localCity[c] = isPublished('city', cityCodes[c] as string, hukou, range, indicator) ? K++ : -1;
          let measures: Partial<Record<MeasureName, Measure>> | null = null;
          let count = 0;
          if (K >= 2) {
            const sub = domain(geo, CITY_DISPERSION, h, r, K);
            count = sub.n.reduce((a, b) => a + b, 0);
            const groups = Array.from({ length: K }, (_, j) => String(j));
            measures = summaryMeasures(design, sub, { groups, favourable: definition.higherIsBetter, only: FAMILY_MEASURES.city_dispersion });
          }
          store({ ...where, family: 'city_dispersion', hukou, migrationRange: range, n: count, groups: K }, measures, FAMILY_MEASURES.city_dispersion);
        }
      }
    }
  });
  return out;
}

/** Recomputes and stores every wave's equity measures of a dataset (called after its indicator cells are stored). */
export function computeEquityMeasures(db: AppDatabase, datasetId: number, columnsByWave?: ReadonlyMap<number, WaveColumns | null>): { rows: number; ms: number } {
  const started = Date.now();
  const waves = db.$client.prepare('SELECT DISTINCT wave FROM respondents WHERE dataset_id = ? ORDER BY wave').pluck().all(datasetId) as number[];
  const rows = waves.flatMap((wave) => computeWaveEquity(db, datasetId, wave, loadCellPublication(db, datasetId, wave), columnsByWave?.get(wave)));
  const insert = db.$client.prepare(
    `INSERT INTO equity_measures (dataset_id, wave, indicator, family, geo_level, geo_code, hukou, migration_range, measure, n, groups, estimate, se, ci_low, ci_high, suppressed)
     VALUES (@datasetId, @wave, @indicator, @family, @geoLevel, @geoCode, @hukou, @migrationRange, @measure, @n, @groups, @estimate, @se, @ciLow, @ciHigh, @suppressed)`,
  );
  db.$client.transaction(() => {
    db.$client.prepare('DELETE FROM equity_measures WHERE dataset_id = ?').run(datasetId);
    for (const row of rows) insert.run({ ...row, suppressed: row.suppressed ? 1 : 0 });
  })();
  return { rows: rows.length, ms: Date.now() - started };
}
