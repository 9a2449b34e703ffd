// The map view's state in the URL: the comparison's filters plus the layer (provinces or cities) and the province
// whose cities are open. Validated with zod; a malformed value falls back instead of failing.
import { z } from 'zod';
import { comparisonFiltersSchema } from '@/lib/indicators/filters';

const first = (value: unknown) => (Array.isArray(value) ? value[0] : value);

export const MAP_LAYERS = ['province', 'city'] as const;

export const mapFiltersSchema = comparisonFiltersSchema.extend({
  layer: z.preprocess(first, z.enum(MAP_LAYERS).catch('province')).default('province'),
  province: z.preprocess(first, z.string().regex(/^\d{2}$/).nullable().catch(null)).default(null),
});

export type MapFilters = z.infer<typeof mapFiltersSchema>;

export function parseMapFilters(searchParams: Record<string, string | string[] | undefined>): MapFilters {
  return mapFiltersSchema.parse(searchParams);
}

/** The query string of a map view (defaults left out, so links stay short). */
export function mapQuery(filters: MapFilters, change: Partial<MapFilters> = {}): string {
  const next = { ...filters, ...change };
  const params = new URLSearchParams({ indicator: next.indicator, wave: String(next.wave), hukou: next.hukou, range: next.range });
  if (next.region) params.set('region', next.region);
  if (next.tier) params.set('tier', next.tier);
  if (next.layer !== 'province') params.set('layer', next.layer);
  if (next.province) params.set('province', next.province);
  return params.toString();
}
