// Average marginal effects with delta-method SEs, as Stata's `margins, dydx(*)` and R's margins::margins() report them:
// for a numeric variable the mean derivative of the predicted probability (or mean) with respect to it, through every
// term it enters (interactions included); for a factor, the mean discrete change from the reference level to each
// level. The derivatives are exact (the linear predictor is linear in each term), so no step size is involved.
// For a random-intercept logit the probability is either conditional on u = 0 or averaged over u ~ N(0, sd^2)
// (the population-averaged probability, by Gauss-Hermite quadrature).
import { normalQuantile, normalTwoSidedP, studentTQuantile, studentTTwoSidedP } from './distributions';
import { gaussHermiteNormal } from './quadrature';
import { logistic } from './link';
import type { CoefficientRow, DataTable, Family, ModelFrame } from './types';

export interface MarginalEffect extends CoefficientRow {
  variable: string;
  /** For a factor: the level compared with the reference; null for a numeric variable. */
  level: string | null;
  kind: 'derivative' | 'discrete_change';
}

/** Value of one variable at a row of the frame: a number for a numeric variable, a label for a factor. */
function variableReader(table: DataTable, frame: ModelFrame, variable: string): (i: number) => number | string | null {
  const column = table.columns.get(variable);
  if (!column) throw new Error(`Unknown variable ${variable}`);
  const isFactor = frame.factorLevels?.[variable] !== undefined;
  return (i) => {
    const row = frame.rowsUsed[i] as number;
    const value = column[row];
    if (isFactor) return value === null || value === undefined ? null : String(value);
    return value as number;
  };
}

/**
 * Average marginal effects for every predictor of a logit or linear fit. `beta` and `vcov` (p x p, row-major) are the
 * fit's; weights, when the frame has them, weight the average as Stata's margins does with pweights.
 */
export function averageMarginalEffects(
  table: DataTable,
  frame: ModelFrame,
  family: Family,
  beta: Float64Array,
  vcov: Float64Array,
  /** `randomInterceptSd`: average the logit's probability over a random intercept u ~ N(0, sd^2) (nodes: 40). */
  options: { df?: number; randomInterceptSd?: number; nodes?: number } = {},
): MarginalEffect[] {
  const { n, p, X } = frame;
  const termParts = frame.termParts;
  if (!termParts) throw new Error('The model frame carries no term structure.');
  const variables = [...new Set(termParts.flat().map((part) => part.variable))];
  const readers = new Map(variables.map((v) => [v, variableReader(table, frame, v)]));
  const weights = frame.weights;
  let totalWeight = 0;
  for (let i = 0; i < n; i++) totalWeight += weights ? (weights[i] as number) : 1;

  const eta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let e = 0;
    for (let j = 0; j < p; j++) e += (X[i * p + j] as number) * (beta[j] as number);
    eta[i] = e;
  }
  // The response as a function of the linear predictor, and its first two derivatives: identity, logistic, or the
  // logistic averaged over the random intercept's normal distribution.
  const sd = family === 'binomial' ? (options.randomInterceptSd ?? 0) : 0;
  const rule = sd > 0 ? gaussHermiteNormal(options.nodes ?? 40) : { z: new Float64Array([0]), w: new Float64Array([1]) };
  const moments = (e: number, order: 0 | 1 | 2): number => {
    let total = 0;
    for (let k = 0; k < rule.z.length; k++) {
      const mu = logistic(e + sd * (rule.z[k] as number));
      total += (rule.w[k] as number) * (order === 0 ? mu : order === 1 ? mu * (1 - mu) : mu * (1 - mu) * (1 - 2 * mu));
    }
    return total;
  };
  const mean = (e: number) => (family === 'binomial' ? moments(e, 0) : e);
  const slope = (e: number) => (family === 'binomial' ? moments(e, 1) : 1);
  const curvature = (e: number) => (family === 'binomial' ? moments(e, 2) : 0);
  // Per-row slope and curvature at the fitted linear predictor, shared by every numeric variable.
  const slopeAt = Float64Array.from(eta, slope);
  const curvatureAt = Float64Array.from(eta, curvature);

  /** A term's value at row i, with `variable` either differentiated (level undefined) or set to a factor level. */
  const termValue = (j: number, i: number, variable: string, setLevel: string | undefined): number => {
    let value = 1;
    let involves = false;
    for (const part of termParts[j] as { variable: string; level: string | null }[]) {
      if (part.variable === variable) {
        involves = true;
        if (setLevel === undefined) continue; // d/dv of a term linear in v
        value *= part.level === setLevel ? 1 : 0;
      } else {
        const raw = (readers.get(part.variable) as (i: number) => number | string | null)(i);
        value *= part.level === null ? (raw as number) : raw === part.level ? 1 : 0;
      }
    }
    if (setLevel === undefined && !involves) return 0;
    return value;
  };

  const results: MarginalEffect[] = [];
  const critical = options.df !== undefined && Number.isFinite(options.df) ? studentTQuantile(0.975, options.df) : normalQuantile(0.975);
  const finish = (variable: string, level: string | null, kind: MarginalEffect['kind'], estimate: number, gradient: Float64Array) => {
    let variance = 0;
    for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) variance += (gradient[j] as number) * (vcov[j * p + k] as number) * (gradient[k] as number);
    const se = Math.sqrt(Math.max(variance, 0));
    const stat = estimate / se;
    const pValue = options.df !== undefined && Number.isFinite(options.df) ? studentTTwoSidedP(stat, options.df) : normalTwoSidedP(stat);
    results.push({ variable, level, kind, estimate, se, stat, p: pValue, ci_lower: estimate - critical * se, ci_upper: estimate + critical * se });
  };

  const involved = (variable: string) => termParts.map((parts, j) => (parts.some((part) => part.variable === variable) ? j : -1)).filter((j) => j >= 0);
  for (const variable of variables) {
    const terms = involved(variable);
    const levels = frame.factorLevels?.[variable];
    if (!levels) {
      // d mu / d v = g'(eta) * sum_j beta_j dX_j/dv; its gradient in beta: g''(eta) x (d eta/dv) + g'(eta) dX/dv.
      let estimate = 0;
      const gradient = new Float64Array(p);
      const dX = new Float64Array(p);
      for (let i = 0; i < n; i++) {
        const w = (weights ? (weights[i] as number) : 1) / totalWeight;
        let detaDv = 0;
        for (const j of terms) {
          dX[j] = termValue(j, i, variable, undefined);
          detaDv += (beta[j] as number) * dX[j];
        }
        const s = slopeAt[i] as number;
        estimate += w * s * detaDv;
        const c = (curvatureAt[i] as number) * detaDv;
        if (c !== 0) for (let j = 0; j < p; j++) gradient[j]! += w * c * (X[i * p + j] as number);
        for (const j of terms) gradient[j]! += w * s * (dX[j] as number);
      }
      finish(variable, null, 'derivative', estimate, gradient);
      continue;
    }
    const reference = frame.factorReference?.[variable] as string;
    for (const level of levels) {
      // Mean of mu(x with v = level) - mu(x with v = reference), and its gradient in beta.
      let estimate = 0;
      const gradient = new Float64Array(p);
      const rowAt = new Float64Array(p);
      const rowRef = new Float64Array(p);
      for (let i = 0; i < n; i++) {
        const w = (weights ? (weights[i] as number) : 1) / totalWeight;
        let etaAt = eta[i] as number;
        let etaRef = eta[i] as number;
        for (let j = 0; j < p; j++) {
          rowAt[j] = X[i * p + j] as number;
          rowRef[j] = X[i * p + j] as number;
        }
        for (const j of terms) {
          rowAt[j] = termValue(j, i, variable, level);
          rowRef[j] = termValue(j, i, variable, reference);
          etaAt += (beta[j] as number) * (rowAt[j] - (X[i * p + j] as number));
          etaRef += (beta[j] as number) * (rowRef[j] - (X[i * p + j] as number));
        }
        estimate += w * (mean(etaAt) - mean(etaRef));
        const sAt = slope(etaAt);
        const sRef = slope(etaRef);
        for (let j = 0; j < p; j++) gradient[j]! += w * (sAt * (rowAt[j] as number) - sRef * (rowRef[j] as number));
      }
      finish(variable, level, 'discrete_change', estimate, gradient);
    }
  }
  return results;
}
