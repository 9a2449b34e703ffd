// Mediation by the product of coefficients (Baron & Kenny paths a, b, c, c'), the Sobel/Aroian/Goodman tests, a
// seeded percentile bootstrap of a·b, g-formula plug-in effects (ACME/ADE) and, for a binary outcome, the KHB
// decomposition. Seed 000's question: do basic public health services raise integration through self-rated health?
import { normalQuantile, normalTwoSidedP, studentTQuantile, studentTTwoSidedP } from './distributions';
import { fitGlmCore, glmCovariances, type GlmCore } from './glm';
import { cholesky, choleskyInverse } from './linalg';
import { buildModelFrame } from './model-frame';
import { gaussHermite } from './quadrature';
import { drawBootstrapCounts, mulberry32At } from './random';
import { createResampleGatherer, createResampledGlmSolver, PANEL_ROWS, panelLinearPredictorPair, solveJointly, type ResampledFit } from './resampled-glm';
import { ModelError, type CoefficientRow, type DataTable, type Family, type MediationSpec, type ModelFrame, type ModelSpec, type SeType } from './types';

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

/** R's quantile(type = 7) of an ascending array. */
export function quantileType7(sorted: ArrayLike<number>, probability: number): number {
  const h = (sorted.length - 1) * probability;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}


function subsetTable(table: DataTable, rows: Int32Array): DataTable {
  const columns = new Map<string, Float64Array | (string | null)[]>();
  for (const [name, column] of table.columns) {
    columns.set(name, column instanceof Float64Array ? Float64Array.from(rows, (r) => column[r] as number) : Array.from(rows, (r) => column[r] ?? null));
  }
  return { nrow: rows.length, columns };
}

function hessianOf(fit: PathFit): Float64Array {
  const L = cholesky(fit.core.unscaledCovariance, fit.frame.p);
  if (!L) throw new ModelError('invalid_spec', 'The covariance of a path model is not positive definite.');
  return choleskyInverse(L, fit.frame.p);
}

/** The treatment's OLS coefficient (and SE) for the mediator: the mediator model itself when it is linear. */
function linearMediatorPath(spec: MediationSpec, fitA: PathFit, seType: SeType): { estimate: number; se: number } {
  const linear = spec.mediator_family === 'gaussian' ? fitA : fitPath(fitA.frame, 'gaussian', seType);
  const row = pathRowOf(linear, spec.treatment, seType);
  return { estimate: row.estimate, se: row.se };
}

function linearPredictor(frame: ModelFrame, beta: Float64Array): Float64Array {
  const { n, p, X } = frame;
  const eta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = 0; k < p; k++) sum += (X[i * p + k] as number) * (beta[k] as number);
    eta[i] = sum;
  }
  return eta;
}

const logistic = (eta: number) => 1 / (1 + Math.exp(-eta));
const SQRT_PI = Math.sqrt(Math.PI);

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

/**
 * exp(-b sqrt(2) sigma x_k) for each node: logistic(c + b sqrt(2) sigma x_k) = 1 / (1 + exp(-c) f_k), so a unit costs
 * one exp per potential outcome instead of one per node (what keeps 1,000 replicates at a full wave's size cheap).
 */
function nodeFactors(model: PluginModel): Float64Array | null {
  if (model.mediatorFamily !== 'gaussian' || model.outcomeFamily !== 'binomial') return null;
  const spread = Math.SQRT2 * (model.sigma as number);
  return Float64Array.from(model.nodes, (x) => Math.exp(-model.b * spread * x));
}

/**
 * Adds w E g(t, M(t')) of one unit to sums[2 t + t'] for t, t' in {0, 1}: the outcome model's response at treatment t
 * with the mediator drawn from its model at treatment t'. The linear predictors are the unit's at its observed
 * treatment T and mediator M. Binary mediator: an exact two-point sum; linear mediator: Gauss–Hermite over its normal
 * error, or exactly E[M] when the outcome is linear too.
 */
function addUnitPotentialOutcomes(model: PluginModel, factors: Float64Array | null, sums: Float64Array, w: number, mediatorEta: number, observedT: number, outcomeEta: number, observedM: number): void {
  const { a, b, cPrime, nodes, weights } = model;
  const logitOutcome = model.outcomeFamily === 'binomial';
  for (let mediatorT = 0; mediatorT <= 1; mediatorT++) {
    const etaM = mediatorEta + a * (mediatorT - observedT);
    for (let outcomeT = 0; outcomeT <= 1; outcomeT++) {
      // Linear predictor of the outcome at treatment outcomeT and mediator value 0.
      const base = outcomeEta + cPrime * (outcomeT - observedT) - b * observedM;
      let value = 0;
      if (model.mediatorFamily === 'binomial') {
        const pm = logistic(etaM);
        value = logitOutcome ? pm * logistic(base + b) + (1 - pm) * logistic(base) : base + b * pm;
      } else if (!logitOutcome) {
        value = base + b * etaM;
      } else {
        const e = Math.exp(-(base + b * etaM));
        if (factors && e > 0 && Number.isFinite(e)) {
          for (let k = 0; k < nodes.length; k++) value += (weights[k] as number) / (1 + e * (factors[k] as number));
        } else {
          const spread = Math.SQRT2 * (model.sigma as number);
          for (let k = 0; k < nodes.length; k++) value += (weights[k] as number) * logistic(base + b * (etaM + spread * (nodes[k] as number)));
        }
        value /= Math.sqrt(Math.PI);
      }
      sums[2 * outcomeT + mediatorT]! += w * value;
    }
  }
}

/** The effects from the four mean potential outcomes mean(t, t') = means[2 t + t']. */
function effectsFromMeans(means: ArrayLike<number>): Omit<PluginEffects, 'mediator_sigma' | 'gh_nodes' | 'control_value' | 'treat_value'> {
  const mean = (t: number, tm: number) => means[2 * t + tm] as number;
  const acmeControl = mean(0, 1) - mean(0, 0);
  const acmeTreated = mean(1, 1) - mean(1, 0);
  const adeControl = mean(1, 0) - mean(0, 0);
  const adeTreated = mean(1, 1) - mean(0, 1);
  const total = mean(1, 1) - mean(0, 0);
  return {
    acme_control: acmeControl,
    acme_treated: acmeTreated,
    ade_control: adeControl,
    ade_treated: adeTreated,
    total,
    acme_avg: (acmeControl + acmeTreated) / 2,
    ade_avg: (adeControl + adeTreated) / 2,
    prop_mediated_control: acmeControl / total,
    prop_mediated_treated: acmeTreated / total,
    prop_mediated_avg: (acmeControl + acmeTreated) / 2 / total,
  };
}

/** The effects reported with a bootstrap CI, in this order in each replicate's record. */
export const EFFECT_KEYS = ['acme_control', 'acme_treated', 'ade_control', 'ade_treated', 'total', 'acme_avg', 'ade_avg', 'prop_mediated_control', 'prop_mediated_treated', 'prop_mediated_avg'] as const;
export type EffectKey = (typeof EFFECT_KEYS)[number];

/** Mean potential outcomes over the full sample (case weights = prior weights). */
function fullSampleMeans(model: PluginModel, frames: { mediator: ModelFrame; outcome: ModelFrame }, etas: { mediator: Float64Array; outcome: Float64Array }, treatment: string, mediator: string): Float64Array {
  const { mediator: frameA, outcome: frameB } = frames;
  const treatmentColumn = frameA.terms.indexOf(treatment);
  const mediatorColumn = frameB.terms.indexOf(mediator);
  const sums = new Float64Array(4);
  const factors = nodeFactors(model);
  let weightSum = 0;
  for (let i = 0; i < frameA.n; i++) {
    const w = frameA.weights ? (frameA.weights[i] as number) : 1;
    if (w === 0) continue;
    weightSum += w;
    addUnitPotentialOutcomes(model, factors, sums, w, etas.mediator[i] as number, frameA.X[i * frameA.p + treatmentColumn] as number, etas.outcome[i] as number, frameB.X[i * frameB.p + mediatorColumn] as number);
  }
  return sums.map((v) => v / weightSum);
}

/**
 * The fewest Gauss–Hermite nodes (of a ladder up to `order`) whose mean potential outcomes match the `order`-node ones
 * to 1e-13: the bootstrap evaluates the integral at every resampled row of every replicate, and the integrand (a
 * logistic of a normal) is smooth enough that 8 to 16 nodes usually reach the 64-node value.
 */
function economicalRule(model: PluginModel, reference: Float64Array, evaluate: (rule: PluginModel) => Float64Array, order: number): PluginModel {
  if (model.mediatorFamily !== 'gaussian' || model.outcomeFamily !== 'binomial') return model;
  for (const k of [6, 8, 10, 12, 16, 20, 24, 32, 48]) {
    if (k >= order) break;
    const { nodes, weights } = gaussHermite(k);
    const rule = { ...model, nodes, weights };
    const means = evaluate(rule);
    if (means.every((m, j) => Math.abs(m - (reference[j] as number)) <= 1e-13 * Math.max(1, Math.abs(reference[j] as number)))) return rule;
  }
  return model;
}

/**
 * KHB: the outcome logit with the mediator replaced by its OLS residual on the treatment and covariates. That model is
 * a reparametrisation of the full one (the residual is M minus a combination of the other columns), so its treatment
 * coefficient is exactly c' + gamma_T b, gamma_T being the treatment's OLS coefficient for the mediator, and its SE
 * comes from the full model's covariance: Var(c') + gamma_T^2 Var(b) + 2 gamma_T Cov(c', b). No refit is needed.
 */
function khbDecomposition(spec: MediationSpec, outcomeFit: PathFit, linearA: { estimate: number; se: number }, naiveTotal: number): KhbDecomposition {
  const t = outcomeFit.frame.terms.indexOf(spec.treatment);
  const m = outcomeFit.frame.terms.indexOf(spec.mediator);
  const p = outcomeFit.frame.p;
  const V = outcomeFit.vcov;
  const gamma = linearA.estimate;
  const direct = outcomeFit.core.beta[t] as number;
  const b = outcomeFit.core.beta[m] as number;
  const total = direct + gamma * b;
  const totalSe = Math.sqrt((V[t * p + t] as number) + gamma ** 2 * (V[m * p + m] as number) + 2 * gamma * (V[t * p + m] as number));
  const indirect = total - direct;
  const indirectSe = Math.sqrt(gamma ** 2 * (V[m * p + m] as number) + b ** 2 * linearA.se ** 2);
  return {
    total: { estimate: total, se: totalSe },
    direct: { estimate: direct, se: Math.sqrt(V[t * p + t] as number) },
    indirect: { estimate: indirect, se: indirectSe, z: indirect / indirectSe, p: normalTwoSidedP(indirect / indirectSe) },
    naive_total: naiveTotal,
    confounding_ratio: total / direct,
    confounding_percentage: (100 * indirect) / total,
    rescale_factor: total / naiveTotal,
  };
}

/** A path model's fit with what the bootstrap and KHB need beyond the coefficient rows: the IRLS core and vcov. */
interface PathFit {
  frame: ModelFrame;
  family: Family;
  core: GlmCore;
  vcov: Float64Array;
}

const SE_COVARIANCE_KEY: Record<SeType, string> = { classical: 'classical', HC0: 'HC0', HC1: 'HC1', stata_robust: 'stata_robust', CL0: 'CL0', cluster: 'CL_stata', CL_HC1: 'CL_HC1' };

function fitPath(frame: ModelFrame, family: Family, seType: SeType): PathFit {
  // Converged tightly (glm.control(epsilon = 1e-12), as the reference fits), so the SEs do not depend on where a
  // looser criterion happens to stop.
  const core = fitGlmCore(frame, family, { tol: 1e-12 });
  // Only the covariance the paths report: the others would cost an n p^2 meat each.
  const vcov = glmCovariances(frame, family, core, seType)[SE_COVARIANCE_KEY[seType]];
  if (!vcov) throw new ModelError('invalid_spec', `Standard errors of type ${seType} need a cluster variable.`);
  return { frame, family, core, vcov };
}

/** The coefficient row of one term, with the reference distribution fitGlm uses (z for logit, t otherwise). */
function pathRowOf(fit: PathFit, term: string, seType: SeType): PathRow {
  const { frame, family, core, vcov } = fit;
  const j = frame.terms.indexOf(term);
  if (j < 0) throw new ModelError('invalid_spec', `The term ${term} was dropped from a mediation model (constant or collinear, or a factor: the treatment and mediator must be numeric).`);
  const estimate = core.beta[j] as number;
  const se = Math.sqrt(vcov[j * frame.p + j] as number);
  const stat = estimate / se;
  const clusterType = seType === 'cluster' || seType === 'CL0' || seType === 'CL_HC1';
  const df = family === 'binomial' ? Infinity : clusterType ? frame.clusterLevels.length - 1 : frame.n - frame.p;
  const critical = Number.isFinite(df) ? studentTQuantile(0.975, df) : normalQuantile(0.975);
  return {
    term,
    family,
    estimate,
    se,
    stat,
    p: Number.isFinite(df) ? studentTTwoSidedP(stat, df) : normalTwoSidedP(stat),
    ci_lower: estimate - critical * se,
    ci_upper: estimate + critical * se,
  };
}

/** The frame without one design column (same rows), optionally with another outcome. */
function withoutColumn(frame: ModelFrame, term: string, y: Float64Array = frame.y): ModelFrame {
  const drop = frame.terms.indexOf(term);
  const p = frame.p - 1;
  const X = new Float64Array(frame.n * p);
  for (let i = 0; i < frame.n; i++) {
    const source = i * frame.p;
    const target = i * p;
    for (let k = 0, c = 0; k < frame.p; k++) if (k !== drop) X[target + c++] = frame.X[source + k] as number;
  }
  return { ...frame, p, X, y, terms: frame.terms.filter((_, k) => k !== drop) };
}

export function fitMediation(table: DataTable, spec: MediationSpec, options: MediationOptions = {}): MediationResult {
  const { treatment, mediator, outcome, covariates } = spec;
  // Cluster-robust path SEs (and a cluster bootstrap) when the spec names a cluster; robust ones for weights, which
  // are sampling weights here; otherwise classical, as R's summary(glm) that the oracle reports.
  const seType: SeType = spec.cluster ? 'cluster' : spec.weights ? 'stata_robust' : 'classical';
  const base = (outcomeName: string, family: Family, predictors: string[]): ModelSpec => ({
    family,
    outcome: outcomeName,
    predictors,
    se: seType,
    cluster: spec.cluster ?? null,
    weights: spec.weights ?? null,
  });
  // One set of complete cases for all three models, so the paths are comparable: the outcome model's. The other two
  // frames are its columns without the mediator (unless aliasing makes rebuilding them the safe way).
  const frameB = buildModelFrame(table, base(outcome, spec.outcome_family, [treatment, mediator, ...covariates]));
  const n = frameB.n;
  if (n < 30) throw new ModelError('too_few_cases', `Mediation needs at least 30 complete cases; there are ${n}.`);
  if (!frameB.terms.includes(mediator)) throw new ModelError('invalid_spec', `The mediator ${mediator} was dropped from the outcome model (constant, collinear or not numeric).`);
  let frameA: ModelFrame;
  let frameTotal: ModelFrame;
  if (frameB.aliased.length === 0) {
    const mediatorColumn = frameB.terms.indexOf(mediator);
    const mediatorValues = Float64Array.from({ length: n }, (_, i) => frameB.X[i * frameB.p + mediatorColumn] as number);
    frameA = withoutColumn(frameB, mediator, mediatorValues);
    frameTotal = withoutColumn(frameB, mediator);
  } else {
    const data = subsetTable(table, frameB.rowsUsed);
    frameA = buildModelFrame(data, base(mediator, spec.mediator_family, [treatment, ...covariates]));
    frameTotal = buildModelFrame(data, base(outcome, spec.outcome_family, [treatment, ...covariates]));
  }
  const fitTotal = fitPath(frameTotal, spec.outcome_family, seType);
  const fitA = fitPath(frameA, spec.mediator_family, seType);
  const fitB = fitPath(frameB, spec.outcome_family, seType);
  const a = pathRowOf(fitA, treatment, seType);
  const b = pathRowOf(fitB, mediator, seType);
  const cTotal = pathRowOf(fitTotal, treatment, seType);
  const cPrime = pathRowOf(fitB, treatment, seType);
  const ab = a.estimate * b.estimate;

  const z975 = normalQuantile(0.975);
  const test = (variance: number): IndirectTest => {
    const se = Math.sqrt(variance);
    const z = ab / se;
    return { se, z, p: normalTwoSidedP(z), ci_lower: ab - z975 * se, ci_upper: ab + z975 * se };
  };
  const sobelVariance = b.estimate ** 2 * a.se ** 2 + a.estimate ** 2 * b.se ** 2;

  const mediatorSigma = spec.mediator_family === 'gaussian' ? Math.sqrt(fitA.core.dispersion) : null;
  const order = options.ghNodes ?? 64;
  const rule = gaussHermite(order);
  const pluginModel: PluginModel = { mediatorFamily: spec.mediator_family, outcomeFamily: spec.outcome_family, a: a.estimate, b: b.estimate, cPrime: cPrime.estimate, sigma: mediatorSigma, nodes: rule.nodes, weights: rule.weights };
  const pathFrames = { mediator: frameA, outcome: frameB };
  const pathEtas = { mediator: linearPredictor(frameA, fitA.core.beta), outcome: linearPredictor(frameB, fitB.core.beta) };
  const means = fullSampleMeans(pluginModel, pathFrames, pathEtas, treatment, mediator);
  const plugin: PluginEffects = {
    ...effectsFromMeans(means),
    mediator_sigma: mediatorSigma,
    gh_nodes: spec.mediator_family === 'gaussian' ? order : 0,
    control_value: 0,
    treat_value: 1,
  };
  const replicateRule = economicalRule(pluginModel, means, (candidate) => fullSampleMeans(candidate, pathFrames, pathEtas, treatment, mediator), order);
  const bootstrap = bootstrapIndirect(spec, fitA, fitB, options.replicates ?? spec.boot_B, ab, plugin, replicateRule, options.replicateRunner ?? sequentialReplicates);

  const warnings: string[] = [];
  if (frameB.nDroppedMissing > 0) warnings.push(`${frameB.nDroppedMissing} rows with missing values were left out (listwise deletion).`);
  if (frameB.aliased.length > 0) warnings.push(`Dropped as constant or collinear (R reports NA): ${frameB.aliased.join(', ')}.`);
  if (bootstrap.failed > 0) warnings.push(`${bootstrap.failed} of ${bootstrap.B} bootstrap resamples could not be fitted and were left out.`);
  if (spec.rng && spec.rng !== 'mulberry32') warnings.push(`Resamples are drawn with mulberry32, not ${spec.rng}'s generator: the bootstrap CI agrees with R's only within Monte Carlo error.`);
  const treatmentValues = new Set(Array.from({ length: frameA.n }, (_, i) => frameA.X[i * frameA.p + frameA.terms.indexOf(treatment)]));
  if (treatmentValues.size !== 2 || !treatmentValues.has(0) || !treatmentValues.has(1)) warnings.push('The treatment is not coded 0/1: the plug-in effects compare treatment = 1 with treatment = 0.');

  return {
    baron_kenny: { c_total: cTotal, a, b, c_prime: cPrime, indirect_ab: ab, diff_c_minus_cprime: cTotal.estimate - cPrime.estimate, se_type: seType },
    indirect_tests: {
      sobel: test(sobelVariance),
      aroian: test(sobelVariance + a.se ** 2 * b.se ** 2),
      goodman: test(sobelVariance - a.se ** 2 * b.se ** 2),
    },
    bootstrap,
    plugin_effects: plugin,
    ...(spec.outcome_family === 'binomial' ? { khb: khbDecomposition(spec, fitB, linearMediatorPath(spec, fitA, seType), cTotal.estimate) } : {}),
    n,
    warnings,
  };
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

/** Values per replicate in the runner's output: a·b, then the four mean potential outcomes mean(t, t'), 2 t + t'. */
export const REPLICATE_STRIDE = 5;

/**
 * The refits' tolerance, 1e-8 SE: every replicate lands within about 3e-10 relative of R's glm at epsilon = 1e-12 (the
 * main fit's criterion), and the percentile CIs of a·b and of the counterfactual effects within 1e-9. The solver's
 * default (5e-5 SE, tuned for speed) leaves replicates 2e-6 apart and CIs up to several 1e-6 off; 1e-6 SE still left
 * an ACME CI 3e-7 off on 3,000 rows. It costs about a quarter more refit passes.
 */
export const BOOTSTRAP_REFIT_TOLERANCE = 1e-8;

/**
 * For replicates from (inclusive) to to (exclusive), REPLICATE_STRIDE values each: a·b and the replicate's four mean
 * potential outcomes (both models refitted on the resample, averaged over its rows, as mediate(boot = TRUE)); NaN
 * where a resample could not be fitted. Pure.
 */
export function runBootstrapReplicates(plan: BootstrapPlan, from: number, to: number): Float64Array {
  const { frameA, frameB, cluster, units } = plan;
  const n = frameA.n;
  // The mediator model's columns are the outcome model's without the mediator: one gathered resample serves both.
  const columnIndex = Int32Array.from(frameA.terms, (term) => frameB.terms.indexOf(term));
  if (columnIndex.some((k) => k < 0)) throw new ModelError('invalid_spec', 'The mediator model has terms the outcome model lacks.');
  const gather = createResampleGatherer(frameB.X, n, frameB.p);
  // The full-sample Hessians are the fits' own X'WX (the inverse of their unscaled covariance), not recomputed.
  const solverA = createResampledGlmSolver(frameA, plan.mediatorFamily, plan.betaA, { columnIndex, hessian: plan.hessianA, tol: plan.refitTolerance });
  const solverB = createResampledGlmSolver(frameB, plan.outcomeFamily, plan.betaB, { hessian: plan.hessianB, tol: plan.refitTolerance });
  const aIndex = frameA.terms.indexOf(plan.treatment);
  const bIndex = frameB.terms.indexOf(plan.mediator);
  // Replicate r takes stream positions r*units ... (r+1)*units - 1, so any range draws what the sequential run draws.
  const uniform = mulberry32At(plan.seed, from * units);
  const unitCounts = new Int32Array(units);
  const rowCounts = cluster ? new Int32Array(n) : unitCounts;
  const values = new Float64Array(Math.max(0, to - from) * REPLICATE_STRIDE);
  const sums = new Float64Array(4);
  const pA = frameA.p;
  const pB = frameB.p;
  const treatmentColumn = frameB.terms.indexOf(plan.treatment);
  const mediatorEtas = new Float64Array(n);
  const outcomeEtas = new Float64Array(n);
  const expandedA = new Float64Array(pB);
  const panelOffsets = new Int32Array(pB);
  const ruleWeights = plan.plugin.weights;
  const pairCount = Math.floor(ruleWeights.length / 2);
  const oddNode = ruleWeights.length % 2 === 1 ? ruleWeights.length - 1 : -1;
  const pairA = new Float64Array(pairCount);
  const pairC = new Float64Array(pairCount);
  const pairG = new Float64Array(pairCount);
  const pairQ = new Float64Array(pairCount);
  for (let r = from; r < to; r++) {
    drawBootstrapCounts(uniform, units, unitCounts);
    if (cluster) for (let i = 0; i < n; i++) rowCounts[i] = unitCounts[cluster[i] as number] as number;
    const slot = (r - from) * REPLICATE_STRIDE;
    try {
      const resample = gather(rowCounts);
      const [fitAStar, fitBStar] = solveJointly(resample, [solverA, solverB]) as [ResampledFit, ResampledFit];
      const aStar = fitAStar.beta[aIndex] as number;
      const bStar = fitBStar.beta[bIndex] as number;
      values[slot] = aStar * bStar;
      // The replicate's plug-in effects over its own rows; a linear mediator's sigma from its refit on the resample.
      // Both linear predictors from one read of each panel (the refits' kernel, the mediator model's coefficients
      // spread over the outcome model's columns), and the mediator's residual sum of squares, which its sigma needs
      // before any unit's potential outcomes can be evaluated.
      const m = resample.m;
      expandedA.fill(0);
      for (let k = 0; k < pA; k++) expandedA[columnIndex[k] as number] = fitAStar.beta[k] as number;
      let rss = 0;
      let cases = 0;
      for (let start = 0; start < m; start += PANEL_ROWS) {
        const len = Math.min(PANEL_ROWS, m - start);
        const base = start * pB;
        for (let c = 0; c < pB; c++) panelOffsets[c] = base + c * len;
        panelLinearPredictorPair(resample.data, panelOffsets, pB, len, expandedA, fitBStar.beta, mediatorEtas.subarray(start, start + len), outcomeEtas.subarray(start, start + len));
        for (let j = start; j < start + len; j++) {
          const row = resample.rows[j] as number;
          const w = (resample.counts[j] as number) * (frameA.weights ? (frameA.weights[row] as number) : 1);
          if (w > 0) {
            rss += w * ((frameA.y[row] as number) - (mediatorEtas[j] as number)) ** 2;
            cases += resample.counts[j] as number;
          }
        }
      }
      const cPrimeStar = fitBStar.beta[treatmentColumn] as number;
      const model: PluginModel = { ...plan.plugin, a: aStar, b: bStar, cPrime: cPrimeStar, sigma: plan.mediatorFamily === 'gaussian' ? Math.sqrt(rss / (cases - pA)) : null };
      sums.fill(0);
      const factors = nodeFactors(model);
      if (factors) {
        for (let q = 0; q < pairCount; q++) {
          const f1 = factors[2 * q] as number;
          const f2 = factors[2 * q + 1] as number;
          const w1 = ruleWeights[2 * q] as number;
          const w2 = ruleWeights[2 * q + 1] as number;
          pairA[q] = w1 + w2;
          pairC[q] = w1 * f2 + w2 * f1;
          pairG[q] = f1 + f2;
          pairQ[q] = f1 * f2;
        }
      }
      // exp(-(outcome0 + c' t + b (mediator0 + a t'))) = E kC^t kA^t': one exp per unit for its four potential outcomes.
      const kC = Math.exp(-cPrimeStar);
      const kA = Math.exp(-bStar * aStar);
      const oddWeight = oddNode >= 0 ? (ruleWeights[oddNode] as number) : 0;
      const oddFactor = oddNode >= 0 && factors ? (factors[oddNode] as number) : 0;
      let weightSum = 0;
      for (let start = 0; start < m; start += PANEL_ROWS) {
        const len = Math.min(PANEL_ROWS, m - start);
        const base = start * pB;
        const treatmentOffset = base + treatmentColumn * len - start;
        const mediatorOffset = base + bIndex * len - start;
        for (let j = start; j < start + len; j++) {
          const row = resample.rows[j] as number;
          const w = (resample.counts[j] as number) * (frameA.weights ? (frameA.weights[row] as number) : 1);
          if (w === 0) continue;
          weightSum += w;
          const observedT = resample.data[treatmentOffset + j] as number;
          const observedM = resample.data[mediatorOffset + j] as number;
          if (factors) {
            // The common case (linear mediator, logit outcome) inline, the nodes in pairs with one division each:
            // w1/(1+e f1) + w2/(1+e f2) = (A + e C) / (1 + e G + e^2 Q).
            const mediator0 = (mediatorEtas[j] as number) - aStar * observedT;
            const outcome0 = (outcomeEtas[j] as number) - cPrimeStar * observedT - bStar * observedM;
            const e00 = Math.exp(-(outcome0 + bStar * mediator0));
            const e01 = e00 * kA;
            const e10 = e00 * kC;
            const e11 = e10 * kA;
            if (e00 > 0 && e00 < 1e150 && e01 > 0 && e01 < 1e150 && e10 > 0 && e10 < 1e150 && e11 > 0 && e11 < 1e150) {
              let v00 = 0;
              let v01 = 0;
              let v10 = 0;
              let v11 = 0;
              for (let q = 0; q < pairCount; q++) {
                const A = pairA[q] as number;
                const C = pairC[q] as number;
                const G = pairG[q] as number;
                const Q = pairQ[q] as number;
                v00 += (A + e00 * C) / (1 + e00 * (G + e00 * Q));
                v01 += (A + e01 * C) / (1 + e01 * (G + e01 * Q));
                v10 += (A + e10 * C) / (1 + e10 * (G + e10 * Q));
                v11 += (A + e11 * C) / (1 + e11 * (G + e11 * Q));
              }
              if (oddNode >= 0) {
                v00 += oddWeight / (1 + e00 * oddFactor);
                v01 += oddWeight / (1 + e01 * oddFactor);
                v10 += oddWeight / (1 + e10 * oddFactor);
                v11 += oddWeight / (1 + e11 * oddFactor);
              }
              sums[0]! += (w * v00) / SQRT_PI;
              sums[1]! += (w * v01) / SQRT_PI;
              sums[2]! += (w * v10) / SQRT_PI;
              sums[3]! += (w * v11) / SQRT_PI;
              continue;
            }
          }
          // Other model families, and linear predictors so extreme that the products above would over- or underflow.
          addUnitPotentialOutcomes(model, factors, sums, w, mediatorEtas[j] as number, observedT, outcomeEtas[j] as number, observedM);
        }
      }
      for (let k = 0; k < 4; k++) values[slot + 1 + k] = (sums[k] as number) / weightSum;
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      values.fill(Number.NaN, slot, slot + REPLICATE_STRIDE); // a resample that cannot be fitted (e.g. separation) is left out and counted
    }
  }
  return values;
}

/** Runs all B replicates of a plan (B x REPLICATE_STRIDE values); sequential by default, a host may pass one that
 * uses worker threads (an option of fitMediation and runSpec). */
export type ReplicateRunner = (plan: BootstrapPlan, B: number) => Float64Array;
const sequentialReplicates: ReplicateRunner = (plan, B) => runBootstrapReplicates(plan, 0, B);

function bootstrapIndirect(
  spec: MediationSpec,
  fitA: PathFit,
  fitB: PathFit,
  B: number,
  estimate: number,
  plugin: PluginEffects,
  pluginModel: PluginModel,
  replicateRunner: ReplicateRunner,
): MediationResult['bootstrap'] {
  const started = performance.now();
  const cluster = spec.cluster ? fitA.frame.cluster : null;
  const plan: BootstrapPlan = {
    frameA: fitA.frame,
    frameB: fitB.frame,
    mediatorFamily: spec.mediator_family,
    outcomeFamily: spec.outcome_family,
    betaA: fitA.core.beta,
    betaB: fitB.core.beta,
    hessianA: hessianOf(fitA),
    hessianB: hessianOf(fitB),
    treatment: spec.treatment,
    mediator: spec.mediator,
    seed: spec.seed,
    units: cluster ? fitA.frame.clusterLevels.length : fitA.frame.n,
    cluster,
    refitTolerance: BOOTSTRAP_REFIT_TOLERANCE,
    plugin: pluginModel,
  };
  const all = replicateRunner(plan, B);
  const fitted: number[] = [];
  for (let r = 0; r < B; r++) if (!Number.isNaN(all[r * REPLICATE_STRIDE] as number)) fitted.push(r);
  const values = fitted.map((r) => all[r * REPLICATE_STRIDE] as number);
  const failed = B - values.length;
  const effects = {} as Record<EffectKey, BootstrapInterval>;
  const replicateEffects = fitted.map((r) => effectsFromMeans(all.subarray(r * REPLICATE_STRIDE + 1, (r + 1) * REPLICATE_STRIDE)));
  for (const key of EFFECT_KEYS) effects[key] = percentileInterval(plugin[key], replicateEffects.map((e) => e[key]));
  const sorted = Float64Array.from(values).sort();
  const count = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / count;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (count - 1));
  const below = values.filter((v) => v <= 0).length / count;
  const above = values.filter((v) => v >= 0).length / count;
  return {
    B,
    seed: spec.seed,
    rng: 'mulberry32',
    resampling: cluster ? 'clusters' : 'rows',
    estimate,
    mean,
    se: sd,
    ci_lower: quantileType7(sorted, 0.025),
    ci_upper: quantileType7(sorted, 0.975),
    quantile_type: 7,
    p_boot_two_sided: Math.min(1, 2 * Math.min(below, above)),
    failed,
    time_s: (performance.now() - started) / 1000,
    values,
    effects,
  };
}

/** A point estimate with the percentile (type 7) 95% CI and the SD of its bootstrap replicates. */
export interface BootstrapInterval {
  estimate: number;
  se: number;
  ci_lower: number;
  ci_upper: number;
}

function percentileInterval(estimate: number, replicates: number[]): BootstrapInterval {
  const sorted = Float64Array.from(replicates).sort();
  const mean = replicates.reduce((s, v) => s + v, 0) / replicates.length;
  const se = Math.sqrt(replicates.reduce((s, v) => s + (v - mean) ** 2, 0) / (replicates.length - 1));
  return { estimate, se, ci_lower: quantileType7(sorted, 0.025), ci_upper: quantileType7(sorted, 0.975) };
}
