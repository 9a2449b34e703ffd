// What an official asks for on the model page, validated (zod), and its translation into the statistics engine's
// spec. Pure: no framework or database imports, so the worker, the server actions and the tests share it.
import { z } from 'zod';
import type { HeterogeneitySpec } from '../stats/index';
import type { PropensityMatchOptions } from '../stats/psm';
import type { MediationSpec, ModelSpec } from '../stats/types';
import { GROUPINGS, VARIABLES_BY_ID, askedInWave } from './variables';

export const MODEL_TYPES = ['logit', 'ols', 'ri_logit', 'ri_linear', 'mediation', 'psm', 'heterogeneity'] as const;
export type ModelType = (typeof MODEL_TYPES)[number];

export const AGE_BANDS = ['15-24', '25-34', '35-44', '45-59', '60+'] as const;

export const subgroupSchema = z.object({
  hukou: z.enum(['all', 'rural', 'urban']).default('all'),
  range: z.enum(['all', 'inter_province', 'inter_city', 'inter_county']).default('all'),
  region: z.enum(['all', 'east', 'central', 'west', 'northeast']).default('all'),
  tier: z.enum(['all', 'tier1', 'new_tier1', 'tier2', 'tier3', 'tier4plus']).default('all'),
  cities: z.array(z.string().regex(/^\d{6}$/, 'A city code has six digits.')).max(100).default([]),
  sex: z.enum(['all', 'male', 'female']).default('all'),
  ageBand: z.enum(['all', ...AGE_BANDS]).default('all'),
  generation: z.enum(['all', 'born_1980_plus', 'born_before_1980']).default('all'),
});
export type Subgroup = z.infer<typeof subgroupSchema>;

const variableId = z.string().max(64).regex(/^[a-z0-9_]+$/, 'Variable names are lower-case letters, digits and _.');

export const modelRequestSchema = z
  .object({
    // Any wave the active data have (checked against the data by the server action); CMDS runs from 2009.
    wave: z.number().int().min(2009).max(2100),
    type: z.enum(MODEL_TYPES),
    outcome: variableId,
    keys: z.array(variableId).min(1, 'Choose at least one key explanatory variable.').max(5),
    controls: z.array(variableId).max(40).default([]),
    interactions: z.array(z.tuple([variableId, variableId])).max(12).default([]),
    se: z.enum(['classical', 'robust', 'cluster']).default('cluster'),
    nAGQ: z.number().int().min(1).max(25).default(1),
    mediator: variableId.optional(),
    groupBy: z.enum(GROUPINGS).optional(),
    bootstrap: z.number().int().min(0).max(2000).default(500),
    subgroup: subgroupSchema.default(subgroupSchema.parse({})),
  })
  .superRefine((request, context) => {
    const issue = (path: (string | number)[], message: string) => context.addIssue({ code: 'custom', path, message });
    const check = (id: string, path: (string | number)[]) => {
      const variable = VARIABLES_BY_ID.get(id);
      if (!variable) issue(path, `Unknown variable "${id}".`);
      else if (!askedInWave(variable, request.wave)) issue(path, `"${id}" was not asked in the ${request.wave} wave.`);
      return variable;
    };
    const outcome = check(request.outcome, ['outcome']);
    request.keys.forEach((id, i) => check(id, ['keys', i]));
    request.controls.forEach((id, i) => check(id, ['controls', i]));
    request.interactions.forEach(([a, b], i) => {
      check(a, ['interactions', i, 0]);
      check(b, ['interactions', i, 1]);
      if (a === b) issue(['interactions', i], 'An interaction needs two different variables.');
    });
    if (request.keys.includes(request.outcome) || request.controls.includes(request.outcome)) issue(['outcome'], 'The outcome cannot also be a predictor.');
    const binaryOutcome = outcome?.kind === 'binary';
    if ((request.type === 'logit' || request.type === 'ri_logit') && outcome && !binaryOutcome) issue(['outcome'], 'A logit model needs a yes/no outcome; choose OLS or a linear model for this one.');
    if (outcome?.kind === 'factor') issue(['outcome'], 'The outcome must be numeric or yes/no.');
    if (request.type === 'mediation') {
      if (!request.mediator) issue(['mediator'], 'Mediation needs a mediator.');
      else {
        const mediator = check(request.mediator, ['mediator']);
        if (mediator?.kind === 'factor') issue(['mediator'], 'The mediator must be numeric or yes/no.');
        if (request.mediator === request.outcome || request.keys.includes(request.mediator)) issue(['mediator'], 'The mediator must differ from the outcome and the treatment.');
      }
    }
    if (request.type === 'psm' && VARIABLES_BY_ID.get(request.keys[0] ?? '')?.kind !== 'binary') issue(['keys', 0], 'Matching needs a yes/no treatment as the first key variable.');
    if (request.type === 'heterogeneity' && !request.groupBy) issue(['groupBy'], 'Heterogeneity needs a grouping variable.');
    if ((request.type === 'mediation' || request.type === 'psm' || request.type === 'heterogeneity') && VARIABLES_BY_ID.get(request.keys[0] ?? '')?.kind === 'factor') {
      issue(['keys', 0], 'The first key variable must be numeric or yes/no for this model type.');
    }
  });

export type ModelRequest = z.infer<typeof modelRequestSchema>;

/** The columns a request needs from the respondents table, in a stable order. */
export function requestVariables(request: ModelRequest): string[] {
  const ids = [request.outcome, ...request.keys, ...request.controls, ...request.interactions.flat()];
  if (request.mediator) ids.push(request.mediator);
  return [...new Set(ids)];
}

/** Predictors: keys first, then controls, without repeats or the outcome/mediator. */
export function requestPredictors(request: ModelRequest): string[] {
  const excluded = new Set([request.outcome, request.mediator]);
  return [...new Set([...request.keys, ...request.controls])].filter((id) => !excluded.has(id));
}

const REFERENCES: Record<string, string> = Object.fromEntries(
  [...VARIABLES_BY_ID.values()].filter((v) => v.kind === 'factor' && v.reference).map((v) => [v.id, v.reference as string]),
);

/** Grouping column names in the loaded table. */
export const CITY_COLUMN = 'city_code';
export const GROUP_COLUMN = 'group';

export type EngineSpec = ModelSpec | HeterogeneitySpec | MediationSpec | PropensityMatchOptions;

/** The statistics engine's spec for a request (tests/fixtures/oracle/README.md format and its extensions). */
export function engineSpec(request: ModelRequest): EngineSpec {
  const predictors = requestPredictors(request);
  const outcomeKind = VARIABLES_BY_ID.get(request.outcome)?.kind;
  const family = outcomeKind === 'binary' ? 'binomial' : 'gaussian';
  const references = Object.fromEntries(Object.entries(REFERENCES).filter(([id]) => predictors.includes(id) || request.interactions.flat().includes(id)));
  const modelFamily = request.type === 'logit' || request.type === 'ri_logit' ? 'binomial' : request.type === 'ols' || request.type === 'ri_linear' ? 'gaussian' : family;
  // Robust SEs as Stata's vce(robust) reports them: HC0 x n/(n-1) for a logit, HC1 for a linear model.
  const se = request.se === 'cluster' ? 'cluster' : request.se === 'robust' ? (modelFamily === 'binomial' ? 'stata_robust' : 'HC1') : 'classical';
  const base: ModelSpec = {
    family: modelFamily,
    outcome: request.outcome,
    predictors,
    interactions: request.interactions.map(([a, b]) => [a, b]),
    reference: references,
    cluster: se === 'cluster' ? CITY_COLUMN : null,
    random_intercept: null,
    weights: null,
    se,
  };
  switch (request.type) {
    case 'logit':
    case 'ols':
      return { ...base, margins: true, all_se_variants: false };
    case 'ri_logit':
      return { ...base, cluster: null, se: 'classical', random_intercept: CITY_COLUMN, nAGQ: [request.nAGQ] };
    case 'ri_linear':
      return { ...base, cluster: null, se: 'classical', random_intercept: CITY_COLUMN, reml: [true] };
    case 'heterogeneity':
      return { ...base, heterogeneity: { key: request.keys[0] as string, group_by: GROUP_COLUMN, min_group_size: 30 } };
    case 'mediation': {
      const mediatorKind = VARIABLES_BY_ID.get(request.mediator ?? '')?.kind;
      return {
        treatment: request.keys[0] as string,
        mediator: request.mediator as string,
        outcome: request.outcome,
        covariates: predictors.filter((id) => id !== request.keys[0]),
        outcome_family: family,
        mediator_family: mediatorKind === 'binary' ? 'binomial' : 'gaussian',
        boot_B: request.bootstrap,
        seed: 20170,
        rng: 'mulberry32',
        cluster: se === 'cluster' ? CITY_COLUMN : null,
        weights: null,
      };
    }
    case 'psm':
      return {
        treatment: request.keys[0] as string,
        covariates: predictors.filter((id) => id !== request.keys[0]),
        outcome: request.outcome,
        caliper: 0.2,
        replacement: false,
        order: 'largest',
        reference: references,
      };
  }
}
