// Generalised linear models: OLS and logit by IRLS with prior/probability weights, and every standard-error type the
// oracle defines (classical, HC0, HC1, Stata robust, CL0, Stata cluster, CL_HC1), agreeing with R's glm + sandwich.
import { normalQuantile, normalTwoSidedP, studentTQuantile, studentTTwoSidedP } from './distributions';
import { cholesky, choleskyInverse, choleskySolve, sandwich, weightedCrossProducts } from './linalg';
import { logistic } from './link';
import { ModelError, type CoefficientRow, type Family, type FitResult, type ModelFrame, type SeType } from './types';

export interface GlmCore {
  beta: Float64Array;
  /** (X'WX)^-1 at convergence, W = prior weight x variance function. */
  unscaledCovariance: Float64Array;
  mu: Float64Array;
  /** Per-row score contributions w_i (y_i - mu_i), to be multiplied by x_i. */
  scoreFactor: Float64Array;
  dispersion: number;
  deviance: number;
  loglik: number;
  iterations: number;
  converged: boolean;
}

// As binomial()$linkinv in R: mu is kept at least machine epsilon from 0 and 1, so the variance never vanishes.
const MU_EPSILON = 2.220446049250313e-16;
const clampedLogistic = (eta: number) => Math.min(1 - MU_EPSILON, Math.max(MU_EPSILON, logistic(eta)));

function priorWeights(frame: ModelFrame): Float64Array {
  return frame.weights ?? new Float64Array(frame.n).fill(1);
}

/** Fits the coefficients; `maxIter` and `tol` as glm.control (`tol` defaults to the oracle format's 1e-12, see below). */
export function fitGlmCore(frame: ModelFrame, family: Family, options: { maxIter?: number; tol?: number } = {}): GlmCore {
  const { n, p, X, y } = frame;
  if (n <= p) throw new ModelError('too_few_cases', `${n} complete cases cannot estimate ${p} coefficients.`);
  const prior = priorWeights(frame);
  const xtwx = new Float64Array(p * p);
  const xtwz = new Float64Array(p);
  const working = new Float64Array(n);
  const z = new Float64Array(n);
  const mu = new Float64Array(n);

  if (isConstantOutcome(y, prior)) {
    throw new ModelError('constant_outcome', `The outcome${frame.outcome ? ` "${frame.outcome}"` : ''} takes only one value in these data: there is nothing to explain (standard errors would be 0 and the likelihood undefined).`);
  }
  if (family === 'gaussian') {
    weightedCrossProducts(X, n, p, prior, y, xtwx, xtwz);
    const L = cholesky(xtwx, p);
    if (!L) throw new ModelError('invalid_spec', 'The design matrix is singular.');
    const beta = choleskySolve(L, p, xtwz);
    let rss = 0;
    let sumLogW = 0;
    let nPositive = 0;
    for (let i = 0; i < n; i++) {
      let eta = 0;
      for (let j = 0; j < p; j++) eta += (X[i * p + j] as number) * (beta[j] as number);
      mu[i] = eta;
      rss += (prior[i] as number) * ((y[i] as number) - eta) ** 2;
      if ((prior[i] as number) > 0) {
        sumLogW += Math.log(prior[i] as number);
        nPositive += 1;
      }
    }
    const loglik = 0.5 * (sumLogW - nPositive * (Math.log((2 * Math.PI * rss) / nPositive) + 1));
    return {
      beta,
      unscaledCovariance: choleskyInverse(L, p),
      mu,
      scoreFactor: Float64Array.from(mu, (m, i) => (prior[i] as number) * ((y[i] as number) - m)),
      dispersion: rss / (nPositive - p),
      deviance: rss,
      loglik,
      iterations: 1,
      converged: true,
    };
  }

  for (let i = 0; i < n; i++) {
    const yi = y[i] as number;
    if (yi < 0 || yi > 1) throw new ModelError('invalid_spec', `A logit outcome must be 0/1; found ${yi}.`);
  }
  // R's starting values, mustart = (w y + 0.5) / (w + 1), with the weights scaled to mean 1: the MLE does not depend
  // on the weights' scale, but with raw survey weights (means in the tens of thousands) R's mustart puts every case
  // at a fitted probability of about 0 or 1 and the first steps diverge.
  let positiveWeightSum = 0;
  let positiveWeights = 0;
  for (let i = 0; i < n; i++) {
    if ((prior[i] as number) > 0) {
      positiveWeightSum += prior[i] as number;
      positiveWeights += 1;
    }
  }
  const weightScale = positiveWeights > 0 ? positiveWeightSum / positiveWeights : 1;
  const eta = Float64Array.from(y, (yi, i) => {
    const w = (prior[i] as number) / weightScale;
    const m = (w * yi + 0.5) / (w + 1);
    return Math.log(m / (1 - m));
  });
  // Convergence as glm.fit: the relative change of the deviance below tol, by default the oracle format's 1e-12 rather
  // than glm.control's 1e-8, which leaves SEs off by up to 2e-4 relative. (A second criterion on the change of beta
  // would take one step more than R and move the SEs, which use the last step's weights, by about 1e-5.)
  const maxIter = options.maxIter ?? 100;
  const tol = options.tol ?? DEFAULT_GLM_TOLERANCE;
  let beta: Float64Array = new Float64Array(p);
  let previousBeta: Float64Array | null = null;
  let deviance = Infinity;
  let converged = false;
  let iterations: number;
  let L: Float64Array | null = null;
  const devianceAt = (candidate: Float64Array): number => {
    let total = 0;
    for (let i = 0; i < n; i++) {
      let e = 0;
      for (let j = 0; j < p; j++) e += (X[i * p + j] as number) * (candidate[j] as number);
      eta[i] = e;
      const m = clampedLogistic(e);
      mu[i] = m;
      const yi = y[i] as number;
      const contribution = (yi > 0 ? yi * Math.log(yi / m) : 0) + (yi < 1 ? (1 - yi) * Math.log((1 - yi) / (1 - m)) : 0);
      total += 2 * (prior[i] as number) * contribution;
    }
    return total;
  };
  for (iterations = 1; iterations <= maxIter; iterations++) {
    for (let i = 0; i < n; i++) {
      const m = clampedLogistic(eta[i] as number);
      const variance = m * (1 - m);
      working[i] = (prior[i] as number) * variance;
      z[i] = (eta[i] as number) + ((y[i] as number) - m) / variance;
    }
    weightedCrossProducts(X, n, p, working, z, xtwx, xtwz);
    L = cholesky(xtwx, p);
    if (!L) throw separationError(frame, beta, mu, y, 'X\'WX became singular while fitting');
    let candidate = choleskySolve(L, p, xtwz);
    let newDeviance = devianceAt(candidate);
    // Step-halving, as glm.fit does when the deviance is not finite, and also when it rises (IRLS overshooting).
    for (let halving = 0; previousBeta && (!Number.isFinite(newDeviance) || newDeviance > deviance * (1 + 1e-12) + 1e-12) && halving < 30; halving++) {
      candidate = Float64Array.from(candidate, (b, j) => (b + (beta[j] as number)) / 2);
      newDeviance = devianceAt(candidate);
    }
    previousBeta = beta;
    beta = candidate;
    if (Math.abs(newDeviance - deviance) / (Math.abs(newDeviance) + 0.1) < tol) {
      deviance = newDeviance;
      converged = true;
      break;
    }
    deviance = newDeviance;
    // Under separation the deviance creeps towards its infimum while a coefficient grows without bound; glm.fit would
    // stop here (its maxit is 25) with a warning. Past that, cases at probability 0 or 1 settle it.
    if (iterations >= 25 && hasExtremeProbabilities(mu)) throw separationError(frame, beta, mu, y, 'fitted probabilities of 0 or 1 occurred');
  }
  if (!converged) {
    if (hasExtremeProbabilities(mu)) throw separationError(frame, beta, mu, y, 'fitted probabilities of 0 or 1 occurred');
    throw new ModelError('not_converged', `The logit did not converge in ${maxIter} iterations.`);
  }
  // Fitted probabilities within 1e-8 of 0 or 1 mean (quasi-)complete separation: the MLE does not exist and the
  // coefficient named below only stopped growing because the deviance stopped changing. R warns; we refuse.
  if (hasExtremeProbabilities(mu)) throw separationError(frame, beta, mu, y, 'fitted probabilities of 0 or 1 occurred');
  // As R's glm.fit, the covariance uses the working weights of the last IRLS step (computed before its update) and
  // the sandwich's scores pair those weights with the working residuals at the final estimate.
  let loglik = 0;
  const scoreFactor = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const m = mu[i] as number;
    const yi = y[i] as number;
    loglik += (prior[i] as number) * (yi * Math.log(m) + (1 - yi) * Math.log(1 - m));
    scoreFactor[i] = ((working[i] as number) * (yi - m)) / (m * (1 - m));
  }
  return {
    beta,
    unscaledCovariance: choleskyInverse(L as Float64Array, p),
    mu,
    scoreFactor,
    dispersion: 1,
    deviance,
    loglik,
    iterations,
    converged,
  };
}

/** The oracle format's convergence criterion (glm.control(epsilon = 1e-12)); the engine's default everywhere. */
export const DEFAULT_GLM_TOLERANCE = 1e-12;

/** A fitted probability this close to 0 or 1 is taken as a sign of separation (the MLE is at infinity). */
const SEPARATION_PROBABILITY = 1e-8;

/** Whether y takes a single value among the cases with positive weight. */
function isConstantOutcome(y: Float64Array, prior: Float64Array): boolean {
  let first = Number.NaN;
  for (let i = 0; i < y.length; i++) {
    if ((prior[i] as number) <= 0) continue;
    if (Number.isNaN(first)) first = y[i] as number;
    else if (y[i] !== first) return false;
  }
  return true;
}

function hasExtremeProbabilities(mu: Float64Array): boolean {
  for (const m of mu) if (m < SEPARATION_PROBABILITY || m > 1 - SEPARATION_PROBABILITY) return true;
  return false;
}

/**
 * The separation error, naming the variable: a term whose column, among the cases with fitted probabilities at 0 or 1,
 * isolates them (a dummy whose one level has only one outcome), else the terms with the largest |coefficient| x range.
 */
function separationError(frame: ModelFrame, beta: Float64Array, mu: Float64Array, y: Float64Array, what: string): ModelError {
  const { n, p, X, terms } = frame;
  const isolating: string[] = [];
  for (let j = 0; j < p; j++) {
    if (terms[j] === '(Intercept)') continue;
    // A 0/1 column one of whose levels has a single outcome value among the cases with positive weight.
    const seen = [new Set<number>(), new Set<number>()];
    let binary = true;
    for (let i = 0; i < n && binary; i++) {
      if (frame.weights && (frame.weights[i] as number) <= 0) continue;
      const v = X[i * p + j] as number;
      if (v !== 0 && v !== 1) binary = false;
      else seen[v]!.add(y[i] as number);
    }
    if (!binary) continue;
    for (const level of [0, 1]) {
      if (seen[level]!.size === 1 && seen[1 - level]!.size > 0) {
        const outcome = [...seen[level]!][0];
        isolating.push(`${terms[j]} (every case with ${terms[j]} = ${level} has outcome ${outcome})`);
      }
    }
  }
  const extremeRows: number[] = [];
  for (let i = 0; i < n; i++) if ((mu[i] as number) < SEPARATION_PROBABILITY || (mu[i] as number) > 1 - SEPARATION_PROBABILITY) extremeRows.push(i);
  let named = isolating.join('; ');
  if (!named) {
    // The terms that move the log-odds most over their observed range.
    const spread = terms.map((term, j) => {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < n; i++) {
        const v = X[i * p + j] as number;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      return { term, b: beta[j] as number, effect: Math.abs(beta[j] as number) * (hi - lo) };
    });
    named = spread
      .filter((t) => t.term !== '(Intercept)')
      .sort((a, b) => b.effect - a.effect)
      .slice(0, 3)
      .map((t) => `${t.term} (coefficient ${t.b.toFixed(1)})`)
      .join(', ');
  }
  const cases = extremeRows.length > 0 ? ` for ${extremeRows.length === 1 ? 'one case' : 'some cases'}` : '';
  return new ModelError(
    'separation',
    `Separation: ${what}${cases}, so the logit's estimates do not exist (they run off to infinity). Variable(s) responsible: ${named}. Drop or merge the categories involved, or remove the variable.`,
  );
}

/** Every covariance the oracle reports, keyed by SE type name. */
/** Every SE variant's covariance, or (with `only`) just the classical one and the one asked for. */
export function glmCovariances(frame: ModelFrame, family: Family, core: GlmCore, only?: SeType): Record<string, Float64Array> {
  const { n, p, X } = frame;
  const bread = core.unscaledCovariance;
  const scale = (m: Float64Array, factor: number) => Float64Array.from(m, (v) => v * factor);
  const wantHeteroskedastic = only === undefined || only === 'HC0' || only === 'HC1' || only === 'stata_robust';
  const wantCluster = only === undefined || only === 'CL0' || only === 'cluster' || only === 'CL_HC1';
  const out: Record<string, Float64Array> = { classical: scale(bread, core.dispersion) };
  const meat = new Float64Array(p * p);
  for (let i = 0; i < (wantHeteroskedastic ? n : 0); i++) {
    const s = core.scoreFactor[i] as number;
    const offset = i * p;
    for (let a = 0; a < p; a++) {
      const sa = s * (X[offset + a] as number);
      for (let b = a; b < p; b++) meat[a * p + b]! += sa * s * (X[offset + b] as number);
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) meat[a * p + b] = meat[b * p + a] as number;
  if (wantHeteroskedastic) {
    const hc0 = sandwich(bread, meat, p);
    out.HC0 = hc0;
    out.HC1 = scale(hc0, n / (n - p));
    out.stata_robust = family === 'binomial' ? scale(hc0, n / (n - 1)) : scale(hc0, n / (n - p));
  }
  if (frame.cluster && wantCluster) {
    const G = frame.clusterLevels.length;
    if (G < 2) throw new ModelError('too_few_clusters', 'Cluster-robust standard errors need at least two clusters.');
    const sums = new Float64Array(G * p);
    for (let i = 0; i < n; i++) {
      const g = frame.cluster[i] as number;
      const s = core.scoreFactor[i] as number;
      for (let a = 0; a < p; a++) sums[g * p + a]! += s * (X[i * p + a] as number);
    }
    const clusterMeat = new Float64Array(p * p);
    for (let g = 0; g < G; g++)
      for (let a = 0; a < p; a++) {
        const sa = sums[g * p + a] as number;
        for (let b = 0; b < p; b++) clusterMeat[a * p + b]! += sa * (sums[g * p + b] as number);
      }
    const cl0 = sandwich(bread, clusterMeat, p);
    out.CL0 = cl0;
    out.CL_HC1 = scale(cl0, (G / (G - 1)) * ((n - 1) / (n - p)));
    out.CL_stata = family === 'binomial' ? scale(cl0, G / (G - 1)) : scale(cl0, (G / (G - 1)) * ((n - 1) / (n - p)));
  }
  return out;
}

/** The key of glmCovariances' output for each SE type a spec may ask for (`cluster` is Stata's small-sample CL). */
export const SE_COVARIANCE_KEY: Record<SeType, string> = { classical: 'classical', HC0: 'HC0', HC1: 'HC1', stata_robust: 'stata_robust', CL0: 'CL0', cluster: 'CL_stata', CL_HC1: 'CL_HC1' };

export function fitGlm(frame: ModelFrame, options: { family: Family; se?: SeType; maxIter?: number; tol?: number; allVariants?: boolean }): FitResult {
  const family = options.family;
  const seType = options.se ?? 'classical';
  const core = fitGlmCore(frame, family, options);
  // se_variants lists every SE type (the oracle's format) unless the caller wants only the one it asked for.
  const covariances = glmCovariances(frame, family, core, options.allVariants === false ? seType : undefined);
  const key = SE_COVARIANCE_KEY[seType];
  const vcov = covariances[key];
  if (!vcov) throw new ModelError('invalid_spec', `Standard errors of type ${seType} need a cluster variable.`);
  const { p, n, terms } = frame;
  const clusterType = seType === 'cluster' || seType === 'CL0' || seType === 'CL_HC1';
  const df = family === 'binomial' ? Infinity : clusterType ? frame.clusterLevels.length - 1 : n - p;
  const critical = Number.isFinite(df) ? studentTQuantile(0.975, df) : normalQuantile(0.975);
  const coef: Record<string, CoefficientRow> = {};
  terms.forEach((term, j) => {
    const estimate = core.beta[j] as number;
    const se = Math.sqrt(vcov[j * p + j] as number);
    const stat = estimate / se;
    coef[term] = {
      estimate,
      se,
      stat,
      p: Number.isFinite(df) ? studentTTwoSidedP(stat, df) : normalTwoSidedP(stat),
      ci_lower: estimate - critical * se,
      ci_upper: estimate + critical * se,
    };
  });
  const seVariants: Record<string, Record<string, number>> = {};
  for (const [name, matrix] of Object.entries(covariances)) {
    seVariants[name] = Object.fromEntries(terms.map((term, j) => [term, Math.sqrt(matrix[j * p + j] as number)]));
  }
  const k = family === 'gaussian' ? p + 1 : p;
  const warnings: string[] = [];
  if (frame.nDroppedMissing > 0) warnings.push(`${frame.nDroppedMissing} rows with missing values were left out (listwise deletion).`);
  if (frame.aliased.length > 0) warnings.push(`Dropped as constant or collinear (R reports NA): ${frame.aliased.join(', ')}.`);
  if (frame.cluster && frame.clusterLevels.length < 20) warnings.push(`Only ${frame.clusterLevels.length} clusters: cluster-robust SEs may be unreliable.`);
  return {
    terms,
    coef,
    loglik: core.loglik,
    aic: -2 * core.loglik + 2 * k,
    bic: -2 * core.loglik + Math.log(n) * k,
    n,
    converged: core.converged,
    warnings,
    se_type: seType,
    se_variants: seVariants,
    vcov: terms.map((_, j) => Array.from(vcov.subarray(j * p, (j + 1) * p))),
    df: Number.isFinite(df) ? df : 'Inf',
    deviance: core.deviance,
    dispersion: core.dispersion,
    iterations: core.iterations,
    aliased: frame.aliased,
    n_dropped_missing: frame.nDroppedMissing,
    ...(frame.cluster ? { n_clusters: frame.clusterLevels.length } : {}),
  };
}
