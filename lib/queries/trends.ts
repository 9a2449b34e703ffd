// Indicator cells across waves for the trend page: one geography's series, and every city's cells in two waves for
// the improvers and decliners. Suppressed cells come back as status only (no estimate, no se, no n).
import 'server-only';
import { and, eq, inArray } from 'drizzle-orm';
import { getDatabase } from '@/db/client';
import { cities, indicators } from '@/db/schema';
import { roundTo, storedDecimals } from '@/lib/disclosure/publish';
import { findIndicator, type GeoLevel, type HukouFilter, type MigrationRangeFilter } from '@/lib/indicators/catalogue';

export interface TrendCell {
  wave: number;
  geoCode: string;
  /** Null when suppressed. */
  n: number | null;
  estimate: number | null;
  se: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  suppressed: boolean;
}

export interface SeriesFilters {
  datasetId: number;
  indicator: string;
  hukou: HukouFilter;
  migrationRange: MigrationRangeFilter;
}

const columns = {
  wave: indicators.wave,
  geoCode: indicators.geoCode,
  n: indicators.n,
  estimate: indicators.estimate,
  se: indicators.se,
  ciLow: indicators.ciLow,
  ciHigh: indicators.ciHigh,
  suppressed: indicators.suppressed,
};

/** Hidden cells as status only; shown ones rounded to the printed precision (the SE, which feeds the server-side CI of
 * a change, to one more decimal) before anything reaches a page or the client. */
function publisher(indicator: string): (cell: TrendCell) => TrendCell {
  const decimals = storedDecimals(findIndicator(indicator)?.kind ?? 'mean');
  return (cell) =>
    cell.suppressed
      ? { wave: cell.wave, geoCode: cell.geoCode, n: null, estimate: null, se: null, ciLow: null, ciHigh: null, suppressed: true }
      : { ...cell, estimate: roundTo(cell.estimate, decimals), se: roundTo(cell.se, decimals + 1), ciLow: roundTo(cell.ciLow, decimals), ciHigh: roundTo(cell.ciHigh, decimals) };
}

/** Every wave's cell of one geography, in wave order. */
export function listIndicatorSeries(filters: SeriesFilters & { geoLevel: GeoLevel; geoCode: string }): TrendCell[] {
  return getDatabase()
    .select(columns)
    .from(indicators)
    .where(
      and(
        eq(indicators.datasetId, filters.datasetId),
        eq(indicators.geoLevel, filters.geoLevel),
        eq(indicators.geoCode, filters.geoCode),
        eq(indicators.indicator, filters.indicator),
        eq(indicators.hukou, filters.hukou),
        eq(indicators.migrationRange, filters.migrationRange),
      ),
    )
    .all()
    .map(publisher(filters.indicator))
    .sort((a, b) => a.wave - b.wave);
}

export interface CityWaveCells {
  cityCode: string;
  nameZh: string;
  nameEn: string;
  cells: TrendCell[];
}

/** Every city's cells in the given waves (for changes between two waves). */
export function listCityCellsInWaves(filters: SeriesFilters & { waves: number[] }): CityWaveCells[] {
  const rows = getDatabase()
    .select({ ...columns, nameZh: cities.nameZh, nameEn: cities.nameEn })
    .from(indicators)
    .innerJoin(cities, eq(cities.code, indicators.geoCode))
    .where(
      and(
        eq(indicators.datasetId, filters.datasetId),
        eq(indicators.geoLevel, 'city'),
        inArray(indicators.wave, filters.waves),
        eq(indicators.indicator, filters.indicator),
        eq(indicators.hukou, filters.hukou),
        eq(indicators.migrationRange, filters.migrationRange),
      ),
    )
    .all();
  const byCity = new Map<string, CityWaveCells>();
  const published = publisher(filters.indicator);
  for (const row of rows) {
    const entry = byCity.get(row.geoCode) ?? { cityCode: row.geoCode, nameZh: row.nameZh, nameEn: row.nameEn, cells: [] };
    entry.cells.push(published(row));
    byCity.set(row.geoCode, entry);
  }
  return [...byCity.values()];
}
