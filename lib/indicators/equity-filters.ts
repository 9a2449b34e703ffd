// The equity view's state, read from the URL and validated with zod: a shared link opens the same view, and a
// malformed one falls back to defaults instead of failing.
import { z } from 'zod';
import { HUKOU_FILTERS, INDICATOR_KEYS, MIGRATION_RANGE_FILTERS } from './catalogue';

const first = (value: unknown): unknown => (Array.isArray(value) ? (value as unknown[])[0] : value);

export const EQUITY_VIEWS = ['gap', 'gradient'] as const;

export const equityFiltersSchema = z.object({
  indicator: z.preprocess(first, z.enum(INDICATOR_KEYS as [string, ...string[]]).catch('health_record')).default('health_record'),
  wave: z.preprocess(first, z.coerce.number().int().min(2000).max(2100).catch(2017)).default(2017),
  /** gap: the hukou gap (rural − urban) within a migration range; gradient: the migration-range gradient within a hukou. */
  view: z.preprocess(first, z.enum(EQUITY_VIEWS).catch('gap')).default('gap'),
  range: z.preprocess(first, z.enum(MIGRATION_RANGE_FILTERS).catch('all')).default('all'),
  hukou: z.preprocess(first, z.enum(HUKOU_FILTERS).catch('all')).default('all'),
  city: z.preprocess(first, z.string().regex(/^\d{6}$/).nullable().catch(null)).default(null),
});

export type EquityFilters = z.infer<typeof equityFiltersSchema>;

export function parseEquityFilters(searchParams: Record<string, string | string[] | undefined>): EquityFilters {
  return equityFiltersSchema.parse(searchParams);
}
