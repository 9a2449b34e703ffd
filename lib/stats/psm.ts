// Propensity-score matching, the seeds' robustness check: a logit propensity score, greedy 1:1 nearest-neighbour
// matching on its logit within a caliper (with or without replacement), the ATT with its SE, and a balance table.
import { normalQuantile, normalTwoSidedP } from './distributions';
import { fitGlm } from './glm';
import { buildModelFrame, subsetRows } from './model-frame';
import { seededPermutation } from './random';
import { ModelError, type CoefficientRow, type DataTable } from './types';

export interface PropensityMatchOptions {
  treatment: string;
  covariates: string[];
  outcome: string;
  /** Caliper in standard deviations of the logit propensity score (Austin's 0.2 by default); null for none. */
  caliper?: number | null;
  replacement?: boolean;
  /** Order in which treated units pick their control (greedy matching without replacement depends on it). MatchIt's
   * default for a propensity score is `largest` first; `random` uses `seed`. */
  order?: 'largest' | 'smallest' | 'random' | 'data';
  seed?: number;
  factors?: string[];
  reference?: Record<string, string>;
}

export interface BalanceRow {
  term: string;
  mean_treated_before: number;
  mean_control_before: number;
  /** (mean treated - mean control) / pooled SD of the unmatched sample, sqrt((s2_t + s2_c) / 2), as MatchIt and
   * cobalt use for comparing before and after; null when the covariate is constant. */
  smd_before: number | null;
  variance_ratio_before: number | null;
  mean_treated_after: number;
  mean_control_after: number;
  smd_after: number | null;
  variance_ratio_after: number | null;
}

export interface PropensityMatchResult {
  propensity_model: { terms: string[]; coef: Record<string, CoefficientRow>; n: number; converged: boolean; auc: number };
  caliper: { sd_units: number | null; width: number | null; sd_logit_propensity: number };
  replacement: boolean;
  order: NonNullable<PropensityMatchOptions['order']>;
  counts: {
    n: number;
    treated: number;
    control: number;
    matched_treated: number;
    unmatched_treated: number;
    distinct_controls_used: number;
    /** Sum of control uses (equals matched_treated: 1:1 matching). */
    control_uses: number;
    n_dropped_missing: number;
  };
  att: {
    estimand: 'ATT (matched treated)';
    estimate: number;
    se: number;
    se_method: string;
    z: number;
    p: number;
    ci_lower: number;
    ci_upper: number;
    naive_difference: number;
  };
  balance: BalanceRow[];
  max_abs_smd_before: number;
  max_abs_smd_after: number;
  /** 0-based row numbers in the input table: pair k matched treated_rows[k] with control_rows[k]. */
  pairs: { treated_rows: number[]; control_rows: number[] };
  warnings: string[];
}

/** Smallest index with sorted[index] >= value. */
function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * "Next available" pointers over sorted controls with path compression (union–find): removing a used control and
 * finding the nearest available one on either side are near O(1), so greedy matching without replacement is
 * O(n log n) overall (the sort), not O(n_treated x n_control).
 */
class AvailableControls {
  private readonly right: Int32Array; // right[i]: candidate >= i (m = none)
  private readonly left: Int32Array; // left[i + 1]: candidate <= i (0 = none, shifted by one)

  constructor(m: number) {
    this.right = Int32Array.from({ length: m + 1 }, (_, i) => i);
    this.left = Int32Array.from({ length: m + 1 }, (_, i) => i);
  }

  private find(parent: Int32Array, i: number): number {
    let root = i;
    while (parent[root] !== root) root = parent[root] as number;
    while (parent[i] !== root) {
      const next = parent[i] as number;
      parent[i] = root;
      i = next;
    }
    return root;
  }

  /** The first available position >= i, or m. */
  atOrAfter(i: number): number {
    return this.find(this.right, i);
  }

  /** The last available position <= i, or -1. */
  atOrBefore(i: number): number {
    return this.find(this.left, i + 1) - 1;
  }

  remove(i: number): void {
    this.right[i] = i + 1;
    this.left[i + 1] = i;
  }
}

/** Area under the ROC curve of the propensity score (Mann–Whitney, ties counted half). */
function areaUnderCurve(score: Float64Array, treated: Uint8Array): number {
  const order = Array.from(score.keys()).sort((a, b) => (score[a] as number) - (score[b] as number));
  let rankSumTreated = 0;
  let nTreated = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && score[order[end + 1] as number] === score[order[start] as number]) end++;
    const midRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (treated[order[k] as number]) {
        rankSumTreated += midRank;
        nTreated += 1;
      }
    }
    start = end + 1;
  }
  const nControl = order.length - nTreated;
  return (rankSumTreated - (nTreated * (nTreated + 1)) / 2) / (nTreated * nControl);
}

/** Weighted mean and variance with the unbiased weighted denominator sum(w) - sum(w^2)/sum(w), as cobalt. */
function weightedMoments(values: Float64Array, weights: Float64Array): { mean: number; variance: number } {
  let sw = 0;
  let sww = 0;
  let swx = 0;
  for (let i = 0; i < values.length; i++) {
    const w = weights[i] as number;
    sw += w;
    sww += w * w;
    swx += w * (values[i] as number);
  }
  const mean = swx / sw;
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += (weights[i] as number) * ((values[i] as number) - mean) ** 2;
  return { mean, variance: ss / (sw - sww / sw) };
}

export function matchPropensity(table: DataTable, options: PropensityMatchOptions): PropensityMatchResult {
  const { treatment, covariates, outcome } = options;
  const caliperSd = options.caliper === undefined ? 0.2 : options.caliper;
  const replacement = options.replacement ?? false;
  const order = options.order ?? 'largest';
  const warnings: string[] = [];

  // Complete cases over treatment, outcome and covariates, so the matched sample has outcomes for every pair.
  const complete = buildModelFrame(table, { family: 'gaussian', outcome, predictors: [treatment, ...covariates], factors: options.factors, reference: options.reference });
  const data = subsetRows(table, complete.rowsUsed);
  const frame = buildModelFrame(data, { family: 'binomial', outcome: treatment, predictors: covariates, factors: options.factors, reference: options.reference });
  const n = frame.n;
  const treated = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const t = frame.y[i] as number;
    if (t !== 0 && t !== 1) throw new ModelError('invalid_spec', `The treatment "${treatment}" must be coded 0/1; found ${t}.`);
    treated[i] = t;
  }
  const nTreated = treated.reduce((s, t) => s + t, 0);
  const nControl = n - nTreated;
  if (nTreated < 2 || nControl < 2) throw new ModelError('too_few_cases', `Matching needs treated and control units; there are ${nTreated} treated and ${nControl} controls.`);

  const psFit = fitGlm(frame, { family: 'binomial', se: 'classical' });
  const beta = Float64Array.from(frame.terms, (term) => (psFit.coef[term] as CoefficientRow).estimate);
  const logitPs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let eta = 0;
    for (let k = 0; k < frame.p; k++) eta += (frame.X[i * frame.p + k] as number) * (beta[k] as number);
    logitPs[i] = eta;
  }
  const meanLogit = logitPs.reduce((s, v) => s + v, 0) / n;
  const sdLogit = Math.sqrt(logitPs.reduce((s, v) => s + (v - meanLogit) ** 2, 0) / (n - 1));
  const width = caliperSd === null ? Infinity : caliperSd * sdLogit;

  // Controls sorted by the logit propensity score; treated units in the chosen order.
  const controls = Int32Array.from({ length: n }, (_, i) => i).filter((i) => treated[i] === 0);
  controls.sort((a, b) => (logitPs[a] as number) - (logitPs[b] as number) || a - b);
  const controlScores = Float64Array.from(controls, (i) => logitPs[i] as number);
  let treatedOrder = Int32Array.from({ length: n }, (_, i) => i).filter((i) => treated[i] === 1);
  if (order === 'largest') treatedOrder.sort((a, b) => (logitPs[b] as number) - (logitPs[a] as number) || a - b);
  else if (order === 'smallest') treatedOrder.sort((a, b) => (logitPs[a] as number) - (logitPs[b] as number) || a - b);
  else if (order === 'random') {
    const permutation = seededPermutation(treatedOrder.length, options.seed ?? 1);
    treatedOrder = Int32Array.from(permutation, (k) => treatedOrder[k] as number);
  }

  const available = replacement ? null : new AvailableControls(controls.length);
  const matchOf = new Int32Array(n).fill(-1); // for treated rows: the matched control row
  const uses = new Float64Array(n); // for control rows: times used
  for (const t of treatedOrder) {
    const score = logitPs[t] as number;
    const position = lowerBound(controlScores, score);
    const right = available ? available.atOrAfter(position) : position;
    const left = available ? available.atOrBefore(position - 1) : position - 1;
    const rightDistance = right < controls.length ? (controlScores[right] as number) - score : Infinity;
    const leftDistance = left >= 0 ? score - (controlScores[left] as number) : Infinity;
    // Ties go to the control with the smaller score, so the result does not depend on the treated order's details.
    const chosen = leftDistance <= rightDistance ? left : right;
    const distance = Math.min(leftDistance, rightDistance);
    if (!Number.isFinite(distance) || distance > width) continue;
    const control = controls[chosen] as number;
    matchOf[t] = control;
    uses[control]! += 1;
    available?.remove(chosen);
  }

  // ATT over the matched treated.
  const y = data.columns.get(outcome) as Float64Array;
  const matchedTreated = Array.from(treatedOrder).filter((t) => (matchOf[t] as number) >= 0).sort((a, b) => a - b);
  const pairs = matchedTreated.length;
  if (pairs < 2) throw new ModelError('too_few_cases', `Only ${pairs} treated units found a control within the caliper.`);
  let sumDiff = 0;
  for (const t of matchedTreated) sumDiff += (y[t] as number) - (y[matchOf[t] as number] as number);
  const att = sumDiff / pairs;
  let se: number;
  let seMethod: string;
  if (!replacement) {
    // Each control is used once, so pairs are independent draws: the paired-difference SE (Austin 2011).
    let ss = 0;
    for (const t of matchedTreated) ss += ((y[t] as number) - (y[matchOf[t] as number] as number) - att) ** 2;
    se = Math.sqrt(ss / (pairs - 1) / pairs);
    seMethod = 'paired differences: sd(y_t - y_c) / sqrt(pairs) (Austin 2011); ignores the estimation of the propensity score';
  } else {
    // A control can serve several treated units, so pairs are not independent. We use the robust (HC1) SE of the
    // weighted regression y ~ treatment on the matched sample with controls weighted by their uses, as MatchIt's
    // guidance for matching with replacement; Abadie–Imbens' matching variance would be sharper but needs
    // within-group matching for the conditional variances.
    let meanT = 0;
    for (const t of matchedTreated) meanT += (y[t] as number) / pairs;
    let sw = 0;
    let swy = 0;
    let distinct = 0;
    for (let i = 0; i < n; i++) {
      const w = uses[i] as number;
      if (w === 0) continue;
      sw += w;
      swy += w * (y[i] as number);
      distinct += 1;
    }
    const meanC = swy / sw;
    let varT = 0;
    for (const t of matchedTreated) varT += ((y[t] as number) - meanT) ** 2;
    let varC = 0;
    for (let i = 0; i < n; i++) {
      const w = uses[i] as number;
      if (w > 0) varC += w * w * ((y[i] as number) - meanC) ** 2;
    }
    const units = pairs + distinct;
    se = Math.sqrt((varT / pairs ** 2 + varC / sw ** 2) * (units / (units - 2)));
    seMethod = 'weighted regression y ~ treatment on the matched sample (controls weighted by uses), HC1 robust; ignores the estimation of the propensity score';
  }
  const z975 = normalQuantile(0.975);

  // Naive difference of outcome means in the unmatched complete cases, for comparison.
  let sumT = 0;
  let sumC = 0;
  for (let i = 0; i < n; i++) {
    if (treated[i]) sumT += y[i] as number;
    else sumC += y[i] as number;
  }

  const balance = balanceTable(frame.terms, frame.X, frame.p, logitPs, treated, matchOf, uses);
  const maxAbs = (key: 'smd_before' | 'smd_after') => balance.reduce((m, row) => (row[key] === null ? m : Math.max(m, Math.abs(row[key]))), 0);
  const unmatched = nTreated - pairs;
  if (unmatched > 0) warnings.push(`${unmatched} of ${nTreated} treated units had no control within the caliper and were left out: the ATT describes the matched treated.`);
  const maxAfter = maxAbs('smd_after');
  if (maxAfter > 0.1) warnings.push(`Balance is incomplete: the largest standardised mean difference after matching is ${maxAfter.toFixed(3)} (> 0.1).`);
  if (frame.aliased.length > 0) warnings.push(`Dropped from the propensity model as constant or collinear: ${frame.aliased.join(', ')}.`);

  return {
    propensity_model: { terms: frame.terms, coef: psFit.coef, n, converged: psFit.converged, auc: areaUnderCurve(logitPs, treated) },
    caliper: { sd_units: caliperSd, width: caliperSd === null ? null : width, sd_logit_propensity: sdLogit },
    replacement,
    order,
    counts: {
      n,
      treated: nTreated,
      control: nControl,
      matched_treated: pairs,
      unmatched_treated: unmatched,
      distinct_controls_used: uses.reduce((s, u) => s + (u > 0 ? 1 : 0), 0),
      control_uses: pairs,
      n_dropped_missing: complete.nDroppedMissing,
    },
    att: {
      estimand: 'ATT (matched treated)',
      estimate: att,
      se,
      se_method: seMethod,
      z: att / se,
      p: normalTwoSidedP(att / se),
      ci_lower: att - z975 * se,
      ci_upper: att + z975 * se,
      naive_difference: sumT / nTreated - sumC / nControl,
    },
    balance,
    max_abs_smd_before: maxAbs('smd_before'),
    max_abs_smd_after: maxAfter,
    pairs: {
      treated_rows: matchedTreated.map((t) => complete.rowsUsed[t] as number),
      control_rows: matchedTreated.map((t) => complete.rowsUsed[matchOf[t] as number] as number),
    },
    warnings,
  };
}

/** SMDs and variance ratios per design column (and the logit propensity score itself), before and after matching. */
function balanceTable(terms: string[], X: Float64Array, p: number, logitPs: Float64Array, treated: Uint8Array, matchOf: Int32Array, uses: Float64Array): BalanceRow[] {
  const n = treated.length;
  const columns: Array<{ term: string; values: Float64Array }> = [{ term: 'logit_propensity', values: logitPs }];
  terms.forEach((term, k) => {
    if (term !== '(Intercept)') columns.push({ term, values: Float64Array.from({ length: n }, (_, i) => X[i * p + k] as number) });
  });
  // Weights before: 1 for everyone; after: 1 for matched treated, uses for controls.
  const ones = (select: (i: number) => boolean) => Float64Array.from({ length: n }, (_, i) => (select(i) ? 1 : 0));
  const before = { treated: ones((i) => treated[i] === 1), control: ones((i) => treated[i] === 0) };
  const after = { treated: ones((i) => treated[i] === 1 && (matchOf[i] as number) >= 0), control: Float64Array.from(uses) };
  const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
  return columns.map(({ term, values }) => {
    const tb = weightedMoments(values, before.treated);
    const cb = weightedMoments(values, before.control);
    const ta = weightedMoments(values, after.treated);
    const ca = weightedMoments(values, after.control);
    const pooledSd = Math.sqrt((tb.variance + cb.variance) / 2);
    return {
      term,
      mean_treated_before: tb.mean,
      mean_control_before: cb.mean,
      smd_before: pooledSd > 0 ? (tb.mean - cb.mean) / pooledSd : null,
      variance_ratio_before: ratio(tb.variance, cb.variance),
      mean_treated_after: ta.mean,
      mean_control_after: ca.mean,
      smd_after: pooledSd > 0 ? (ta.mean - ca.mean) / pooledSd : null,
      variance_ratio_after: ratio(ta.variance, ca.variance),
    };
  });
}
