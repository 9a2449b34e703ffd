// Linear mixed model with one random intercept per group, by ML or REML as lme4::lmer: the deviance is profiled over
// sigma and beta and minimised over theta = sd(u)/sigma. Per-group sums make each evaluation O(G p^2), not O(n p^2).
import { normalQuantile, normalTwoSidedP } from './distributions';
import { cholesky, choleskyInverse, choleskySolve } from './linalg';
import { ModelError, type CoefficientRow, type FitResult, type ModelFrame } from './types';

interface GroupSums {
  G: number;
  size: Float64Array;
  /** X'1 per group, G x p. */
  xSum: Float64Array;
  ySum: Float64Array;
  xtx: Float64Array;
  xty: Float64Array;
  yty: number;
}

function groupSums(frame: ModelFrame): GroupSums {
  const { n, p, X, y } = frame;
  if (!frame.group) throw new ModelError('invalid_spec', 'A random-intercept model needs a grouping variable.');
  const G = frame.groupLevels.length;
  const size = new Float64Array(G);
  const xSum = new Float64Array(G * p);
  const ySum = new Float64Array(G);
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p);
  let yty = 0;
  for (let i = 0; i < n; i++) {
    const g = frame.group[i] as number;
    const yi = y[i] as number;
    size[g]! += 1;
    ySum[g]! += yi;
    yty += yi * yi;
    const offset = i * p;
    for (let a = 0; a < p; a++) {
      const xa = X[offset + a] as number;
      xSum[g * p + a]! += xa;
      xty[a]! += xa * yi;
      for (let b = a; b < p; b++) xtx[a * p + b]! += xa * (X[offset + b] as number);
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) xtx[a * p + b] = xtx[b * p + a] as number;
  return { G, size, xSum, ySum, xtx, xty, yty };
}

interface Profile {
  criterion: number;
  beta: Float64Array;
  sigma2: number;
  L: Float64Array;
  logDetXtAX: number;
}

/** -2 log-likelihood (ML) or the REML criterion at theta, with sigma and beta profiled out. */
function profile(s: GroupSums, n: number, p: number, theta: number, reml: boolean): Profile {
  const t2 = theta * theta;
  const xtax = Float64Array.from(s.xtx);
  const xtay = Float64Array.from(s.xty);
  let ytay = s.yty;
  let logDetV = 0;
  for (let g = 0; g < s.G; g++) {
    const ng = s.size[g] as number;
    const c = t2 / (1 + ng * t2);
    logDetV += Math.log(1 + ng * t2);
    const sy = s.ySum[g] as number;
    ytay -= c * sy * sy;
    for (let a = 0; a < p; a++) {
      const sa = s.xSum[g * p + a] as number;
      xtay[a]! -= c * sa * sy;
      for (let b = 0; b < p; b++) xtax[a * p + b]! -= c * sa * (s.xSum[g * p + b] as number);
    }
  }
  const L = cholesky(xtax, p);
  if (!L) throw new ModelError('invalid_spec', "The fixed-effects design is singular (X'V^-1X).");
  const beta = choleskySolve(L, p, xtay);
  let rss = ytay;
  for (let a = 0; a < p; a++) rss -= (beta[a] as number) * (xtay[a] as number);
  let logDetXtAX = 0;
  for (let a = 0; a < p; a++) logDetXtAX += 2 * Math.log(L[a * p + a] as number);
  const dfResidual = reml ? n - p : n;
  const sigma2 = rss / dfResidual;
  const criterion = dfResidual * (1 + Math.log(2 * Math.PI * sigma2)) + logDetV + (reml ? logDetXtAX : 0);
  return { criterion, beta, sigma2, L, logDetXtAX };
}

/** Minimises f on [lo, hi] by golden-section search refined to a relative tolerance. */
function minimiseScalar(f: (x: number) => number, lo: number, hi: number, tol = 1e-10): number {
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let iter = 0; iter < 400 && b - a > tol * (1 + Math.abs(c)); iter++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}

export function fitLinearMixedModel(frame: ModelFrame, options: { reml: boolean }): FitResult {
  const { n, p, terms } = frame;
  const sums = groupSums(frame);
  if (sums.G < 2) throw new ModelError('too_few_clusters', 'A random intercept needs at least two groups.');
  refuseSingletonGroups(frame, sums.G);
  if (n <= p + 1) throw new ModelError('too_few_cases', `${n} cases cannot estimate ${p} coefficients and two variances.`);
  const objective = (theta: number) => profile(sums, n, p, theta, options.reml).criterion;
  // theta = sd(u) / sigma: bracket on [0, 10] (a random-intercept SD ten times the residual SD is far beyond CMDS).
  let theta = minimiseScalar(objective, 0, 10);
  const warnings: string[] = [];
  if (objective(0) <= objective(theta)) {
    theta = 0;
    warnings.push('boundary (singular) fit: the random-intercept variance is estimated as 0.');
  }
  const best = profile(sums, n, p, theta, options.reml);
  const covariance = choleskyInverse(best.L, p).map((v) => v * best.sigma2);
  const critical = normalQuantile(0.975);
  const coef: Record<string, CoefficientRow> = {};
  terms.forEach((term, j) => {
    const estimate = best.beta[j] as number;
    const se = Math.sqrt(covariance[j * p + j] as number);
    const stat = estimate / se;
    coef[term] = { estimate, se, stat, p: normalTwoSidedP(stat), ci_lower: estimate - critical * se, ci_upper: estimate + critical * se };
  });
  // Conditional modes of the intercepts (BLUPs) and their conditional SDs given theta and beta.
  const t2 = theta * theta;
  const modes: number[] = [];
  const conditionalSd: number[] = [];
  for (let g = 0; g < sums.G; g++) {
    const ng = sums.size[g] as number;
    let residualSum = sums.ySum[g] as number;
    for (let a = 0; a < p; a++) residualSum -= (sums.xSum[g * p + a] as number) * (best.beta[a] as number);
    const shrink = t2 / (1 + ng * t2);
    modes.push(shrink * residualSum);
    conditionalSd.push(Math.sqrt(best.sigma2 * shrink));
  }
  const variance = best.sigma2 * t2;
  const loglik = -best.criterion / 2;
  const k = p + 2;
  if (sums.G < 10) warnings.push(`Only ${sums.G} groups: the random-intercept variance is poorly determined.`);
  if (frame.nDroppedMissing > 0) warnings.push(`${frame.nDroppedMissing} rows with missing values were left out (listwise deletion).`);
  return {
    terms,
    coef,
    loglik,
    aic: -2 * loglik + 2 * k,
    bic: -2 * loglik + Math.log(n) * k,
    n,
    converged: true,
    warnings,
    REML: options.reml,
    sigma: Math.sqrt(best.sigma2),
    residual_variance: best.sigma2,
    random_intercept: {
      group: 'group',
      n_groups: sums.G,
      variance,
      sd: Math.sqrt(variance),
      icc: variance / (variance + best.sigma2),
      theta,
      ranef: { level: frame.groupLevels, mode: modes, cond_sd: conditionalSd },
    } as FitResult['random_intercept'],
  };
}

/**
 * With one case per group, the random intercept and the residual are the same term: their variances are not
 * identified (lme4 refuses: "number of levels of each grouping factor must be < number of observations").
 */
export function refuseSingletonGroups(frame: ModelFrame, G: number): void {
  if (G < frame.n) return;
  const name = frame.groupVariable ? `"${frame.groupVariable}"` : 'the grouping variable';
  throw new ModelError(
    'invalid_spec',
    `Every group of ${name} has a single case, so the random-intercept variance cannot be told apart from the residual variance: it is not identified (not merely zero). Use a grouping with several cases per group, or fit a single-level model.`,
  );
}
