// The engine's entry point: recognises a spec by its keys (model, mediation or survey, as in
// tests/fixtures/oracle/README.md) and returns the result in the same format R's reference fits use.
import { fitGlm } from './glm';
import { fitRandomInterceptLogit } from './glmm';
import { fitLinearMixedModel } from './lmm';
import { averageMarginalEffects } from './margins';
import { fitHeterogeneity } from './heterogeneity';
import { fitMediation, type ReplicateRunner } from './mediation';
import { matchPropensity, type PropensityMatchOptions } from './psm';
import { buildModelFrame } from './model-frame';
import { runSurveySpec, type SurveySpec } from './survey-spec';
import { runInequalitySpec, type InequalitySpec } from './inequality';
import { ModelError, type DataTable, type MediationSpec, type ModelResult, type ModelSpec } from './types';

export type SpecKind = 'model' | 'heterogeneity' | 'mediation' | 'matching' | 'survey' | 'inequality';

/** A model spec with `heterogeneity`: the same model across the levels of `group_by`, and a test of equal effects. */
export interface HeterogeneitySpec extends ModelSpec {
  heterogeneity: { key: string; group_by: string; min_group_size?: number };
}

export function specKind(spec: unknown): SpecKind {
  if (typeof spec !== 'object' || spec === null) throw new ModelError('invalid_spec', 'A spec must be a JSON object.');
  if ('family' in spec) return 'heterogeneity' in spec ? 'heterogeneity' : 'model';
  if ('treatment' in spec && 'mediator' in spec) return 'mediation';
  if ('treatment' in spec && 'covariates' in spec) return 'matching';
  if ('weights' in spec && ('proportions' in spec || 'means' in spec)) return 'survey';
  if ('dimension' in spec && 'outcome' in spec) return 'inequality';
  throw new ModelError(
    'invalid_spec',
    'Unrecognised spec: a model spec has "family" (with "heterogeneity" for subgroup effects), a mediation spec "treatment" and "mediator", a matching spec "treatment" and "covariates", a survey spec "weights" with "proportions" or "means", an inequality spec "dimension" and "outcome".',
  );
}

export function runModelSpec(table: DataTable, spec: ModelSpec): ModelResult {
  const frame = buildModelFrame(table, spec);
  if (spec.random_intercept) {
    if (spec.family === 'gaussian') {
      const fits: ModelResult['fits'] = {};
      for (const reml of spec.reml ?? [true]) {
        const fit = fitLinearMixedModel(frame, { reml });
        if (fit.random_intercept) fit.random_intercept.group = spec.random_intercept;
        fits[reml ? 'lmer_reml' : 'lmer_ml'] = fit;
      }
      return { fits };
    }
    const fits: ModelResult['fits'] = {};
    for (const nAGQ of spec.nAGQ ?? [1]) {
      const fit = fitRandomInterceptLogit(frame, { nAGQ });
      if (fit.random_intercept) fit.random_intercept.group = spec.random_intercept;
      if (spec.margins) Object.assign(fit, randomInterceptMargins(table, frame, fit));
      fits[nAGQ === 1 ? 'glmer_laplace' : `glmer_agq${nAGQ}`] = fit;
    }
    return { fits };
  }
  const fit = fitGlm(frame, { family: spec.family, se: spec.se ?? 'classical', allVariants: spec.all_se_variants !== false });
  if (spec.margins) {
    const vcov = Float64Array.from((fit.vcov as number[][]).flat());
    const beta = Float64Array.from(fit.terms, (term) => fit.coef[term]!.estimate);
    fit.average_marginal_effects = averageMarginalEffects(table, frame, spec.family, beta, vcov, { df: typeof fit.df === 'number' ? fit.df : undefined });
  }
  return { fits: { glm: fit } };
}

/**
 * Average marginal effects of a random-intercept logit, both ways margins-style software reports them: at u = 0 (a
 * typical city's respondent) and averaged over u ~ N(0, variance) (population-averaged). Delta-method SEs from the
 * fixed effects' covariance; the variance is taken as known.
 */
function randomInterceptMargins(table: DataTable, frame: ReturnType<typeof buildModelFrame>, fit: ModelResult['fits'][string]) {
  const vcov = Float64Array.from((fit.vcov as number[][]).flat());
  const beta = Float64Array.from(fit.terms, (term) => fit.coef[term]!.estimate);
  return {
    average_marginal_effects: averageMarginalEffects(table, frame, 'binomial', beta, vcov),
    average_marginal_effects_population: averageMarginalEffects(table, frame, 'binomial', beta, vcov, { randomInterceptSd: fit.random_intercept!.sd }),
    margins_note: 'average_marginal_effects: probabilities conditional on a random intercept of 0; average_marginal_effects_population: averaged over the random intercept distribution N(0, variance) by 40-node Gauss-Hermite quadrature. Delta-method SEs from the fixed effects covariance (the variance taken as known).',
  };
}

/** `options.replicateRunner`: how a mediation bootstrap runs its replicates (default: on this thread). */
export function runSpec(table: DataTable, spec: unknown, options: { replicateRunner?: ReplicateRunner } = {}): unknown {
  switch (specKind(spec)) {
    case 'model':
      return runModelSpec(table, spec as ModelSpec);
    case 'survey':
      return runSurveySpec(table, spec as SurveySpec);
    case 'inequality':
      return runInequalitySpec(table, spec as InequalitySpec);
    case 'mediation':
      return fitMediation(table, spec as MediationSpec, { replicateRunner: options.replicateRunner });
    case 'matching':
      return matchPropensity(table, spec as PropensityMatchOptions);
    case 'heterogeneity': {
      const { heterogeneity, ...model } = spec as HeterogeneitySpec;
      return fitHeterogeneity(table, { spec: model, key: heterogeneity.key, groupBy: heterogeneity.group_by, minGroupSize: heterogeneity.min_group_size });
    }
  }
}
