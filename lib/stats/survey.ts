// Design-based estimation for complex surveys: weighted means and proportions with Taylor-linearised standard errors
// over strata and PSUs, as R's survey::svymean on svydesign(ids = ~psu, strata = ~stratum, weights = ~w, nest = TRUE).
// The oracle's spec format is run by survey-spec.ts, and svyglm is survey-glm.ts.
import { normalQuantile, studentTQuantile } from './distributions';
import { logistic } from './link';
import { ModelError } from './types';

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
export function combineStrata(design: SurveyDesign, contribution: (h: number, lonely: boolean) => number): number {
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
