// Reads the precomputed indicators of the active dataset: city rankings, benchmarks and city profiles. Every cell
// passes lib/disclosure/publish.ts: rounded to the printed precision, and hidden cells carry only status and n band.
import 'server-only';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { storeOf, type Store } from '@/db/store';
import { env } from '@/lib/env';
import { findIndicator, type HukouFilter, type MigrationRangeFilter } from '@/lib/indicators/catalogue';
import { publishCell, type PublicCell, type StoredCell } from '@/lib/disclosure/publish';
import { getDatabase } from './database';
import { cachedQuery } from './result-cache';

/** A cell as pages, route handlers and PDFs may use it (see PublicCell). */
export type IndicatorCell = PublicCell;

function toPublic<T extends StoredCell>(row: T): PublicCell {
  return publishCell(row, findIndicator(row.indicator)?.kind ?? 'mean', env.SUPPRESSION_MIN_N);
}

export interface CityRankingRow extends IndicatorCell {
  cityCode: string;
  nameZh: string;
  nameEn: string;
  provinceZh: string;
  provinceEn: string;
  region: string;
  tier: string;
}

export interface RankingFilters {
  datasetId: number;
  wave: number;
  indicator: string;
  hukou: HukouFilter;
  migrationRange: MigrationRangeFilter;
  region?: string | null;
  tier?: string | null;
}

/** The stored columns a PublicCell is made from (publishCell); other queries of cells select the same. */
export const cellColumnsOf = ({ indicators }: Pick<Store, 'indicators'>) => ({
  indicator: indicators.indicator,
  geoLevel: indicators.geoLevel,
  geoCode: indicators.geoCode,
  hukou: indicators.hukou,
  migrationRange: indicators.migrationRange,
  n: indicators.n,
  weightedShare: indicators.weightedShare,
  estimate: indicators.estimate,
  ciLow: indicators.ciLow,
  ciHigh: indicators.ciHigh,
  status: indicators.status,
  unreliable: indicators.unreliable,
});

/** Every city's cell for one indicator under the filters, ranked by estimate (suppressed cells last). */
export async function listCityRanking(filters: RankingFilters): Promise<CityRankingRow[]> {
  const { datasetId, wave, indicator, hukou, migrationRange, region = null, tier = null } = filters;
  // A copy of the cached list, so that a caller may reorder it.
  return [...(await cachedQuery(`ranking:${JSON.stringify([datasetId, wave, indicator, hukou, migrationRange, region, tier])}`, () => queryCityRanking(filters)))];
}

async function queryCityRanking(filters: RankingFilters): Promise<CityRankingRow[]> {
  const { q, indicators, cities, provinces } = storeOf(getDatabase());
  const rows = (await q
    .select({
      ...cellColumnsOf({ indicators }),
      cityCode: cities.code,
      nameZh: cities.nameZh,
      nameEn: cities.nameEn,
      provinceZh: provinces.nameZh,
      provinceEn: provinces.nameEn,
      region: provinces.region,
      tier: cities.tier,
    })
    .from(indicators)
    .innerJoin(cities, eq(cities.code, indicators.geoCode))
    .innerJoin(provinces, eq(provinces.code, cities.provinceCode))
    .where(
      and(
        eq(indicators.datasetId, filters.datasetId),
        eq(indicators.wave, filters.wave),
        eq(indicators.geoLevel, 'city'),
        eq(indicators.indicator, filters.indicator),
        eq(indicators.hukou, filters.hukou),
        eq(indicators.migrationRange, filters.migrationRange),
        filters.region ? eq(provinces.region, filters.region as 'east') : undefined,
        filters.tier ? eq(cities.tier, filters.tier as 'tier1') : undefined,
      ),
    ))
    .map(({ cityCode, nameZh, nameEn, provinceZh, provinceEn, region, tier, ...cell }) => ({ ...toPublic(cell), cityCode, nameZh, nameEn, provinceZh, provinceEn, region, tier }));
  return rows.sort((a, b) => (b.estimate ?? -Infinity) - (a.estimate ?? -Infinity) || a.cityCode.localeCompare(b.cityCode));
}

/** One geography's cell (national 'CN', a region, a tier, a province or a city). */
export async function getIndicatorCell(
  datasetId: number,
  wave: number,
  geoLevel: 'national' | 'region' | 'tier' | 'province' | 'city',
  geoCode: string,
  indicator: string,
  hukou: HukouFilter = 'all',
  migrationRange: MigrationRangeFilter = 'all',
): Promise<IndicatorCell | null> {
  return cachedQuery(`cell:${JSON.stringify([datasetId, wave, geoLevel, geoCode, indicator, hukou, migrationRange])}`, async () => {
    const { q, indicators } = storeOf(getDatabase());
    const [row] = await q
      .select(cellColumnsOf({ indicators }))
      .from(indicators)
      .where(
        and(
          eq(indicators.datasetId, datasetId),
          eq(indicators.wave, wave),
          eq(indicators.geoLevel, geoLevel),
          eq(indicators.geoCode, geoCode),
          eq(indicators.indicator, indicator),
          eq(indicators.hukou, hukou),
          eq(indicators.migrationRange, migrationRange),
        ),
      )
      .limit(1);
    return row ? toPublic(row) : null;
  });
}

/** All cells of some geographies in one wave (for profiles: the city, its tier and the nation, every split). */
export async function listGeographyCells(datasetId: number, wave: number, geos: Array<{ level: 'national' | 'tier' | 'city' | 'region' | 'province'; code: string }>): Promise<IndicatorCell[]> {
  return [...(await cachedQuery(`geographies:${JSON.stringify([datasetId, wave, geos])}`, () => queryGeographyCells(datasetId, wave, geos)))];
}

async function queryGeographyCells(datasetId: number, wave: number, geos: Array<{ level: 'national' | 'tier' | 'city' | 'region' | 'province'; code: string }>): Promise<IndicatorCell[]> {
  const { q, indicators } = storeOf(getDatabase());
  const perGeography = [];
  for (const geo of geos) {
    perGeography.push(
      await q
        .select(cellColumnsOf({ indicators }))
        .from(indicators)
        .where(and(eq(indicators.datasetId, datasetId), eq(indicators.wave, wave), eq(indicators.geoLevel, geo.level), eq(indicators.geoCode, geo.code)))
        .orderBy(asc(indicators.id)),
    );
  }
  return perGeography.flat().map(toPublic);
}

export async function listWavesWithIndicator(datasetId: number, indicator: string): Promise<number[]> {
  return [...(await cachedQuery(`waves-with:${JSON.stringify([datasetId, indicator])}`, () => queryWavesWithIndicator(datasetId, indicator)))];
}

async function queryWavesWithIndicator(datasetId: number, indicator: string): Promise<number[]> {
  const { q, indicators } = storeOf(getDatabase());
  const rows = await q
    .selectDistinct({ wave: indicators.wave })
    .from(indicators)
    .where(and(eq(indicators.datasetId, datasetId), inArray(indicators.indicator, [indicator])));
  return rows.map((r) => r.wave).sort();
}
