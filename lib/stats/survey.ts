// Design-based estimation for complex surveys: weighted means and proportions with Taylor-linearised standard errors
// over strata and PSUs, as R's survey::svymean on svydesign(ids = ~psu, strata = ~stratum, weights = ~w, nest = TRUE).
import { studentTQuantile, normalQuantile } from './distributions';
import type { DataTable } from './types';

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
}

/** Builds a design from per-row weights, stratum labels and PSU labels (PSUs are nested within strata). */
export function createSurveyDesign(
  weights: ArrayLike<number>,
  strata: ArrayLike<string | number>,
  psus: ArrayLike<string | number>,
): SurveyDesign {
  const n = weights.length;
  const stratumIndex = new Map<string, number>();
  const psuIndex = new Map<string, number>();
  const stratum = new Int32Array(n);
  const psu = new Int32Array(n);
  const psuStratumList: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = String(strata[i]);
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
  };
}

export interface SurveyEstimate {
  estimate: number;
  se: number;
  n_unweighted: number;
  sum_weights: number;
}

/**
 * Variance of a total from per-PSU linearised scores, with the with-replacement approximation and
 * survey.lonely.psu = "adjust" (a stratum with one PSU is centred at the grand mean of PSU totals).
 */
export function varianceOfTotal(design: SurveyDesign, psuScores: Float64Array): number {
  const { nStrata, psuStratum, psusPerStratum, nPsu } = design;
  const sum = new Float64Array(nStrata);
  const sumSquares = new Float64Array(nStrata);
  let grand = 0;
  for (let j = 0; j < nPsu; j++) {
    const h = psuStratum[j] as number;
    const z = psuScores[j] as number;
    sum[h] = (sum[h] as number) + z;
    sumSquares[h] = (sumSquares[h] as number) + z * z;
    grand += z;
  }
  const grandMean = grand / nPsu;
  let variance = 0;
  for (let h = 0; h < nStrata; h++) {
    const nh = psusPerStratum[h] as number;
    if (nh > 1) {
      variance += (nh / (nh - 1)) * ((sumSquares[h] as number) - ((sum[h] as number) ** 2) / nh);
    } else {
      variance += ((sum[h] as number) - grandMean) ** 2;
    }
  }
  return variance;
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
  const expit = (x: number) => 1 / (1 + Math.exp(-x));
  return { lower: expit(centre - half), upper: expit(centre + half) };
}

// ---- The oracle spec format (tests/fixtures/oracle/README.md): proportions and means, overall or by group ----

export interface SurveySpec {
  ids: string;
  strata: string;
  weights: string;
  nest?: boolean;
  lonely_psu?: string;
  proportions?: Array<{ var: string; by: string | null }>;
  means?: Array<{ var: string; by: string | null }>;
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
  if (!column) throw new Error(`Unknown variable "${name}".`);
  if (column instanceof Float64Array) return column;
  return Float64Array.from(column, (v) => (v === null ? NaN : Number(v)));
}

function columnAsLabels(table: DataTable, name: string): (string | null)[] {
  const column = table.columns.get(name);
  if (!column) throw new Error(`Unknown variable "${name}".`);
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

/** Runs the proportions and means of a survey spec (the svyglm part is not implemented here). */
export function runSurveySpec(table: DataTable, spec: SurveySpec) {
  const design = createSurveyDesign(columnAsNumbers(table, spec.weights), columnAsLabels(table, spec.strata) as string[], columnAsLabels(table, spec.ids) as string[]);
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
  return { design: { n_psu: design.nPsu, n_strata: design.nStrata, design_df: design.df }, proportions: run(spec.proportions, 'proportion'), means: run(spec.means, 'mean') };
}
