// Cells of the map page: every province's cell and every city's cell for one indicator under the comparison filters.
// Suppressed cells come back as status only (no estimate, no n), so neither the tiles nor the dots can disclose them.
import 'server-only';
import { and, asc, eq } from 'drizzle-orm';
import { storeOf } from '@/db/store';
import { publishBand, publishCell } from '@/lib/disclosure/publish';
import { env } from '@/lib/env';
import { findIndicator, type HukouFilter, type MigrationRangeFilter } from '@/lib/indicators/catalogue';
import { getDatabase } from './database';
import { cellColumnsOf, listCityRanking } from './indicators';

export interface MapCell {
  code: string;
  nameZh: string;
  nameEn: string;
  provinceCode: string;
  region: string;
  /** Null when suppressed. */
  n: number | null;
  estimate: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  suppressed: boolean;
  hiddenBecause: 'small' | 'protects' | null;
  /** A hidden province shown as a range (e.g. 0.3-0.4): its exact figure would reveal a hidden city, the range does
   * not (lib/disclosure/indicator-cells.ts, partial suppression). Null for every other cell. */
  band: [number, number] | null;
}

export interface MapCityCell extends MapCell {
  tier: string;
}

export interface MapFilters {
  datasetId: number;
  wave: number;
  indicator: string;
  hukou: HukouFilter;
  migrationRange: MigrationRangeFilter;
  tier?: string | null;
}

function published<T extends { status: string; suppressed: boolean; n: number | null; estimate: number | null; ciLow: number | null; ciHigh: number | null }>(cell: T) {
  // Why a cell is hidden: too few respondents ('small'), or to protect another cell ('protects'); never its n.
  const hiddenBecause = cell.status === 'primary' ? ('small' as const) : ('protects' as const);
  return cell.suppressed
    ? { n: null, estimate: null, ciLow: null, ciHigh: null, suppressed: true, hiddenBecause }
    : { n: cell.n, estimate: cell.estimate, ciLow: cell.ciLow, ciHigh: cell.ciHigh, suppressed: false, hiddenBecause: null };
}

/** One cell per province that has respondents (provinces are not split by tier, so the tier filter does not apply). */
export async function listProvinceMapCells(filters: MapFilters): Promise<MapCell[]> {
  const { q, indicators, provinces } = storeOf(getDatabase());
  const rows = await q
    .select({
      code: provinces.code,
      nameZh: provinces.nameZh,
      nameEn: provinces.nameEn,
      region: provinces.region,
      ...cellColumnsOf({ indicators }),
      bandLow: indicators.bandLow,
      bandHigh: indicators.bandHigh,
    })
    .from(indicators)
    .innerJoin(provinces, eq(provinces.code, indicators.geoCode))
    .where(
      and(
        eq(indicators.datasetId, filters.datasetId),
        eq(indicators.wave, filters.wave),
        eq(indicators.geoLevel, 'province'),
        eq(indicators.indicator, filters.indicator),
        eq(indicators.hukou, filters.hukou),
        eq(indicators.migrationRange, filters.migrationRange),
      ),
    )
    // The order SQLite's lookup index gives (the cells' insertion order), in both databases.
    .orderBy(asc(indicators.id));
  // Through the same gate as every other cell: rounded to the printed precision, hidden cells as status only.
  const kind = findIndicator(filters.indicator)?.kind ?? 'mean';
  return rows.map(({ code, nameZh, nameEn, region, bandLow, bandHigh, ...stored }) => ({
    code,
    nameZh,
    nameEn,
    provinceCode: code,
    region,
    ...published(publishCell(stored, kind, env.SUPPRESSION_MIN_N)),
    band: publishBand({ ...stored, bandLow, bandHigh }, kind),
  }));
}

/** Every city's cell under the filters (the tier filter applies). */
export async function listCityMapCells(filters: MapFilters): Promise<MapCityCell[]> {
  return (await listCityRanking({ ...filters, region: null })).map((r) => ({
    code: r.cityCode,
    nameZh: r.nameZh,
    nameEn: r.nameEn,
    provinceCode: r.cityCode.slice(0, 2),
    region: r.region,
    tier: r.tier,
    ...published(r),
    band: null,
  }));
}
