// Random-intercept logit (glmer(family = binomial, nAGQ = 1)) by the Laplace approximation. With one intercept per
// group, each conditional mode is a 1-D Newton problem, and the deviance and its exact gradient in (theta, beta) cost
// O(n p); Newton steps on (theta, beta) use a Hessian from differences of that gradient, which also gives vcov.
import { normalQuantile, normalTwoSidedP, chiSquareUpperTail } from './distributions';
import { cholesky, choleskyInverse, choleskySolve } from './linalg';
import { fitGlmCore } from './glm';
import { ModelError, type CoefficientRow, type FitResult, type ModelFrame } from './types';

const softplus = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));

interface Groups {
  G: number;
  start: Int32Array;
  rows: Int32Array;
}

function groupRows(frame: ModelFrame): Groups {
  if (!frame.group) throw new ModelError('invalid_spec', 'A random-intercept model needs a grouping variable.');
  const G = frame.groupLevels.length;
  const counts = new Int32Array(G + 1);
  for (let i = 0; i < frame.n; i++) counts[(frame.group[i] as number) + 1]! += 1;
  for (let g = 0; g < G; g++) counts[g + 1]! += counts[g] as number;
  const rows = new Int32Array(frame.n);
  const next = Int32Array.from(counts.subarray(0, G));
  for (let i = 0; i < frame.n; i++) rows[next[frame.group[i] as number]!++] = i;
  return { G, start: counts, rows };
}

class LaplaceDeviance {
  readonly modes: Float64Array;
  private readonly eta: Float64Array;
  constructor(
    private readonly frame: ModelFrame,
    private readonly groups: Groups,
  ) {
    this.modes = new Float64Array(groups.G);
    this.eta = new Float64Array(frame.n);
  }

  /** Deviance at (theta, beta); fills `gradient` (length p + 1, theta first) when given. */
  evaluate(theta: number, beta: Float64Array, gradient?: Float64Array): number {
    const { n, p, X, y } = this.frame;
    const { G, start, rows } = this.groups;
    for (let i = 0; i < n; i++) {
      let e = 0;
      const offset = i * p;
      for (let j = 0; j < p; j++) e += (X[offset + j] as number) * (beta[j] as number);
      this.eta[i] = e;
    }
    if (gradient) gradient.fill(0);
    let deviance = 0;
    const sumVarX = new Float64Array(p);
    for (let g = 0; g < G; g++) {
      const from = start[g] as number;
      const to = start[g + 1] as number;
      // Conditional mode of the spherical intercept v: maximise sum log p(y | eta + theta v) - v^2 / 2.
      let v = this.modes[g] as number;
      let s = 0;
      for (let iter = 0; iter < 100; iter++) {
        let score = -v;
        s = 0;
        for (let k = from; k < to; k++) {
          const i = rows[k] as number;
          const mu = 1 / (1 + Math.exp(-((this.eta[i] as number) + theta * v)));
          score += theta * ((y[i] as number) - mu);
          s += mu * (1 - mu);
        }
        const step = score / (theta * theta * s + 1);
        v += step;
        if (Math.abs(step) < 1e-12 * (1 + Math.abs(v))) break;
      }
      this.modes[g] = v;
      // Deviance pieces and, for the gradient, sums at the mode.
      let logLik = 0;
      let residualSum = 0;
      s = 0;
          sumVarX.fill(0);
      const derivative: number[] = [];
      for (let k = from; k < to; k++) {
        const i = rows[k] as number;
        const e = (this.eta[i] as number) + theta * v;
        const yi = y[i] as number;
        logLik -= yi === 1 ? softplus(-e) : softplus(e);
        const mu = 1 / (1 + Math.exp(-e));
        const variance = mu * (1 - mu);
        residualSum += yi - mu;
        s += variance;
        if (gradient) derivative.push(variance * (1 - 2 * mu));
      }
      const curvature = 1 + theta * theta * s;
      deviance += -2 * logLik + v * v + Math.log(curvature);
      if (!gradient) continue;
      // d v / d beta = -theta sum var_i x_i / curvature; d v / d theta = (sum (y - mu) - theta s v) / curvature.
      for (let k = from; k < to; k++) {
        const i = rows[k] as number;
        const mu = 1 / (1 + Math.exp(-((this.eta[i] as number) + theta * v)));
        const variance = mu * (1 - mu);
        const offset = i * p;
        for (let j = 0; j < p; j++) sumVarX[j]! += variance * (X[offset + j] as number);
      }
      const dvdTheta = (residualSum - theta * s * v) / curvature;
      const detaDtheta = v + theta * dvdTheta;
      let sumVarPrimeTheta = 0;
      const sumVarPrimeX = new Float64Array(p);
      derivative.forEach((varPrime, index) => {
        const i = rows[from + index] as number;
        sumVarPrimeTheta += varPrime * detaDtheta;
        const offset = i * p;
        for (let j = 0; j < p; j++) sumVarPrimeX[j]! += varPrime * (X[offset + j] as number);
      });
      // d/dtheta: -2 sum (y - mu) v (envelope) + [2 theta s + theta^2 sum var' d eta/d theta] / curvature.
      gradient[0]! += -2 * residualSum * v + (2 * theta * s + theta * theta * sumVarPrimeTheta) / curvature;
      // d/dbeta_j: -2 sum (y - mu) x_j (envelope) + theta^2 [sum var' (x_j + theta dv/dbeta_j)] / curvature.
      const sumVarPrime = derivative.reduce((total, varPrime) => total + varPrime, 0);
      for (let j = 0; j < p; j++) {
        const dvdBeta = (-theta * (sumVarX[j] as number)) / curvature;
        gradient[1 + j]! += (theta * theta * ((sumVarPrimeX[j] as number) + theta * dvdBeta * sumVarPrime)) / curvature;
      }
      for (let k = from; k < to; k++) {
        const i = rows[k] as number;
        const mu = 1 / (1 + Math.exp(-((this.eta[i] as number) + theta * v)));
        const offset = i * p;
        const r = -2 * ((y[i] as number) - mu);
        for (let j = 0; j < p; j++) gradient[1 + j]! += r * (X[offset + j] as number);
      }
    }
    return deviance;
  }
}

export function fitRandomInterceptLogit(frame: ModelFrame, options: { nAGQ: number; maxIter?: number }): FitResult {
  if (options.nAGQ !== 1) throw new ModelError('invalid_spec', 'Only the Laplace approximation (nAGQ = 1) is available in this version of the engine.');
  if (frame.weights) throw new ModelError('invalid_spec', 'Weights are not supported in random-intercept models.');
  const { p, n, terms } = frame;
  const groups = groupRows(frame);
  if (groups.G < 2) throw new ModelError('too_few_clusters', 'A random intercept needs at least two groups.');
  const single = fitGlmCore(frame, 'binomial', { tol: 1e-10 });
  const objective = new LaplaceDeviance(frame, groups);
  const params = new Float64Array(p + 1);
  params[0] = 0.5;
  params.set(single.beta, 1);
  const gradient = new Float64Array(p + 1);
  const evaluate = (x: Float64Array, grad?: Float64Array) => objective.evaluate(Math.abs(x[0] as number), x.subarray(1), grad);
  const hessianAt = (x: Float64Array): Float64Array => {
    const m = p + 1;
    const H = new Float64Array(m * m);
    const plus = new Float64Array(m);
    const minus = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      const h = 1e-5 * Math.max(1, Math.abs(x[j] as number));
      const xp = Float64Array.from(x);
      const xm = Float64Array.from(x);
      xp[j]! += h;
      xm[j]! -= h;
      evaluate(xp, plus);
      evaluate(xm, minus);
      for (let k = 0; k < m; k++) H[j * m + k] = ((plus[k] as number) - (minus[k] as number)) / (2 * h);
    }
    for (let j = 0; j < m; j++) for (let k = 0; k < j; k++) H[j * m + k] = H[k * m + j] = ((H[j * m + k] as number) + (H[k * m + j] as number)) / 2;
    return H;
  };
  let deviance = evaluate(params, gradient);
  let converged = false;
  const maxIter = options.maxIter ?? 50;
  for (let iter = 0; iter < maxIter; iter++) {
    const H = hessianAt(params);
    const L = cholesky(H, p + 1);
    // Away from a positive-definite Hessian, fall back to a scaled gradient step.
    const step = L ? choleskySolve(L, p + 1, gradient) : Float64Array.from(gradient, (g) => g * 1e-3);
    let scale = 1;
    let candidate = params;
    let candidateDeviance = Infinity;
    for (let half = 0; half < 30; half++) {
      candidate = Float64Array.from(params, (x, j) => x - scale * (step[j] as number));
      candidateDeviance = evaluate(candidate);
      if (candidateDeviance <= deviance + 1e-12) break;
      scale /= 2;
    }
    const change = deviance - candidateDeviance;
    params.set(candidate);
    deviance = evaluate(params, gradient);
    const gradientNorm = Math.sqrt(gradient.reduce((s, g) => s + g * g, 0));
    if (Math.abs(change) < 1e-10 && gradientNorm < 1e-4) {
      converged = true;
      break;
    }
  }
  if (!converged) throw new ModelError('not_converged', 'The random-intercept logit did not converge.');
  params[0] = Math.abs(params[0] as number);
  const theta = params[0] as number;
  const H = hessianAt(params);
  const L = cholesky(H, p + 1);
  if (!L) throw new ModelError('not_converged', 'The Hessian of the deviance is not positive definite at the estimate.');
  // vcov of (theta, beta) = (H / 2)^-1, as lme4 derives it from the deviance's Hessian.
  const inverse = choleskyInverse(L, p + 1).map((v) => 2 * v);
  const critical = normalQuantile(0.975);
  const coef: Record<string, CoefficientRow> = {};
  terms.forEach((term, j) => {
    const estimate = params[1 + j] as number;
    const se = Math.sqrt(inverse[(1 + j) * (p + 1) + (1 + j)] as number);
    const stat = estimate / se;
    coef[term] = { estimate, se, stat, p: normalTwoSidedP(stat), ci_lower: estimate - critical * se, ci_upper: estimate + critical * se };
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
    loglik,
    aic: deviance + 2 * k,
    bic: deviance + Math.log(n) * k,
    n,
    converged,
    warnings,
    random_intercept: { group: 'group', n_groups: groups.G, variance, sd: theta, icc: variance / (variance + Math.PI ** 2 / 3) },
    conditional_modes: Array.from(objective.modes, (v) => v * theta),
    // Against the single-level logit; the null value is on the boundary, so p uses the 50:50 chi-square mixture.
    lr_test: { statistic: lrStatistic, df: 1, p: 0.5 * chiSquareUpperTail(lrStatistic, 1), single_level_loglik: single.loglik },
  };
}
