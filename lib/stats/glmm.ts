// Random-intercept logit, as glmer(y ~ ... + (1 | g), family = binomial, nAGQ = k): the Laplace approximation (k = 1)
// and adaptive Gauss-Hermite quadrature (k > 1) of the marginal deviance. With one intercept per group, each
// conditional mode is a 1-D Newton problem, and the deviance and its exact gradient in (theta, beta) cost O(n p k).
// Newton steps use an analytic approximation of the beta block of the Hessian (the penalised least-squares part, which
// carries all but O(groups / n) of it) and a finite difference of the exact gradient along theta; vcov is the inverse
// of the full Hessian from differences of the exact gradient, as lme4 derives it from its deviance.
import { normalQuantile, normalTwoSidedP, chiSquareUpperTail } from './distributions';
import { cholesky, choleskyInverse, choleskySolve, weightedCrossProducts } from './linalg';
import { logistic } from './link';
import { fitGlmCore } from './glm';
import { gaussHermiteNormal } from './quadrature';
import { refuseSingletonGroups } from './lmm';
import { ModelError, type CoefficientRow, type FitResult, type ModelFrame } from './types';

interface Groups {
  G: number;
  start: Int32Array;
  rows: Int32Array;
  largest: number;
}

function groupRows(frame: ModelFrame): Groups {
  if (!frame.group) throw new ModelError('invalid_spec', 'A random-intercept model needs a grouping variable.');
  const G = frame.groupLevels.length;
  const counts = new Int32Array(G + 1);
  for (let i = 0; i < frame.n; i++) counts[(frame.group[i] as number) + 1]! += 1;
  let largest = 0;
  for (let g = 0; g < G; g++) largest = Math.max(largest, counts[g + 1] as number);
  for (let g = 0; g < G; g++) counts[g + 1]! += counts[g] as number;
  const rows = new Int32Array(frame.n);
  const next = Int32Array.from(counts.subarray(0, G));
  for (let i = 0; i < frame.n; i++) rows[next[frame.group[i] as number]!++] = i;
  return { G, start: counts, rows, largest };
}


/** The marginal deviance of the random-intercept logit at (theta, beta) by k-point adaptive quadrature (k = 1: Laplace). */
class QuadratureDeviance {
  readonly modes: Float64Array;
  private readonly eta: Float64Array;
  private readonly nodes: { z: Float64Array; w: Float64Array };
  private readonly nodeMu: Float64Array;
  private readonly A: Float64Array;
  private readonly R: Float64Array;
  private readonly pi: Float64Array;
  private readonly groupSum: Float64Array;
  private readonly muAtMode: Float64Array;
  /** Per-row weights 2 m_i and per-group factors and sums for the approximate beta-beta Hessian. */
  private readonly hessianWeights: Float64Array;
  private readonly groupFactor: Float64Array;
  private readonly groupSums: Float64Array;
  /** X and y with the rows of each group contiguous, so that every pass reads memory in order. */
  private readonly X: Float64Array;
  private readonly y: Float64Array;

  constructor(
    private readonly frame: ModelFrame,
    private readonly groups: Groups,
    nAGQ: number,
  ) {
    const { n, p } = frame;
    this.X = new Float64Array(n * p);
    this.y = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const i = groups.rows[k] as number;
      this.X.set(frame.X.subarray(i * p, (i + 1) * p), k * p);
      this.y[k] = frame.y[i] as number;
    }
    this.modes = new Float64Array(groups.G);
    this.eta = new Float64Array(n);
    this.muAtMode = new Float64Array(n);
    this.hessianWeights = new Float64Array(n);
    this.groupFactor = new Float64Array(groups.G);
    this.groupSums = new Float64Array(groups.G * p);
    this.nodes = gaussHermiteNormal(nAGQ);
    this.nodeMu = new Float64Array(groups.largest * nAGQ);
    this.A = new Float64Array(nAGQ);
    this.R = new Float64Array(nAGQ);
    this.pi = new Float64Array(nAGQ);
    this.groupSum = new Float64Array(frame.p);
  }

  /**
   * Deviance at (theta, beta). Fills `gradient` (length p + 1, theta first) when given, and adds the approximate
   * beta-beta Hessian 2 [X'WX - sum_g theta^2 s_g s_g' / h_g] into `betaHessian` (p x p) when given.
   */
  evaluate(theta: number, beta: Float64Array, gradient?: Float64Array, betaHessian?: Float64Array): number {
    const { n, p } = this.frame;
    const { G, start } = this.groups;
    const { z, w } = this.nodes;
    const K = z.length;
    const { X, y, eta, nodeMu, A, R, pi, groupSum, muAtMode, hessianWeights, groupFactor, groupSums } = this;
    for (let i = 0; i < n; i++) {
      let e = 0;
      const offset = i * p;
      for (let j = 0; j < p; j++) e += (X[offset + j] as number) * (beta[j] as number);
      eta[i] = e;
    }
    if (gradient) gradient.fill(0);
    let deviance = 0;
    for (let g = 0; g < G; g++) {
      const from = start[g] as number;
      const to = start[g + 1] as number;
      // Conditional mode of the spherical intercept v: maximise sum log p(y | eta + theta v) - v^2 / 2.
      let v = this.modes[g] as number;
      let S: number;
      let residualSum: number;
      for (let iter = 0; iter < 100; iter++) {
        residualSum = 0;
        S = 0;
        for (let k = from; k < to; k++) {
          const i = k;
          const mu = logistic((eta[i] as number) + theta * v);
          residualSum += (y[i] as number) - mu;
          S += mu * (1 - mu);
        }
        const step = (theta * residualSum - v) / (theta * theta * S + 1);
        v += step;
        if (Math.abs(step) < 1e-13 * (1 + Math.abs(v))) break;
      }
      this.modes[g] = v;
      // Sums at the mode: S = sum mu(1 - mu), S1 = sum of its derivative, the residual sum.
      S = 0;
      let S1 = 0;
      residualSum = 0;
      let logLikAtMode = 0;
      for (let k = from; k < to; k++) {
        const i = k;
        const e = (eta[i] as number) + theta * v;
        const t = Math.exp(-Math.abs(e));
        const mu = e >= 0 ? 1 / (1 + t) : t / (1 + t);
        muAtMode[i] = mu;
        const m = mu * (1 - mu);
        S += m;
        S1 += m * (1 - 2 * mu);
        residualSum += (y[i] as number) - mu;
        logLikAtMode += (y[i] as number) * e - (Math.max(e, 0) + Math.log1p(t));
      }
      const h = 1 + theta * theta * S;
      const sigma = 1 / Math.sqrt(h);
      // Quadrature over u_k = v + sigma z_k: A_k = sum log p(y | eta + theta u_k) - u_k^2 / 2 + z_k^2 / 2.
      let maxA = -Infinity;
      for (let q = 0; q < K; q++) {
        const zq = z[q] as number;
        if (K === 1) {
          A[q] = logLikAtMode - (v * v) / 2;
          R[q] = residualSum;
        } else {
          const u = v + sigma * zq;
          let logLik = 0;
          let residuals = 0;
          for (let k = from; k < to; k++) {
            const i = k;
            const e = (eta[i] as number) + theta * u;
            const t = Math.exp(-Math.abs(e));
            const mu = e >= 0 ? 1 / (1 + t) : t / (1 + t);
            nodeMu[(k - from) * K + q] = mu;
            residuals += (y[i] as number) - mu;
            logLik += (y[i] as number) * e - (Math.max(e, 0) + Math.log1p(t));
          }
          A[q] = logLik - (u * u) / 2 + (zq * zq) / 2;
          R[q] = residuals;
        }
        if ((A[q] as number) > maxA) maxA = A[q] as number;
      }
      let total = 0;
      for (let q = 0; q < K; q++) {
        pi[q] = (w[q] as number) * Math.exp((A[q] as number) - maxA);
        total += pi[q] as number;
      }
      for (let q = 0; q < K; q++) pi[q]! /= total;
      deviance += Math.log(h) - 2 * (maxA + Math.log(total));
      if (!gradient && !betaHessian) continue;

      // Total derivatives: the partials at fixed nodes, plus those through the mode v and the scale sigma.
      let dDdv = 0;
      let dDdsigma = -2 / sigma;
      let thetaPartial = 0;
      for (let q = 0; q < K; q++) {
        const u = v + sigma * (z[q] as number);
        const slope = theta * (R[q] as number) - u;
        dDdv -= 2 * (pi[q] as number) * slope;
        dDdsigma -= 2 * (pi[q] as number) * (z[q] as number) * slope;
        thetaPartial -= 2 * (pi[q] as number) * u * (R[q] as number);
      }
      const dDdh = dDdsigma * (-0.5 * sigma * sigma * sigma);
      const dvdTheta = (residualSum - theta * S * v) / h;
      const dhdTheta = 2 * theta * S + theta * theta * S1 * ((2 * v) / h);
      if (gradient) gradient[0]! += thetaPartial + dDdv * dvdTheta + dDdh * dhdTheta;
      groupSum.fill(0);
      for (let k = from; k < to; k++) {
        const i = k;
        const mu = muAtMode[i] as number;
        const m = mu * (1 - mu);
        let weightedResidual: number;
        if (K === 1) weightedResidual = (y[i] as number) - mu;
        else {
          weightedResidual = 0;
          for (let q = 0; q < K; q++) weightedResidual += (pi[q] as number) * ((y[i] as number) - (nodeMu[(k - from) * K + q] as number));
        }
        const c = -2 * weightedResidual + dDdv * ((-theta * m) / h) + dDdh * theta * theta * (m * (1 - 2 * mu) - ((theta * theta) / h) * S1 * m);
        const offset = i * p;
        if (gradient) for (let j = 0; j < p; j++) gradient[1 + j]! += c * (X[offset + j] as number);
        if (betaHessian) {
          hessianWeights[i] = 2 * m;
          for (let j = 0; j < p; j++) groupSum[j]! += m * (X[offset + j] as number);
        }
      }
      if (betaHessian) {
        groupFactor[g] = (2 * theta * theta) / h;
        groupSums.set(groupSum, g * p);
      }
    }
    if (betaHessian) {
      // 2 X'diag(m)X in one pass of the cross-product kernel, minus each group's rank-one term.
      weightedCrossProducts(X, n, p, hessianWeights, null, betaHessian, null);
      for (let g = 0; g < G; g++) {
        const factor = groupFactor[g] as number;
        const base = g * p;
        for (let j = 0; j < p; j++) {
          const sj = factor * (groupSums[base + j] as number);
          const row = j * p;
          for (let l = 0; l < p; l++) betaHessian[row + l]! -= sj * (groupSums[base + l] as number);
        }
      }
    }
    return deviance;
  }
}

export function fitRandomInterceptLogit(frame: ModelFrame, options: { nAGQ: number; maxIter?: number }): FitResult {
  if (frame.weights) throw new ModelError('invalid_spec', 'Weights are not supported in random-intercept models.');
  const { p, n, terms } = frame;
  const m = p + 1;
  const groups = groupRows(frame);
  if (groups.G < 2) throw new ModelError('too_few_clusters', 'A random intercept needs at least two groups.');
  refuseSingletonGroups(frame, groups.G);
  const single = fitGlmCore(frame, 'binomial', { tol: 1e-10 });
  const objective = new QuadratureDeviance(frame, groups, options.nAGQ);
  const evaluate = (x: Float64Array, gradient?: Float64Array, betaHessian?: Float64Array) =>
    objective.evaluate(Math.abs(x[0] as number), x.subarray(1), gradient, betaHessian);

  // Hessian for the Newton steps: the analytic beta block, and the theta row from a difference of the exact gradient.
  const betaHessian = new Float64Array(p * p);
  const shifted = new Float64Array(m);
  const newtonHessian = (x: Float64Array, gradient: Float64Array): Float64Array => {
    const H = new Float64Array(m * m);
    for (let j = 0; j < p; j++) for (let l = 0; l < p; l++) H[(1 + j) * m + 1 + l] = betaHessian[j * p + l] as number;
    const h = 1e-6 * Math.max(1, Math.abs(x[0] as number));
    const xp = Float64Array.from(x);
    xp[0]! += h;
    const modes = Float64Array.from(objective.modes);
    evaluate(xp, shifted);
    objective.modes.set(modes);
    for (let k = 0; k < m; k++) H[k] = H[k * m] = ((shifted[k] as number) - (gradient[k] as number)) / h;
    return H;
  };
  // Full Hessian by forward differences of the exact gradient (for vcov, as lme4's deriv12 of the deviance); with an
  // exact gradient, the truncation error is of the order of the step, far inside the SE tolerance.
  const fullHessian = (x: Float64Array, gradientAtX: Float64Array): Float64Array => {
    const H = new Float64Array(m * m);
    const plus = new Float64Array(m);
    const modes = Float64Array.from(objective.modes);
    for (let j = 0; j < m; j++) {
      const h = 1e-6 * Math.max(1, Math.abs(x[j] as number));
      const xp = Float64Array.from(x);
      xp[j]! += h;
      evaluate(xp, plus);
      objective.modes.set(modes);
      for (let k = 0; k < m; k++) H[j * m + k] = ((plus[k] as number) - (gradientAtX[k] as number)) / h;
    }
    for (let j = 0; j < m; j++) for (let k = 0; k < j; k++) H[j * m + k] = H[k * m + j] = ((H[j * m + k] as number) + (H[k * m + j] as number)) / 2;
    return H;
  };

  // Start from the single-level fit and the best of a few intercept SDs (the deviance need not be convex in theta far
  // from its minimum, and with few groups a poor start wastes many damped steps).
  const params = new Float64Array(m);
  params.set(single.beta, 1);
  let bestStart = Infinity;
  let thetaStart = 0.5;
  for (const candidate of [0.1, 0.25, 0.5, 1, 2]) {
    params[0] = candidate;
    const value = evaluate(params);
    if (value < bestStart) {
      bestStart = value;
      thetaStart = candidate;
    }
  }
  params[0] = thetaStart;
  const gradient = new Float64Array(m);
  let deviance = evaluate(params, gradient, betaHessian);
  let converged = false;
  let iterations = 0;
  const maxIter = options.maxIter ?? 100;
  for (; iterations < maxIter; iterations++) {
    const H = newtonHessian(params, gradient);
    let L = cholesky(H, m);
    // Away from a positive-definite Hessian, damp it (Levenberg): H + mu I with mu raised until it factorises.
    const exact = L !== null;
    let largest = 0;
    for (let j = 0; j < m; j++) largest = Math.max(largest, Math.abs(H[j * m + j] as number));
    for (let mu = 1e-6 * largest; !L && mu < 1e6 * largest; mu *= 10) {
      const damped = Float64Array.from(H);
      for (let j = 0; j < m; j++) damped[j * m + j]! += mu;
      L = cholesky(damped, m);
    }
    const step = L ? choleskySolve(L, m, gradient) : Float64Array.from(gradient, (g) => g * 1e-4);
    const decrement = step.reduce((s, d, j) => s + d * (gradient[j] as number), 0);
    let scale = 1;
    let candidate = params;
    let candidateDeviance = Infinity;
    for (let half = 0; half < 40; half++) {
      candidate = Float64Array.from(params, (x, j) => x - scale * (step[j] as number));
      candidateDeviance = evaluate(candidate);
      if (candidateDeviance <= deviance + 1e-10 * Math.abs(deviance)) break;
      scale /= 2;
    }
    const change = deviance - candidateDeviance;
    params.set(candidate);
    params[0] = Math.abs(params[0]);
    // The beta block changes little once near the optimum: refresh it on the first steps only.
    deviance = evaluate(params, gradient, iterations < 2 ? betaHessian : undefined);
    if (exact && Math.abs(change) < 1e-9 && Math.abs(decrement) < 1e-9) {
      converged = true;
      break;
    }
  }
  if (!converged) throw new ModelError('not_converged', `The random-intercept logit (nAGQ = ${options.nAGQ}) did not converge in ${maxIter} Newton steps.`);
  const theta = params[0];
  deviance = evaluate(params, gradient);
  const H = fullHessian(params, gradient);
  let L = cholesky(H, m);
  // At a zero variance (theta on its boundary) the theta row is degenerate: report beta's SEs conditional on theta.
  if (!L && theta < 1e-4) {
    const hessianForVcov = new Float64Array(m * m);
    for (let j = 1; j < m; j++) for (let k = 1; k < m; k++) hessianForVcov[j * m + k] = H[j * m + k] as number;
    hessianForVcov[0] = 1;
    L = cholesky(hessianForVcov, m);
  }
  if (!L) throw new ModelError('not_converged', 'The Hessian of the deviance is not positive definite at the estimate.');
  // vcov of (theta, beta) = (H / 2)^-1, as lme4 derives it from the deviance's Hessian.
  const inverse = choleskyInverse(L, m).map((value) => 2 * value);
  const critical = normalQuantile(0.975);
  const coef: Record<string, CoefficientRow> = {};
  const vcov: number[][] = [];
  terms.forEach((term, j) => {
    const estimate = params[1 + j] as number;
    const se = Math.sqrt(inverse[(1 + j) * m + (1 + j)] as number);
    const stat = estimate / se;
    coef[term] = { estimate, se, stat, p: normalTwoSidedP(stat), ci_lower: estimate - critical * se, ci_upper: estimate + critical * se };
    vcov.push(terms.map((_, k) => inverse[(1 + j) * m + (1 + k)] as number));
  });
  const variance = theta * theta;
  const loglik = -deviance / 2;
  const k = p + 1;
  const lrStatistic = Math.max(0, 2 * (loglik - single.loglik));
  const warnings: string[] = [];
  if (theta < 1e-4) warnings.push('boundary (singular) fit: the random-intercept variance is estimated as 0.');
  if (groups.G < 10) warnings.push(`Only ${groups.G} groups: the random-intercept variance is poorly determined.`);
  return {
    terms,
    coef,
    vcov,
    loglik,
    aic: deviance + 2 * k,
    bic: deviance + Math.log(n) * k,
    n,
    converged,
    iterations,
    nAGQ: options.nAGQ,
    warnings,
    random_intercept: { group: 'group', n_groups: groups.G, variance, sd: theta, icc: variance / (variance + Math.PI ** 2 / 3) },
    conditional_modes: Array.from(objective.modes, (v) => v * theta),
    // Against the single-level logit; the null value is on the boundary, so p uses the 50:50 chi-square mixture.
    lr_test: { statistic: lrStatistic, df: 1, p: 0.5 * chiSquareUpperTail(lrStatistic, 1), single_level_loglik: single.loglik },
  };
}
