// Design-based estimation for complex surveys: weighted means and proportions with Taylor-linearised standard errors
// over strata and PSUs, as R's survey::svymean on svydesign(ids = ~psu, strata = ~stratum, weights = ~w, nest = TRUE).
import { normalQuantile, studentTQuantile, studentTTwoSidedP } from './distributions';
import { cholesky, choleskyInverse } from './linalg';
import { logistic } from './link';
import { buildModelFrame, subsetRows } from './model-frame';
import { ModelError, type DataTable } from './types';

/**
 * What a stratum with a single PSU contributes to a variance, as R's options(survey.lonely.psu): "adjust" its PSU total
 * about the grand mean (0 for estimating-equation scores), "certainty" and "remove" nothing, "average" the average of
 * the other strata's contributions, "fail" an error.
 */
export type LonelyPsu = 'adjust' | 'certainty' | 'remove' | 'average' | 'fail';
export const LONELY_PSU_OPTIONS: readonly LonelyPsu[] = ['adjust', 'certainty', 'remove', 'average', 'fail'];

export interface SurveyDesign {
  n: number;
  weights: Float64Array;
  /** 0-based stratum of each row. */
  stratum: Int32Array;
  /** 0-based PSU of each row, unique across strata (nest = TRUE). */
  psu: Int32Array;
  /** Stratum of each PSU. */
  psuStratum: Int32Array;
  /** Number of PSUs in each stratum of the full design (domain estimation keeps these counts). */
  psusPerStratum: Int32Array;
  nStrata: number;
  nPsu: number;
  /** Design degrees of freedom: PSUs minus strata. */
  df: number;
  /** survey.lonely.psu for strata with one PSU (default "adjust"). */
  lonelyPsu: LonelyPsu;
  /** Stratum labels, for messages. */
  strataLabels: string[];
}

/**
 * Builds a design from per-row weights, stratum labels (null: one stratum, a one-stage cluster sample) and PSU labels
 * (PSUs are nested within strata). Missing weights are refused, as svydesign refuses them.
 */
export function createSurveyDesign(
  weights: ArrayLike<number>,
  strata: ArrayLike<string | number | null> | null,
  psus: ArrayLike<string | number | null>,
  options: { lonelyPsu?: LonelyPsu; names?: { weights?: string; strata?: string; ids?: string } } = {},
): SurveyDesign {
  const n = weights.length;
  const names = options.names ?? {};
  for (let i = 0; i < n; i++) {
    const w = weights[i] as number;
    if (Number.isNaN(w)) throw new ModelError('invalid_spec', `The weights ${names.weights ? `"${names.weights}" ` : ''}have missing values: every respondent in the design needs a weight (R's svydesign stops here too).`);
    if (w < 0) throw new ModelError('invalid_spec', `The weights ${names.weights ? `"${names.weights}" ` : ''}have negative values.`);
    if (psus[i] === null || psus[i] === undefined || (typeof psus[i] === 'number' && Number.isNaN(psus[i]))) {
      throw new ModelError('invalid_spec', `The PSU variable ${names.ids ? `"${names.ids}" ` : ''}has missing values.`);
    }
    if (strata && (strata[i] === null || strata[i] === undefined || (typeof strata[i] === 'number' && Number.isNaN(strata[i])))) {
      throw new ModelError('invalid_spec', `The strata variable ${names.strata ? `"${names.strata}" ` : ''}has missing values.`);
    }
  }
  const stratumIndex = new Map<string, number>();
  const psuIndex = new Map<string, number>();
  const stratum = new Int32Array(n);
  const psu = new Int32Array(n);
  const psuStratumList: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = strata ? String(strata[i]) : '';
    let h = stratumIndex.get(s);
    if (h === undefined) {
      h = stratumIndex.size;
      stratumIndex.set(s, h);
    }
    const key = `${s}\u0000${String(psus[i])}`;
    let j = psuIndex.get(key);
    if (j === undefined) {
      j = psuIndex.size;
      psuIndex.set(key, j);
      psuStratumList.push(h);
    }
    stratum[i] = h;
    psu[i] = j;
  }
  const psusPerStratum = new Int32Array(stratumIndex.size);
  for (const h of psuStratumList) psusPerStratum[h] = (psusPerStratum[h] ?? 0) + 1;
  return {
    n,
    weights: Float64Array.from(weights),
    stratum,
    psu,
    psuStratum: Int32Array.from(psuStratumList),
    psusPerStratum,
    nStrata: stratumIndex.size,
    nPsu: psuIndex.size,
    df: psuIndex.size - stratumIndex.size,
    lonelyPsu: options.lonelyPsu ?? 'adjust',
    strataLabels: [...stratumIndex.keys()],
  };
}

function lonelyStratumError(design: SurveyDesign, h: number): ModelError {
  return new ModelError('invalid_spec', `Stratum ${design.strataLabels[h] ?? h + 1} has only one PSU: its variance cannot be estimated (lonely_psu = "fail"; choose "adjust", "certainty", "remove" or "average").`);
}

/**
 * Combines per-stratum variance contributions as survey's onestage: strata with one PSU by the design's lonelyPsu;
 * "average" scales the strata with several PSUs up to all strata (nStrata / strata with several PSUs).
 */
function combineStrata(design: SurveyDesign, contribution: (h: number, lonely: boolean) => number): number {
  let total = 0;
  let ok = 0;
  for (let h = 0; h < design.nStrata; h++) {
    const lonely = (design.psusPerStratum[h] as number) < 2;
    if (lonely) {
      if (design.lonelyPsu === 'fail') throw lonelyStratumError(design, h);
      if (design.lonelyPsu !== 'adjust') continue;
    }
    total += contribution(h, lonely);
    if (!lonely) ok += 1;
  }
  if (design.lonelyPsu === 'average' && ok < design.nStrata) return ok === 0 ? Number.NaN : (total * design.nStrata) / ok;
  return total;
}

export interface SurveyEstimate {
  estimate: number;
  se: number;
  n_unweighted: number;
  sum_weights: number;
}

/**
 * Variance of a total from per-PSU linearised scores, with the with-replacement approximation; strata with one PSU
 * as design.lonelyPsu says ("adjust": the PSU total about the grand mean, which is 0 for scores, as R leaves it).
 */
export function varianceOfTotal(design: SurveyDesign, psuScores: Float64Array): number {
  const { nStrata, psuStratum, psusPerStratum, nPsu } = design;
  const sum = new Float64Array(nStrata);
  const sumSquares = new Float64Array(nStrata);
  for (let j = 0; j < nPsu; j++) {
    const h = psuStratum[j] as number;
    const z = psuScores[j] as number;
    sum[h] = (sum[h] as number) + z;
    sumSquares[h] = (sumSquares[h] as number) + z * z;
  }
  return combineStrata(design, (h, lonely) => {
    const nh = psusPerStratum[h] as number;
    return lonely ? (sumSquares[h] as number) : (nh / (nh - 1)) * ((sumSquares[h] as number) - ((sum[h] as number) ** 2) / nh);
  });
}

/**
 * Weighted mean of `values` in a domain (rows where `inDomain` is true and the value is not missing), with its
 * linearised SE. Rows outside the domain stay in the design with zero scores, so strata and PSU counts are those of
 * the full sample (domain estimation, as svyby or subset() in R).
 */
export function surveyMean(design: SurveyDesign, values: ArrayLike<number>, inDomain?: (row: number) => boolean): SurveyEstimate {
  const { n, weights, psu, nPsu } = design;
  let sumW = 0;
  let sumWY = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const y = values[i] as number;
    if (Number.isNaN(y) || (inDomain && !inDomain(i))) continue;
    const w = weights[i] as number;
    sumW += w;
    sumWY += w * y;
    count += 1;
  }
  const estimate = sumWY / sumW;
  const scores = new Float64Array(nPsu);
  for (let i = 0; i < n; i++) {
    const y = values[i] as number;
    if (Number.isNaN(y) || (inDomain && !inDomain(i))) continue;
    const j = psu[i] as number;
    scores[j] = (scores[j] as number) + ((weights[i] as number) * (y - estimate)) / sumW;
  }
  return { estimate, se: Math.sqrt(varianceOfTotal(design, scores)), n_unweighted: count, sum_weights: sumW };
}

export interface DomainEstimate extends SurveyEstimate {
  /** Degrees of freedom of the domain as R's degf() of a subset: PSUs with domain members minus their strata. */
  df: number;
}

/**
 * Weighted means of `values` in many disjoint domains at once (e.g. one per city), in two passes over the rows.
 * `domainOf[i]` is the 0-based domain of row i, or -1 for none; a row with a missing value (NaN) counts as outside
 * every domain for this variable (na.rm within the domain). Each domain equals surveyMean with that domain.
 */
export function estimateDomains(design: SurveyDesign, values: ArrayLike<number>, domainOf: Int32Array, nDomains: number): DomainEstimate[] {
  const { n, weights, psu, nPsu, psuStratum, nStrata } = design;
  const sumW = new Float64Array(nDomains);
  const sumWY = new Float64Array(nDomains);
  const count = new Int32Array(nDomains);
  for (let i = 0; i < n; i++) {
    const d = domainOf[i] as number;
    const y = values[i] as number;
    if (d < 0 || Number.isNaN(y)) continue;
    const w = weights[i] as number;
    sumW[d] = (sumW[d] as number) + w;
    sumWY[d] = (sumWY[d] as number) + w * y;
    count[d] = (count[d] as number) + 1;
  }
  const means = Float64Array.from(sumWY, (total, d) => total / (sumW[d] as number));
  // Scores are kept per domain x PSU so the full design's PSU and stratum counts enter every variance.
  const scores = new Float64Array(nDomains * nPsu);
  const touched = new Uint8Array(nDomains * nPsu);
  for (let i = 0; i < n; i++) {
    const d = domainOf[i] as number;
    const y = values[i] as number;
    if (d < 0 || Number.isNaN(y)) continue;
    const slot = d * nPsu + (psu[i] as number);
    scores[slot] = (scores[slot] as number) + ((weights[i] as number) * (y - (means[d] as number))) / (sumW[d] as number);
    touched[slot] = 1;
  }
  const results: DomainEstimate[] = [];
  for (let d = 0; d < nDomains; d++) {
    const domainScores = scores.subarray(d * nPsu, (d + 1) * nPsu);
    const strataSeen = new Uint8Array(nStrata);
    let psusSeen = 0;
    let strataCount = 0;
    for (let j = 0; j < nPsu; j++) {
      if (!touched[d * nPsu + j]) continue;
      psusSeen += 1;
      const h = psuStratum[j] as number;
      if (!strataSeen[h]) {
        strataSeen[h] = 1;
        strataCount += 1;
      }
    }
    const empty = count[d] === 0;
    results.push({
      estimate: empty ? NaN : (means[d] as number),
      se: empty ? NaN : Math.sqrt(varianceOfTotal(design, domainScores)),
      n_unweighted: count[d] as number,
      sum_weights: sumW[d] as number,
      df: psusSeen - strataCount,
    });
  }
  return results;
}

export interface ConfidenceInterval {
  lower: number;
  upper: number;
}

export function waldInterval(estimate: number, se: number, df: number | null, level = 0.95): ConfidenceInterval {
  const q = df === null ? normalQuantile(1 - (1 - level) / 2) : studentTQuantile(1 - (1 - level) / 2, df);
  return { lower: estimate - q * se, upper: estimate + q * se };
}

/** CI for a proportion on the logit scale, back-transformed (svyciprop(method = "logit") with t(df) quantiles). */
export function logitInterval(p: number, se: number, df: number, level = 0.95): ConfidenceInterval {
  if (p <= 0 || p >= 1) return { lower: p, upper: p };
  const q = studentTQuantile(1 - (1 - level) / 2, df);
  const centre = Math.log(p / (1 - p));
  const half = (q * se) / (p * (1 - p));
  return { lower: logistic(centre - half), upper: logistic(centre + half) };
}

// ---- The oracle spec format (tests/fixtures/oracle/README.md): proportions and means, overall or by group ----

export interface SurveySpec {
  ids: string;
  /** null: no strata (a one-stage cluster sample). */
  strata: string | null;
  weights: string;
  nest?: boolean;
  lonely_psu?: LonelyPsu;
  proportions?: Array<{ var: string; by: string | null }>;
  means?: Array<{ var: string; by: string | null }>;
  svyglm?: SurveyGlmSpec[];
}

interface EstimateRow {
  level: string;
  estimate: number;
  se: number;
  ci_wald_z: [number, number];
  ci_wald_t: [number, number];
  ci_logit?: [[number, number]];
  n_unweighted: number;
  sum_weights: number;
}

function columnAsNumbers(table: DataTable, name: string): Float64Array {
  const column = table.columns.get(name);
  if (!column) throw new ModelError('unknown_variable', `Unknown variable "${name}".`);
  if (column instanceof Float64Array) return column;
  return Float64Array.from(column, (v) => (v === null ? NaN : Number(v)));
}

function columnAsLabels(table: DataTable, name: string): (string | null)[] {
  const column = table.columns.get(name);
  if (!column) throw new ModelError('unknown_variable', `Unknown variable "${name}".`);
  if (column instanceof Float64Array) return Array.from(column, (v) => (Number.isNaN(v) ? null : String(v)));
  return column;
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function estimateRows(design: SurveyDesign, table: DataTable, variable: string, kind: 'proportion' | 'mean', domain?: (i: number) => boolean): EstimateRow[] {
  const column = table.columns.get(variable);
  const categorical = kind === 'proportion' && column !== undefined && !(column instanceof Float64Array);
  const targets: Array<{ level: string; values: Float64Array }> = [];
  if (categorical) {
    const labels = columnAsLabels(table, variable);
    const levels = [...new Set(labels.filter((v): v is string => v !== null))].sort(byteOrder);
    for (const level of levels) {
      targets.push({ level, values: Float64Array.from(labels, (v) => (v === null ? NaN : v === level ? 1 : 0)) });
    }
  } else {
    targets.push({ level: variable, values: columnAsNumbers(table, variable) });
  }
  return targets.map(({ level, values }) => {
    const result = surveyMean(design, values, domain);
    const z = waldInterval(result.estimate, result.se, null);
    const t = waldInterval(result.estimate, result.se, design.df);
    const row: EstimateRow = {
      level,
      estimate: result.estimate,
      se: result.se,
      ci_wald_z: [z.lower, z.upper],
      ci_wald_t: [t.lower, t.upper],
      n_unweighted: result.n_unweighted,
      sum_weights: result.sum_weights,
    };
    if (kind === 'proportion') {
      const logit = logitInterval(result.estimate, result.se, design.df);
      row.ci_logit = [[logit.lower, logit.upper]];
    }
    return row;
  });
}

/** Runs the proportions, means and svyglm logits of a survey spec. */
export function runSurveySpec(table: DataTable, spec: SurveySpec) {
  const lonelyPsu = spec.lonely_psu ?? 'adjust';
  if (!LONELY_PSU_OPTIONS.includes(lonelyPsu)) throw new ModelError('invalid_spec', `lonely_psu must be one of ${LONELY_PSU_OPTIONS.join(', ')}; got "${String(lonelyPsu)}".`);
  const design = createSurveyDesign(
    columnAsNumbers(table, spec.weights),
    spec.strata ? columnAsLabels(table, spec.strata) : null,
    columnAsLabels(table, spec.ids),
    { lonelyPsu, names: { weights: spec.weights, strata: spec.strata ?? undefined, ids: spec.ids } },
  );
  if (spec.nest === false && spec.strata) {
    // Without nest, PSU labels must already be unique across strata (svydesign stops otherwise).
    const strataOf = new Map<string, string | null>();
    const strata = columnAsLabels(table, spec.strata);
    const ids = columnAsLabels(table, spec.ids);
    for (let i = 0; i < table.nrow; i++) {
      const seen = strataOf.get(String(ids[i]));
      if (seen === undefined) strataOf.set(String(ids[i]), strata[i] ?? null);
      else if (seen !== strata[i]) throw new ModelError('invalid_spec', `PSU ${ids[i]} of "${spec.ids}" occurs in more than one stratum: set "nest": true if PSU labels restart within each stratum.`);
    }
  }
  const run = (items: Array<{ var: string; by: string | null }> | undefined, kind: 'proportion' | 'mean') =>
    (items ?? []).map((item) => {
      if (!item.by) return { var: item.var, by: null, kind, overall: estimateRows(design, table, item.var, kind) };
      const groups = columnAsLabels(table, item.by);
      const levels = [...new Set(groups.filter((v): v is string => v !== null))].sort(byteOrder);
      return {
        var: item.var,
        by: item.by,
        kind,
        groups: levels.map((group) => ({ group, estimates: estimateRows(design, table, item.var, kind, (i) => groups[i] === group) })),
      };
    });
  return {
    design: { n_psu: design.nPsu, n_strata: design.nStrata, design_df: design.df },
    proportions: run(spec.proportions, 'proportion'),
    means: run(spec.means, 'mean'),
    svyglm: (spec.svyglm ?? []).map((model) => fitSurveyLogit(design, table, model)),
  };
}

// ---- svyglm(family = quasibinomial): weighted logit, design-based sandwich variance ----

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
    const labels = columnAsLabels(table, spec.subset.var);
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
  const y = columnAsNumbers(table, spec.outcome);
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
