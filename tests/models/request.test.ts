// Model requests: validation with messages a person can act on, presets that parse, engine specs, the cache key,
// refusals before fitting, and cached results that belong to one dataset version only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type AppDatabase } from '@/db/client';
import { applyMigrations } from '@/db/migrate';
import { datasets } from '@/db/schema';
import { insertGeography } from '@/db/geography';
import { insertRespondents } from '@/db/respondents';
import { generateModule2014 } from '@/db/demo/module-2014';
import { modelCacheKey } from '@/lib/models/cache-key';
import { MODEL_PRESETS, PRESETS_BY_ID } from '@/lib/models/presets';
import { engineSpec, modelRequestSchema } from '@/lib/models/request';
import { runModelRequest } from '@/lib/models/run';
import { findCachedModel, storeCachedModel } from '@/lib/queries/model-cache';

const issues = (input: unknown) => {
  const parsed = modelRequestSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};
const base = { wave: 2014, type: 'logit', outcome: 'local_identity', keys: ['informal_participation'], controls: ['male', 'age'] };

describe('validation', () => {
  test('every preset is a valid request', () => {
    expect(MODEL_PRESETS.length).toBe(10);
    for (const preset of MODEL_PRESETS) expect(issues(preset.request), preset.id).toEqual([]);
  });

  test('refuses what cannot be fitted, naming the field', () => {
    expect(issues({ ...base, outcome: 'willingness_to_integrate' })).toEqual(['outcome: A logit model needs a yes/no outcome; choose OLS or a linear model for this one.']);
    expect(issues({ ...base, keys: ['health_record'] })).toEqual(['keys.0: "health_record" was not asked in the 2014 wave.']);
    expect(issues({ ...base, controls: ['nonsense'] })).toEqual(['controls.0: Unknown variable "nonsense".']);
    expect(issues({ ...base, keys: ['x; DROP TABLE users'] })[0]).toMatch(/lower-case letters/);
    expect(issues({ ...base, type: 'mediation', outcome: 'willingness_to_integrate' })).toEqual(['mediator: Mediation needs a mediator.']);
    expect(issues({ ...base, type: 'heterogeneity' })).toEqual(['groupBy: Heterogeneity needs a grouping variable.']);
    expect(issues({ ...base, keys: [] })).toEqual(['keys: Choose at least one key explanatory variable.']);
    expect(issues({ ...base, subgroup: { cities: ['44030'] } })).toEqual(['subgroup.cities.0: A city code has six digits.']);
  });
});

test('engine specs: Table 2 Model 6 is a random-intercept logit with ten interactions; robust SEs follow Stata', () => {
  const spec = engineSpec(PRESETS_BY_ID.get("t2m6")!.request) as unknown as Record<string, unknown>;
  expect(spec).toMatchObject({ family: 'binomial', random_intercept: 'city_code', nAGQ: [1] });
  expect((spec.interactions as unknown[]).length).toBe(10);
  expect((spec.predictors as string[]).includes('city_log_gdp')).toBe(false);
  expect(engineSpec(modelRequestSchema.parse({ ...base, se: 'robust' }))).toMatchObject({ se: 'stata_robust' });
  expect(engineSpec(modelRequestSchema.parse({ ...base, type: 'ols', outcome: 'willingness_to_integrate', se: 'robust' }))).toMatchObject({ se: 'HC1', family: 'gaussian' });
});

test('the cache key depends on the dataset version and the question, not on the order cities were picked in', () => {
  const a = modelRequestSchema.parse({ ...base, subgroup: { cities: ['440300', '110100'] } });
  const b = modelRequestSchema.parse({ ...base, subgroup: { cities: ['110100', '440300'] } });
  expect(modelCacheKey(a, 1)).toBe(modelCacheKey(b, 1));
  expect(modelCacheKey(a, 1)).not.toBe(modelCacheKey(a, 2));
  expect(modelCacheKey(a, 1)).not.toBe(modelCacheKey(modelRequestSchema.parse({ ...base, subgroup: { hukou: 'rural' } }), 1));
});

describe('on the 2014 module in a temporary database', () => {
  let db: AppDatabase;
  let first: number;
  let second: number;
  beforeAll(() => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'models-'));
    db = openDatabase(path.join(folder, 'test.db'));
    applyMigrations(db);
    insertGeography(db);
    const records = generateModule2014();
    first = db.insert(datasets).values({ label: 'one', kind: 'synthetic', status: 'ready', active: false }).returning({ id: datasets.id }).get().id;
    second = db.insert(datasets).values({ label: 'two', kind: 'synthetic', status: 'ready', active: true }).returning({ id: datasets.id }).get().id;
    insertRespondents(db, first, records);
  });

  test('a subgroup model runs and reports its rows', () => {
    const request = modelRequestSchema.parse({ ...base, subgroup: { hukou: 'rural', range: 'inter_province' } });
    const output = runModelRequest(db.$client, first, request);
    const count = db.$client.prepare("SELECT count(*) AS n FROM respondents WHERE dataset_id = ? AND wave = 2014 AND rural_hukou = 1 AND migration_range = 'inter_province'").get(first) as { n: number };
    expect(output.subgroupRows).toBe(count.n);
    const fit = (output.result as { fits: { glm: { n: number; average_marginal_effects: unknown[] } } }).fits.glm;
    expect(fit.n).toBeLessThanOrEqual(count.n);
    expect(fit.average_marginal_effects.length).toBe(3);
  });

  test('a control the subgroup holds fixed is left out and reported, not a failure', () => {
    const request = modelRequestSchema.parse({ ...base, controls: ['male', 'migration_range', 'rural_hukou'], subgroup: { range: 'inter_province', hukou: 'rural' } });
    const output = runModelRequest(db.$client, first, request);
    expect(output.droppedControls).toEqual(['migration_range', 'rural_hukou']);
    expect((output.result as { fits: { glm: { terms: string[] } } }).fits.glm.terms).toEqual(['(Intercept)', 'informal_participation', 'male']);
  });

  test('refuses too small a subgroup and a constant key variable, with the reason', () => {
    expect(() => runModelRequest(db.$client, first, modelRequestSchema.parse({ ...base, subgroup: { cities: ['620100'] } }))).toThrow(/fewer than 30 respondents; a model needs at least 30/);
    expect(() => runModelRequest(db.$client, first, modelRequestSchema.parse({ ...base, keys: ['rural_hukou'], subgroup: { hukou: 'rural' } }))).toThrow(/takes a single value in this subgroup/);
  });

  test('a cached result belongs to its dataset version: another version does not see it, and deleting the version deletes it', async () => {
    const request = modelRequestSchema.parse(base);
    await storeCachedModel(db, { key: modelCacheKey(request, first), datasetId: first, spec: '{}', result: '{"x":1}', durationMs: 5 });
    expect((await findCachedModel(db, modelCacheKey(request, first), first))?.result).toBe('{"x":1}');
    expect(await findCachedModel(db, modelCacheKey(request, second), second)).toBeNull();
    expect(await findCachedModel(db, modelCacheKey(request, first), second)).toBeNull();
    db.$client.prepare('DELETE FROM respondents WHERE dataset_id = ?').run(first);
    db.$client.prepare('DELETE FROM datasets WHERE id = ?').run(first);
    expect(await findCachedModel(db, modelCacheKey(request, first), first)).toBeNull();
  });
});
