// Indicator cells across waves for the trend page: one geography's series, and every city's cells in two waves for
// the improvers and decliners. Suppressed cells come back as status only (no estimate, no se, no n). The waves come
// from their sources (listTrendSources): the active version's, and for imported data each other wave's latest version.
import 'server-only';
import { and, asc, desc, eq, or, sql, type SQL } from 'drizzle-orm';
import { storeOf, type Store } from '@/db/store';
import { roundTo, storedDecimals } from '@/lib/disclosure/publish';
import { findIndicator, type GeoLevel, type HukouFilter, type MigrationRangeFilter } from '@/lib/indicators/catalogue';
import { getDatabase } from './database';

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

/** The dataset version a trend wave is read from. */
export interface TrendSource {
  wave: number;
  datasetId: number;
  label: string;
}

/**
 * The national-design waves a trend joins, each with the version it comes from. Synthetic data: the active version's
 * waves only (the demo's waves are one synthetic set). Imported data: every wave of every ready imported version,
 * each from the most recently activated version that holds it (the active version first), so a 2017 file imported
 * after a 2018 file joins it; synthetic and imported versions never mix. Each wave's cells were protected on their
 * own (disclosure control's relations never cross waves), so joining versions discloses nothing new.
 */
export async function listTrendSources(active: { id: number; kind: 'synthetic' | 'imported' }): Promise<TrendSource[]> {
  const { q, waves, datasets } = storeOf(getDatabase());
  const rows = await q
    .select({ wave: waves.year, datasetId: waves.datasetId, label: datasets.label })
    .from(waves)
    .innerJoin(datasets, eq(datasets.id, waves.datasetId))
    .where(and(eq(waves.design, 'national'), eq(datasets.status, 'ready'), active.kind === 'imported' ? eq(datasets.kind, 'imported') : eq(datasets.id, active.id)))
    // The active version first, then the most recently activated (the comparison is a boolean in PostgreSQL, 0/1 in
    // SQLite: true sorts last in both, so descending puts it first).
    .orderBy(desc(sql`(${datasets.id} = ${active.id})`), desc(sql`COALESCE(${datasets.activatedAt}, ${datasets.createdAt})`), desc(datasets.id));
  const byWave = new Map<number, TrendSource>();
  for (const row of rows) if (!byWave.has(row.wave)) byWave.set(row.wave, row);
  return [...byWave.values()].sort((a, b) => a.wave - b.wave);
}

function fromSources({ indicators }: Pick<Store, 'indicators'>, sources: readonly Pick<TrendSource, 'wave' | 'datasetId'>[]): SQL {
  // No source: a condition that holds for no row.
  if (sources.length === 0) return eq(indicators.id, -1);
  return or(...sources.map((s) => and(eq(indicators.datasetId, s.datasetId), eq(indicators.wave, s.wave)))) as SQL;
}

export interface SeriesFilters {
  sources: readonly Pick<TrendSource, 'wave' | 'datasetId'>[];
  indicator: string;
  hukou: HukouFilter;
  migrationRange: MigrationRangeFilter;
}

const columnsOf = ({ indicators }: Pick<Store, 'indicators'>) => ({
  wave: indicators.wave,
  geoCode: indicators.geoCode,
  n: indicators.n,
  estimate: indicators.estimate,
  se: indicators.se,
  ciLow: indicators.ciLow,
  ciHigh: indicators.ciHigh,
  suppressed: indicators.suppressed,
});

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
export async function listIndicatorSeries(filters: SeriesFilters & { geoLevel: GeoLevel; geoCode: string }): Promise<TrendCell[]> {
  const { q, indicators } = storeOf(getDatabase());
  const rows = await q
    .select(columnsOf({ indicators }))
    .from(indicators)
    .where(
      and(
        fromSources({ indicators }, filters.sources),
        eq(indicators.geoLevel, filters.geoLevel),
        eq(indicators.geoCode, filters.geoCode),
        eq(indicators.indicator, filters.indicator),
        eq(indicators.hukou, filters.hukou),
        eq(indicators.migrationRange, filters.migrationRange),
      ),
    )
    .orderBy(asc(indicators.id));
  return rows.map(publisher(filters.indicator)).sort((a, b) => a.wave - b.wave);
}

export interface CityWaveCells {
  cityCode: string;
  nameZh: string;
  nameEn: string;
  cells: TrendCell[];
}

/** Every city's cells in the given waves (for changes between two waves). */
export async function listCityCellsInWaves(filters: SeriesFilters & { waves: number[] }): Promise<CityWaveCells[]> {
  const { q, indicators, cities } = storeOf(getDatabase());
  const rows = await q
    .select({ ...columnsOf({ indicators }), nameZh: cities.nameZh, nameEn: cities.nameEn })
    .from(indicators)
    .innerJoin(cities, eq(cities.code, indicators.geoCode))
    .where(
      and(
        fromSources({ indicators }, filters.sources.filter((source) => filters.waves.includes(source.wave))),
        eq(indicators.geoLevel, 'city'),
        eq(indicators.indicator, filters.indicator),
        eq(indicators.hukou, filters.hukou),
        eq(indicators.migrationRange, filters.migrationRange),
      ),
    )
    // The order SQLite's lookup index gives (the cells' insertion order), in both databases.
    .orderBy(asc(indicators.id));
  const byCity = new Map<string, CityWaveCells>();
  const published = publisher(filters.indicator);
  for (const row of rows) {
    const entry = byCity.get(row.geoCode) ?? { cityCode: row.geoCode, nameZh: row.nameZh, nameEn: row.nameEn, cells: [] };
    entry.cells.push(published(row));
    byCity.set(row.geoCode, entry);
  }
  return [...byCity.values()];
}
