// The trend view's state in the URL: indicator, geography (level and code), subgroup and the two waves compared.
// Validated with zod; malformed values fall back, so a shared link always opens a view.
import { z } from 'zod';
import { PUBLISHED_LEVELS } from '@/lib/disclosure/indicator-cells';
import { GEO_LEVELS, HUKOU_FILTERS, INDICATOR_KEYS, MIGRATION_RANGE_FILTERS, type GeoLevel } from './catalogue';

/** The geographies a trend can be drawn for: the published levels (regions are computed for the relations but never
 * published, lib/disclosure/indicator-cells.ts), in the catalogue's order. */
export const TREND_GEO_LEVELS = GEO_LEVELS.filter((level) => (PUBLISHED_LEVELS as readonly string[]).includes(level)) as [GeoLevel, ...GeoLevel[]];

const first = (value: unknown) => (Array.isArray(value) ? value[0] : value);
const wave = z.preprocess(first, z.coerce.number().int().min(2000).max(2100).nullable().catch(null)).default(null);

export const trendFiltersSchema = z.object({
  indicator: z.preprocess(first, z.enum(INDICATOR_KEYS as [string, ...string[]]).catch('health_record')).default('health_record'),
  geo: z.preprocess(first, z.enum(TREND_GEO_LEVELS).catch('national')).default('national'),
  code: z.preprocess(first, z.string().regex(/^[a-z0-9_]{1,16}$/i).nullable().catch(null)).default(null),
  hukou: z.preprocess(first, z.enum(HUKOU_FILTERS).catch('all')).default('all'),
  range: z.preprocess(first, z.enum(MIGRATION_RANGE_FILTERS).catch('all')).default('all'),
  from: wave,
  to: wave,
});

export type TrendFilters = z.infer<typeof trendFiltersSchema>;

export function parseTrendFilters(searchParams: Record<string, string | string[] | undefined>): TrendFilters {
  return trendFiltersSchema.parse(searchParams);
}
