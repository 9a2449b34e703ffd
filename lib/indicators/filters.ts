// The comparison view's state, read from the URL: validated with zod, with sensible defaults, so a shared link
// always opens the same view and a malformed one falls back instead of failing.
import { z } from 'zod';
import { CITY_TIERS, HUKOU_FILTERS, INDICATOR_KEYS, MIGRATION_RANGE_FILTERS, REGIONS } from './catalogue';

const first = (value: unknown): unknown => (Array.isArray(value) ? (value as unknown[])[0] : value);

export const comparisonFiltersSchema = z.object({
  indicator: z.preprocess(first, z.enum(INDICATOR_KEYS as [string, ...string[]]).catch('health_record')).default('health_record'),
  wave: z.preprocess(first, z.coerce.number().int().min(2000).max(2100).catch(2017)).default(2017),
  hukou: z.preprocess(first, z.enum(HUKOU_FILTERS).catch('all')).default('all'),
  range: z.preprocess(first, z.enum(MIGRATION_RANGE_FILTERS).catch('all')).default('all'),
  region: z.preprocess(first, z.enum(REGIONS).nullable().catch(null)).default(null),
  tier: z.preprocess(first, z.enum(CITY_TIERS).nullable().catch(null)).default(null),
});

export type ComparisonFilters = z.infer<typeof comparisonFiltersSchema>;

export function parseComparisonFilters(searchParams: Record<string, string | string[] | undefined>): ComparisonFilters {
  return comparisonFiltersSchema.parse(searchParams);
}
