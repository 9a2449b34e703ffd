// What of a stored indicator cell may leave the server: figures rounded to the precision pages print, and for a hidden
// cell only its status and, for a small one, the band "fewer than {min}". Every reader of lib/queries goes through it.
import type { IndicatorKind } from '@/lib/indicators/catalogue';
import type { CellStatus } from './secondary-suppression';

export interface StoredCell {
  indicator: string;
  geoLevel: string;
  geoCode: string;
  hukou: string;
  migrationRange: string;
  n: number;
  weightedShare: number | null;
  estimate: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  status: CellStatus;
  unreliable: boolean;
}

export interface PublicCell {
  indicator: string;
  geoLevel: string;
  geoCode: string;
  hukou: string;
  migrationRange: string;
  /** published; primary (too few respondents); secondary (hidden so that another cell cannot be derived). */
  status: CellStatus;
  /** status !== 'published' */
  suppressed: boolean;
  /** Shown, but marked: n of 30-49 or a CV above 30% (DHS prints such figures in parentheses). */
  unreliable: boolean;
  /** Respondents, for published cells only. */
  n: number | null;
  /** For a hidden cell with fewer respondents than the threshold: 'under_min' (shown as "n < 30"); else null. */
  nBand: 'under_min' | null;
  estimate: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  weightedShare: number | null;
}

/** Decimals of a value as stored (0-1 for proportions) that the pages print: 0.1 point of a percentage, 0.1 of a mean. */
export function storedDecimals(kind: IndicatorKind): number {
  return kind === 'proportion' ? 3 : 1;
}

export function roundTo(value: number | null, decimals: number): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const factor = 10 ** decimals;
  // toFixed after the scaling drops binary noise (0.177 not 0.17700000000000002) in JSON and the flight payload.
  return Number((Math.round(value * factor) / factor).toFixed(decimals));
}

export function publishCell(cell: StoredCell, kind: IndicatorKind, minN: number): PublicCell {
  const base = { indicator: cell.indicator, geoLevel: cell.geoLevel, geoCode: cell.geoCode, hukou: cell.hukou, migrationRange: cell.migrationRange };
  if (cell.status !== 'published') {
    return {
      ...base,
      // 'unpublished' levels are never requested by pages; if one were, it reads as a secondary suppression.
      status: cell.status === 'unpublished' ? 'secondary' : cell.status,
      suppressed: true,
      unreliable: false,
      n: null,
      nBand: cell.status === 'primary' && cell.n < minN ? 'under_min' : null,
      estimate: null,
      ciLow: null,
      ciHigh: null,
      weightedShare: null,
    };
  }
  const decimals = storedDecimals(kind);
  return {
    ...base,
    status: 'published',
    suppressed: false,
    unreliable: cell.unreliable,
    n: cell.n,
    nBand: null,
    estimate: roundTo(cell.estimate, decimals),
    ciLow: roundTo(cell.ciLow, decimals),
    ciHigh: roundTo(cell.ciHigh, decimals),
    weightedShare: roundTo(cell.weightedShare, 3),
  };
}

/** The range a hidden province cell may be shown as (partial suppression, decided in the precompute), rounded to the
 * printed precision; null for every other cell. Only the map asks for it: everywhere else the cell reads as hidden. */
export function publishBand(cell: { geoLevel: string; status: CellStatus; bandLow: number | null; bandHigh: number | null }, kind: IndicatorKind): [number, number] | null {
  if (cell.geoLevel !== 'province' || cell.status !== 'secondary' || cell.bandLow === null || cell.bandHigh === null) return null;
  const decimals = storedDecimals(kind);
  return [roundTo(cell.bandLow, decimals) as number, roundTo(cell.bandHigh, decimals) as number];
}
