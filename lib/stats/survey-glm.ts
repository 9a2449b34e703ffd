// svyglm(family = quasibinomial()): the weighted logit of a survey design with the design-based sandwich variance, as
// R's survey package fits it.
import { studentTQuantile, studentTTwoSidedP } from './distributions';
import { labelColumn, numericColumn } from './columns';
import { cholesky, choleskyInverse } from './linalg';
import { logistic } from './link';
import { buildModelFrame, subsetRows } from './model-frame';
import { combineStrata, type SurveyDesign } from './survey';
import { ModelError, type DataTable } from './types';

export interface SurveyGlmSpec {
  name: string;
  outcome: string;
  predictors: string[];
  interactions?: string[][];
  family: 'binomial';
  /** A domain, as svyglm(..., design = subset(design, var == equals)): rows outside it stay in the design. */
  subset?: { var: string; equals: string | number };
}

/** Rows a svyglm uses: in the domain (if any), with the outcome and every predictor present. */
function usedRows(table: DataTable, spec: SurveyGlmSpec): Uint8Array {
  const used = new Uint8Array(table.nrow).fill(1);
  for (const name of [spec.outcome, ...spec.predictors, ...(spec.interactions ?? []).flat()]) {
    const column = table.columns.get(name);
    if (!column) throw new ModelError('unknown_variable', `Unknown variable "${name}".`);
    for (let i = 0; i < table.nrow; i++) {
      const v = column[i];
      if (v === null || (typeof v === 'number' && Number.isNaN(v))) used[i] = 0;
    }
  }
  if (spec.subset) {
    const labels = labelColumn(table, spec.subset.var);
    const wanted = String(spec.subset.equals);
    for (let i = 0; i < table.nrow; i++) if (labels[i] !== wanted) used[i] = 0;
  }
  return used;
}

function invertInformation(information: Float64Array, p: number): Float64Array {
  const L = cholesky(information, p);
  if (!L) throw new ModelError('invalid_spec', 'Singular information matrix (collinear predictors).');
  return choleskyInverse(L, p);
}

/**
 * svyglm(y ~ ..., design, family = quasibinomial()): coefficients of the weighted logit; vcov = A⁻¹ B A⁻¹ with B
 * the design-based variance of the PSU totals of the score (strata with one PSU as design.lonelyPsu); t tests and CIs
 * with df = degf + 1 − p, degf counting the PSUs and strata of the rows used, as summary.svyglm and confint. Rows with
 * a missing value or outside the spec's `subset` domain get weight zero and stay in the design, as R's na.omit and
 * subset() on a survey design do.
 */
export function fitSurveyLogit(design: SurveyDesign, table: DataTable, spec: SurveyGlmSpec) {
  const used = usedRows(table, spec);
  // The design matrix of the rows used, built as for every other model (R's model.matrix: intercept, numeric
  // predictors, dummies of string factors against the first level in byte order, interactions; factor levels those of
  // the rows used). frameRow maps a table row to its row of X.
  const rowsUsed: number[] = [];
  for (let i = 0; i < table.nrow; i++) if (used[i]) rowsUsed.push(i);
  const frame = buildModelFrame(subsetRows(table, rowsUsed), {
    family: 'binomial',
    outcome: spec.outcome,
    predictors: spec.predictors,
    ...(spec.interactions ? { interactions: spec.interactions } : {}),
  });
  if (frame.aliased.length > 0) throw new ModelError('invalid_spec', 'Singular information matrix (collinear predictors).');
  const { terms, X, p } = frame;
  const frameRow = new Int32Array(table.nrow).fill(-1);
  rowsUsed.forEach((row, k) => (frameRow[row] = k));
  const n = table.nrow;
  const y = numericColumn(table, spec.outcome);
  let nUsed = 0;
  for (let i = 0; i < n; i++) nUsed += used[i] as number;
  if (nUsed <= p) throw new ModelError('too_few_cases', `svyglm ${spec.name}: too few complete cases${spec.subset ? ' in the domain' : ''} for ${p} coefficients.`);
  const constant = new Set<number>();
  for (let i = 0; i < n && constant.size < 2; i++) if (used[i]) constant.add(y[i] as number);
  if (constant.size < 2) throw new ModelError('constant_outcome', `svyglm ${spec.name}: the outcome "${spec.outcome}" takes only one value${spec.subset ? ' in the domain' : ''}.`);
  const x = (i: number, j: number) => X[(frameRow[i] as number) * p + j] as number;
  const beta = new Float64Array(p);
  let information = new Float64Array(p * p);
  let converged = false;
  let deviance = Infinity;
  for (let iteration = 0; iteration < 100; iteration++) {
    information = new Float64Array(p * p);
    const rhs = new Float64Array(p);
    let newDeviance = 0;
    for (let i = 0; i < n; i++) {
      if (!used[i]) continue;
      let eta = 0;
      for (let j = 0; j < p; j++) eta += x(i, j) * (beta[j] as number);
      const mu = logistic(eta);
      const w = design.weights[i] as number;
      const yi = y[i] as number;
      const v = w * mu * (1 - mu);
      const z = eta + (yi - mu) / (mu * (1 - mu));
      newDeviance -= 2 * w * (yi * Math.log(Math.max(mu, 1e-300)) + (1 - yi) * Math.log(Math.max(1 - mu, 1e-300)));
      for (let j = 0; j < p; j++) {
        const xj = x(i, j);
        rhs[j] = (rhs[j] as number) + v * xj * z;
        for (let k = 0; k <= j; k++) information[j * p + k] = (information[j * p + k] as number) + v * xj * x(i, k);
      }
    }
    for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) information[k * p + j] = information[j * p + k] as number;
    if (Math.abs(newDeviance - deviance) / (Math.abs(newDeviance) + 0.1) < 1e-14) {
      converged = true;
      break;
    }
    deviance = newDeviance;
    const inverse = invertInformation(information, p);
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = 0; k < p; k++) s += (inverse[j * p + k] as number) * (rhs[k] as number);
      beta[j] = s;
    }
  }
  // Information at the final coefficients (the loop recomputed it before checking convergence).
  const bread = invertInformation(information, p);
  // Per-PSU totals of the influence A⁻¹ xᵢ wᵢ (yᵢ − μᵢ).
  const { nPsu, nStrata, psuStratum, psusPerStratum } = design;
  const totals = new Float64Array(nPsu * p);
  for (let i = 0; i < n; i++) {
    if (!used[i]) continue;
    let eta = 0;
    for (let j = 0; j < p; j++) eta += x(i, j) * (beta[j] as number);
    const residual = (design.weights[i] as number) * ((y[i] as number) - logistic(eta));
    const base = (design.psu[i] as number) * p;
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = 0; k < p; k++) s += (bread[j * p + k] as number) * x(i, k);
      totals[base + j] = (totals[base + j] as number) + s * residual;
    }
  }
  const stratumMean = new Float64Array(nStrata * p);
  for (let c = 0; c < nPsu; c++) {
    const h = psuStratum[c] as number;
    for (let j = 0; j < p; j++) {
      stratumMean[h * p + j] = (stratumMean[h * p + j] as number) + (totals[c * p + j] as number) / (psusPerStratum[h] as number);
    }
  }
  // Per stratum, the centred cross-products of the PSU totals (survey's onestrat); lonely strata by design.lonelyPsu.
  const vcov = new Float64Array(p * p);
  const contributions = new Float64Array(nStrata * p * p);
  for (let c = 0; c < nPsu; c++) {
    const h = psuStratum[c] as number;
    const nh = psusPerStratum[h] as number;
    const centre = nh > 1 ? stratumMean.subarray(h * p, (h + 1) * p) : null;
    const factor = nh > 1 ? nh / (nh - 1) : 1;
    for (let j = 0; j < p; j++) {
      const dj = (totals[c * p + j] as number) - (centre ? (centre[j] as number) : 0);
      for (let k = 0; k < p; k++) {
        const slot = h * p * p + j * p + k;
        contributions[slot] = (contributions[slot] as number) + factor * dj * ((totals[c * p + k] as number) - (centre ? (centre[k] as number) : 0));
      }
    }
  }
  for (let j = 0; j < p * p; j++) vcov[j] = combineStrata(design, (h) => contributions[h * p * p + j] as number);
  // Degrees of freedom as degf() of the design restricted to the rows used (PSUs and strata with such rows).
  const psuSeen = new Uint8Array(nPsu);
  const stratumSeen = new Uint8Array(nStrata);
  for (let i = 0; i < n; i++) {
    if (!used[i] || (design.weights[i] as number) === 0) continue;
    psuSeen[design.psu[i] as number] = 1;
    stratumSeen[design.stratum[i] as number] = 1;
  }
  const designDf = psuSeen.reduce((a, b) => a + b, 0) - stratumSeen.reduce((a, b) => a + b, 0);
  const df = designDf + 1 - p;
  const q = studentTQuantile(0.975, df);
  const coef: Record<string, { estimate: number; se: number; stat: number; p: number; ci_lower: number; ci_upper: number }> = {};
  terms.forEach((term, j) => {
    const estimate = beta[j] as number;
    const se = Math.sqrt(vcov[j * p + j] as number);
    const stat = estimate / se;
    coef[term] = { estimate, se, stat, p: studentTTwoSidedP(stat, df), ci_lower: estimate - q * se, ci_upper: estimate + q * se };
  });
  return { name: spec.name, terms, coef, df_residual: df, converged, n: nUsed, ...(spec.subset ? { subset: spec.subset } : {}) };
}
