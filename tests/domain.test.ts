// The domain lists are written once (lib/domain.ts): the request schema, the filters, the stored columns and the model
// limits read them, so a value added there is accepted everywhere and a value not there is refused everywhere.
import { expect, test } from 'vitest';
import { cities, indicators, provinces } from '@/db/schema';
import { CITY_TIERS, HUKOU_FILTERS, MIGRATION_RANGE_FILTERS, MIGRATION_RANGES, MODEL_LIMIT_BOUNDS, REGIONS } from '@/lib/domain';
import { CANONICAL_VARIABLES } from '@/lib/import/canonical';
import { parseComparisonFilters } from '@/lib/indicators/filters';
import { subgroupSchema } from '@/lib/models/request';
import { modelLimitsSchema } from '@/lib/queries/settings';

test('the model request accepts exactly the listed hukou, range, region and tier values, plus "all"', () => {
  expect(subgroupSchema.shape.hukou.unwrap().options).toEqual([...HUKOU_FILTERS]);
  expect(subgroupSchema.shape.range.unwrap().options).toEqual([...MIGRATION_RANGE_FILTERS]);
  expect(subgroupSchema.shape.region.unwrap().options).toEqual(['all', ...REGIONS]);
  expect(subgroupSchema.shape.tier.unwrap().options).toEqual(['all', ...CITY_TIERS]);
  expect(subgroupSchema.safeParse({ hukou: 'foreign' }).success).toBe(false);
});

test('the stored columns and the import check use the same lists', () => {
  expect(provinces.region.enumValues).toEqual([...REGIONS]);
  expect(cities.tier.enumValues).toEqual([...CITY_TIERS]);
  expect(indicators.hukou.enumValues).toEqual([...HUKOU_FILTERS]);
  expect(indicators.migrationRange.enumValues).toEqual([...MIGRATION_RANGE_FILTERS]);
  expect(CANONICAL_VARIABLES.migrationRange.values).toEqual(MIGRATION_RANGES);
});

test('the comparison filters fall back to "all" for a value outside the lists and keep one inside', () => {
  expect(parseComparisonFilters({ hukou: 'rural', range: 'inter_city' })).toMatchObject({ hukou: 'rural', range: 'inter_city' });
  expect(parseComparisonFilters({ hukou: 'foreign', range: 'abroad' })).toMatchObject({ hukou: 'all', range: 'all' });
});

test('the saved model limits accept each bound and refuse one step past it', () => {
  const inside = { maxConcurrent: 2, queueLimit: 8, perUserQueueLimit: 2, timeoutSeconds: 120 };
  for (const [name, { min, max }] of Object.entries(MODEL_LIMIT_BOUNDS)) {
    expect(modelLimitsSchema.safeParse({ ...inside, [name]: min }).success, `${name} = ${min}`).toBe(true);
    expect(modelLimitsSchema.safeParse({ ...inside, [name]: max }).success, `${name} = ${max}`).toBe(true);
    expect(modelLimitsSchema.safeParse({ ...inside, [name]: min - 1 }).success, `${name} = ${min - 1}`).toBe(false);
    expect(modelLimitsSchema.safeParse({ ...inside, [name]: max + 1 }).success, `${name} = ${max + 1}`).toBe(false);
  }
});
