// The dashboard's domain lists, each written once: hukou types, migration ranges, regions, city tiers, and the bounds of
// the model queue's limits. Zod enums, drizzle column enums, filter selects and precompute loops all derive from these.

/** Hukou (household registration) types of a respondent; filters add 'all'. */
export const HUKOU_TYPES = ['rural', 'urban'] as const;
export const HUKOU_FILTERS = ['all', ...HUKOU_TYPES] as const;

/**
 * Migration range as distance, from the farthest from home (the most disadvantaged) to the nearest; the equity
 * gradients read them in this order. Filters add 'all'.
 */
export const MIGRATION_RANGES = ['inter_province', 'inter_city', 'inter_county'] as const;
export const MIGRATION_RANGE_FILTERS = ['all', ...MIGRATION_RANGES] as const;

/** The NBS four-region division. */
export const REGIONS = ['east', 'central', 'west', 'northeast'] as const;
export const REGION_FILTERS = ['all', ...REGIONS] as const;

/** City tiers (2017 list of db/calibration-targets.json). */
export const CITY_TIERS = ['tier1', 'new_tier1', 'tier2', 'tier3', 'tier4plus'] as const;
export const CITY_TIER_FILTERS = ['all', ...CITY_TIERS] as const;

/**
 * Whether a wave is a module rather than a national sample: the 2014 eight-city module, whose "national" cells are the
 * eight cities' total, so pages and briefings name that benchmark so (never "national").
 */
export function isModuleWave(dataset: { waves: ReadonlyArray<{ year: number; design: string }> }, wave: number): boolean {
  return dataset.waves.find((w) => w.year === wave)?.design !== 'national';
}

export type HukouFilter = (typeof HUKOU_FILTERS)[number];
export type MigrationRangeFilter = (typeof MIGRATION_RANGE_FILTERS)[number];
export type Region = (typeof REGIONS)[number];
export type CityTier = (typeof CITY_TIERS)[number];

/**
 * Bounds of the model queue's limits, inclusive: the environment's defaults (lib/env.ts), the admin's saved settings
 * (lib/queries/settings.ts) and the admin's form all accept exactly these. One fit uses one processor core.
 */
export const MODEL_LIMIT_BOUNDS = {
  maxConcurrent: { min: 1, max: 4 },
  queueLimit: { min: 0, max: 50 },
  perUserQueueLimit: { min: 1, max: 50 },
  timeoutSeconds: { min: 10, max: 1800 },
} as const;
export type ModelLimitName = keyof typeof MODEL_LIMIT_BOUNDS;
