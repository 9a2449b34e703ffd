// Which URL parameters a page's zod schema did not accept: a value was given but the parsed filters hold another
// (the schema's fallback). Pages name these in a notice instead of showing defaults without a word.
import type { MessageKey } from '@/lib/i18n/messages';

/** The catalogue label of each URL parameter, for notices and error pages. */
export const PARAM_LABELS: Record<string, MessageKey> = {
  indicator: 'filters.indicator',
  wave: 'filters.wave',
  hukou: 'filters.hukou',
  range: 'filters.range',
  region: 'filters.region',
  tier: 'filters.tier',
  view: 'equity.view',
  layer: 'map.layer',
  geo: 'trends.geo',
  from: 'urlNotice.param.from',
  to: 'urlNotice.param.to',
  code: 'urlNotice.param.code',
  city: 'urlNotice.param.city',
  province: 'urlNotice.param.province',
  cities: 'urlNotice.param.cities',
};

export interface IgnoredParam {
  /** The parameter's name in the URL (indicator, wave, hukou, …). */
  name: string;
  /** What the URL said (cut to 40 characters: it is echoed on the page). */
  given: string;
  /** The value used instead, as stored in the filters; null when the filter is off (all). */
  used: string | null;
  /** Malformed or not an option (the default), or well formed but not in the active dataset (a wave). */
  reason?: 'invalid' | 'absent';
}

const firstValue = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** A parsed value as the URL would carry it (a list comma-joined), for comparing with what the URL gave. */
function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function findIgnoredParams(
  raw: Record<string, string | string[] | undefined>,
  parsed: Record<string, unknown>,
  names: readonly string[] = Object.keys(parsed),
): IgnoredParam[] {
  const ignored: IgnoredParam[] = [];
  for (const name of names) {
    const given = firstValue(raw[name]);
    if (given === undefined || given === '') continue;
    const value = parsed[name];
    const used = asText(value);
    if (used !== given) ignored.push({ name, given: given.length > 40 ? `${given.slice(0, 39)}…` : given, used });
  }
  return ignored;
}

/**
 * The wave a filtered page shows: the requested one when the dataset has it, else 2017 when it has that, else its
 * latest wave. A replaced wave is added to (or corrected in) the ignored list, so the notice names it.
 */
export function resolveWave(requested: number, datasetWaves: readonly number[], ignored: IgnoredParam[], given?: string): number {
  if (datasetWaves.length === 0 || datasetWaves.includes(requested)) return requested;
  const fallback = datasetWaves.includes(2017) ? 2017 : Math.max(...datasetWaves);
  const existing = ignored.find((i) => i.name === 'wave');
  if (existing) existing.used = String(fallback);
  else ignored.push({ name: 'wave', given: given ?? String(requested), used: String(fallback), reason: 'absent' });
  return fallback;
}
