// Reads the precomputed equity measures and the subgroup cells they compare, already on their display scale and
// rounded to the shown precision, so nothing finer than the page shows reaches the client.
import 'server-only';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { storeOf, type Store } from '@/db/store';
import type { IndicatorKind } from '@/lib/indicators/catalogue';
import { displayScale, isClearDifference, toDisplay, type DisplayScale } from '@/lib/indicators/equity-format';
import type { EquityFamily } from '@/lib/indicators/equity-precompute';
import type { MeasureName } from '@/lib/stats/inequality';
import type { HukouFilter, MigrationRangeFilter } from '@/lib/domain';
import { getDatabase } from './database';

type GeoLevel = 'national' | 'region' | 'tier' | 'province' | 'city';

/** A shown measure: display units, rounded; `clear` when its 95% CI excludes no difference. */
export interface EquityFigure {
  estimate: number;
  se: number;
  low: number;
  high: number;
  clear: boolean;
  n: number;
  scale: DisplayScale;
}

export interface EquitySelection {
  datasetId: number;
  wave: number;
  indicator: string;
  kind: IndicatorKind;
  family: EquityFamily;
  measure: MeasureName;
  hukou: HukouFilter;
  migrationRange: MigrationRangeFilter;
}

interface StoredMeasure {
  estimate: number | null;
  se: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  n: number;
  suppressed: boolean;
}

function toFigure(row: StoredMeasure, selection: Pick<EquitySelection, 'kind' | 'measure'>): EquityFigure | null {
  if (row.suppressed || row.estimate === null || row.se === null || row.ciLow === null || row.ciHigh === null) return null;
  const measure = { estimate: row.estimate, se: row.se, ci: [row.ciLow, row.ciHigh] as [number, number] };
  const scale = displayScale(selection.measure, selection.kind);
  const shown = toDisplay(measure, scale);
  return { estimate: shown.estimate, se: shown.se, low: shown.ci[0], high: shown.ci[1], clear: isClearDifference(measure, selection.measure), n: row.n, scale };
}

const measureColumnsOf = ({ equityMeasures }: Pick<Store, 'equityMeasures'>) => ({
  estimate: equityMeasures.estimate,
  se: equityMeasures.se,
  ciLow: equityMeasures.ciLow,
  ciHigh: equityMeasures.ciHigh,
  n: equityMeasures.n,
  suppressed: equityMeasures.suppressed,
});

function selectionWhere({ equityMeasures }: Pick<Store, 'equityMeasures'>, selection: EquitySelection) {
  return [
    eq(equityMeasures.datasetId, selection.datasetId),
    eq(equityMeasures.wave, selection.wave),
    eq(equityMeasures.indicator, selection.indicator),
    eq(equityMeasures.family, selection.family),
    eq(equityMeasures.measure, selection.measure),
    eq(equityMeasures.hukou, selection.hukou),
    eq(equityMeasures.migrationRange, selection.migrationRange),
  ];
}

export interface CityEquityRow {
  cityCode: string;
  nameZh: string;
  nameEn: string;
  provinceZh: string;
  provinceEn: string;
  tier: string;
  figure: EquityFigure | null;
}

/** Every city's measure under the selection, ranked by estimate (largest first; not shown last). */
export async function listCityEquity(selection: EquitySelection): Promise<CityEquityRow[]> {
  const { q, equityMeasures, cities, provinces } = storeOf(getDatabase());
  const rows = await q
    .select({ ...measureColumnsOf({ equityMeasures }), cityCode: cities.code, nameZh: cities.nameZh, nameEn: cities.nameEn, provinceZh: provinces.nameZh, provinceEn: provinces.nameEn, tier: cities.tier })
    .from(equityMeasures)
    .innerJoin(cities, eq(cities.code, equityMeasures.geoCode))
    .innerJoin(provinces, eq(provinces.code, cities.provinceCode))
    .where(and(...selectionWhere({ equityMeasures }, selection), eq(equityMeasures.geoLevel, 'city')));
  return rows
    .map((row) => ({ cityCode: row.cityCode, nameZh: row.nameZh, nameEn: row.nameEn, provinceZh: row.provinceZh, provinceEn: row.provinceEn, tier: row.tier, figure: toFigure(row, selection) }))
    .sort((a, b) => (b.figure?.estimate ?? -Infinity) - (a.figure?.estimate ?? -Infinity) || a.cityCode.localeCompare(b.cityCode));
}

/** One geography's measure (the nation's, a tier's, a city's), or null when it is not shown. */
export async function getEquityFigure(selection: EquitySelection, geoLevel: GeoLevel, geoCode: string): Promise<EquityFigure | null> {
  const { q, equityMeasures } = storeOf(getDatabase());
  const [row] = await q
    .select(measureColumnsOf({ equityMeasures }))
    .from(equityMeasures)
    .where(and(...selectionWhere({ equityMeasures }, selection), eq(equityMeasures.geoLevel, geoLevel), eq(equityMeasures.geoCode, geoCode)))
    .limit(1);
  return row ? toFigure(row, selection) : null;
}

/** A subgroup cell on its display scale (percent for proportions), rounded; null figures when suppressed. */
export interface GroupCell {
  geoCode: string;
  hukou: string;
  migrationRange: string;
  /** null when suppressed: a small cell's count is not shown either. */
  n: number | null;
  estimate: number | null;
  low: number | null;
  high: number | null;
}

/** Indicator cells of cities (all, or one) for some hukou x range splits, for the equiplot and the matrix. */
export async function listGroupCells(datasetId: number, wave: number, indicator: string, kind: IndicatorKind, splits: { hukou: string[]; ranges: string[] }, cityCode?: string): Promise<GroupCell[]> {
  const factor = kind === 'proportion' ? 100 : 1;
  const round = (v: number | null, suppressed: boolean) => (v === null || suppressed ? null : Number((v * factor).toFixed(1)));
  const { q, indicators } = storeOf(getDatabase());
  const rows = await q
    .select({ geoCode: indicators.geoCode, hukou: indicators.hukou, migrationRange: indicators.migrationRange, n: indicators.n, estimate: indicators.estimate, ciLow: indicators.ciLow, ciHigh: indicators.ciHigh, suppressed: indicators.suppressed })
    .from(indicators)
    .where(
      and(
        eq(indicators.datasetId, datasetId),
        eq(indicators.wave, wave),
        eq(indicators.geoLevel, 'city'),
        eq(indicators.indicator, indicator),
        inArray(indicators.hukou, splits.hukou as Array<'all'>),
        inArray(indicators.migrationRange, splits.ranges as Array<'all'>),
        cityCode ? eq(indicators.geoCode, cityCode) : undefined,
      ),
    )
    // The order SQLite's lookup index gives (the cells' insertion order), in both databases.
    .orderBy(asc(indicators.id));
  return rows.map((c) => ({ geoCode: c.geoCode, hukou: c.hukou, migrationRange: c.migrationRange, n: c.suppressed ? null : c.n, estimate: round(c.estimate, c.suppressed), low: round(c.ciLow, c.suppressed), high: round(c.ciHigh, c.suppressed) }));
}
