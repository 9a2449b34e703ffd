// The shapes of a mediation analysis: its result, options, path fits, plug-in model and bootstrap plan (mediation.ts).
import type { GlmCore } from './glm';
import type { CoefficientRow, Family, ModelFrame, SeType } from './types';

/** The effects reported with a bootstrap CI, in this order in each replicate's record. */
export const EFFECT_KEYS = ['acme_control', 'acme_treated', 'ade_control', 'ade_treated', 'total', 'acme_avg', 'ade_avg', 'prop_mediated_control', 'prop_mediated_treated', 'prop_mediated_avg'] as const;

export type EffectKey = (typeof EFFECT_KEYS)[number];

export interface PathRow extends CoefficientRow {
  term: string;
  family: Family;
}

export interface IndirectTest {
  se: number;
  z: number;
  p: number;
  ci_lower: number;
  ci_upper: number;
}

export interface EffectWithSe {
  estimate: number;
  se: number;
}

/** Karlson–Holm–Breen: total and direct effects on the same (full-model) logit scale. */
export interface KhbDecomposition {
  /** Coefficient of the treatment in the outcome model with the residualised mediator (the rescaled total effect). */
  total: EffectWithSe;
  /** c': coefficient of the treatment in the full outcome model. */
  direct: EffectWithSe;
  /** total - direct, with the delta-method SE of KHB (2012), which for one mediator is Sobel's formula. */
  indirect: EffectWithSe & { z: number; p: number };
  /** c of the naive reduced model, which mixes the indirect effect with rescaling. */
  naive_total: number;
  confounding_ratio: number;
  confounding_percentage: number;
  /** KHB total / naive total: how much the naive comparison is distorted by the logit's rescaling. */
  rescale_factor: number;
}

export interface PluginEffects {
  acme_control: number;
  acme_treated: number;
  ade_control: number;
  ade_treated: number;
  total: number;
  acme_avg: number;
  ade_avg: number;
  prop_mediated_control: number;
  prop_mediated_treated: number;
  prop_mediated_avg: number;
  mediator_sigma: number | null;
  gh_nodes: number;
  control_value: number;
  treat_value: number;
}

export interface MediationResult {
  baron_kenny: { c_total: PathRow; a: PathRow; b: PathRow; c_prime: PathRow; indirect_ab: number; diff_c_minus_cprime: number; se_type: SeType };
  indirect_tests: Record<'sobel' | 'aroian' | 'goodman', IndirectTest>;
  bootstrap: {
    B: number;
    seed: number;
    rng: 'mulberry32';
    resampling: 'rows' | 'clusters';
    estimate: number;
    mean: number;
    se: number;
    ci_lower: number;
    ci_upper: number;
    quantile_type: 7;
    p_boot_two_sided: number;
    failed: number;
    time_s: number;
    values: number[];
    /** The counterfactual effects (plug-in, on the outcome's scale) with percentile CIs from the same resamples. */
    effects: Record<EffectKey, BootstrapInterval>;
  };
  plugin_effects: PluginEffects;
  khb?: KhbDecomposition;
  n: number;
  warnings: string[];
}

export interface MediationOptions {
  /** Overrides spec.boot_B (tests run a few replicates; the app runs the spec's). */
  replicates?: number;
  /** Gauss–Hermite nodes for the plug-in effects (R's reference used 64). */
  ghNodes?: number;
  /** Runs the bootstrap replicates (default: sequentially on this thread; the app's fit workers use two threads). */
  replicateRunner?: ReplicateRunner;
}

/**
 * What the plug-in effects need besides the rows: the paths, the mediator's residual SD and a Gauss–Hermite rule.
 * Plain data, so that bootstrap workers can evaluate replicates' effects too.
 */
export interface PluginModel {
  mediatorFamily: Family;
  outcomeFamily: Family;
  a: number;
  b: number;
  cPrime: number;
  /** Residual SD of a linear mediator model (mediate's sigma = sqrt(RSS / (n - k))), or null for a logit mediator. */
  sigma: number | null;
  nodes: Float64Array;
  weights: Float64Array;
}

/** A path model's fit with what the bootstrap and KHB need beyond the coefficient rows: the IRLS core and vcov. */
export interface PathFit {
  frame: ModelFrame;
  family: Family;
  core: GlmCore;
  vcov: Float64Array;
}

/**
 * Percentile bootstrap of a·b. Replicate r draws `units` uniforms from one mulberry32 stream (positions
 * (r-1)·units+1 … r·units) and takes unit floor(u·units), units being rows, or clusters when the spec has a cluster.
 */
/**
 * Everything a range of bootstrap replicates needs, as plain data (typed arrays and numbers), so that a worker thread
 * can run part of the replicates: the two path models' frames, full-sample estimates and Hessians, and the draws.
 */
export interface BootstrapPlan {
  frameA: ModelFrame;
  frameB: ModelFrame;
  mediatorFamily: Family;
  outcomeFamily: Family;
  betaA: Float64Array;
  betaB: Float64Array;
  hessianA: Float64Array;
  hessianB: Float64Array;
  treatment: string;
  mediator: string;
  seed: number;
  /** Resampled units: rows, or clusters when `cluster` is set. */
  units: number;
  cluster: Int32Array | null;
  /** Each refit's distance from its exact optimum, in standard errors (see createResampledGlmSolver). */
  refitTolerance: number;
  /** The plug-in effects' model (its paths and sigma are replaced by each replicate's) and quadrature rule. */
  plugin: PluginModel;
}

/** Runs all B replicates of a plan (B x REPLICATE_STRIDE values); sequential by default, a host may pass one that
 * uses worker threads (an option of fitMediation and runSpec). */
export type ReplicateRunner = (plan: BootstrapPlan, B: number) => Float64Array;

/** A point estimate with the percentile (type 7) 95% CI and the SD of its bootstrap replicates. */
export interface BootstrapInterval {
  estimate: number;
  se: number;
  ci_lower: number;
  ci_upper: number;
}
