// Summary measures of health inequality (WHO HEAT's set) computed from survey microdata: subgroup estimates with their
// full design covariance (Taylor linearisation over strata and PSUs, domains as subpopulations) and delta-method SEs.
import { normalQuantile } from './distributions';
import { at, byteOrder, labelColumn, numericColumn } from './columns';
import { logistic } from './link';
import { createSurveyDesign, surveyMean, type SurveyDesign } from './survey';
import { ModelError, type DataTable } from './types';

/** z = qnorm(0.975): every measure's CI is estimate ± z·SE, except R and RII (log scale). */
export const Z95 = normalQuantile(0.975);

export const UNORDERED_MEASURES = ['D', 'R', 'BGV', 'BGSD', 'COV', 'MDMW', 'MDBW', 'MDRW', 'IDISW', 'TI', 'MLD', 'PAF', 'PAR'] as const;
export const ORDERED_MEASURES = ['ACI', 'RCI', 'SII', 'RII'] as const;
export type MeasureName = (typeof UNORDERED_MEASURES)[number] | (typeof ORDERED_MEASURES)[number];

export interface Measure {
  estimate: number;
  se: number;
  ci: [number, number];
}

/**
 * Weighted sums of a domain by (PSU, subgroup): everything below (estimates, linearised scores, the regression on the
 * mid-rank) depends on the rows only through these, so a precompute can aggregate once and reuse them.
 */
export interface GroupedCells {
  psu: ArrayLike<number>;
  group: ArrayLike<number>;
  sumWeights: ArrayLike<number>;
  sumWY: ArrayLike<number>;
  n: ArrayLike<number>;
}

/** Subgroup estimates of one domain: means (proportions for 0/1) and shares, with the cells they came from. */
export interface SubgroupEstimates {
  estimates: Float64Array;
  /** Weighted share of each subgroup among the domain's rows with the outcome observed (held fixed, as HEAT). */
  shares: Float64Array;
  n: Int32Array;
  sumWeights: Float64Array;
  cells: GroupedCells;
}

/**
 * Design covariance of K estimated totals from their per-PSU linearised scores, as survey::svyrecvar with
 * lonely.psu = "adjust": a single-PSU stratum contributes its PSU total uncentred, as R leaves it and as
 * varianceOfTotal (survey.ts) does (the scores of an estimate sum to 0, so this is centring at their grand mean). Only
 * PSUs with a non-zero score are listed (`psus`, scores row-major nTouched×K); the others score 0, which still matters
 * for their strata's centring.
 */
export function designCovariance(design: SurveyDesign, K: number, psus: ArrayLike<number>, scores: Float64Array): Float64Array {
  const { nStrata, psuStratum, psusPerStratum } = design;
  const stratumSum = new Float64Array(nStrata * K);
  const touchedStratum = new Uint8Array(nStrata);
  for (let t = 0; t < psus.length; t++) {
    const h = psuStratum[psus[t] as number] as number;
    touchedStratum[h] = 1;
    for (let k = 0; k < K; k++) stratumSum[h * K + k]! += scores[t * K + k] as number;
  }
  const covariance = new Float64Array(K * K);
  const addOuter = (factor: number, a: (k: number) => number) => {
    for (let j = 0; j < K; j++) {
      const aj = a(j);
      if (aj === 0) continue;
      for (let k = 0; k < K; k++) covariance[j * K + k]! += factor * aj * a(k);
    }
  };
  // Σ_h nh/(nh−1) Σ_j (z_hj − z̄_h)(z_hj − z̄_h)' = Σ_h nh/(nh−1) [Σ_j z z' − nh z̄_h z̄_h'] over strata with nh > 1.
  for (let t = 0; t < psus.length; t++) {
    const h = psuStratum[psus[t] as number] as number;
    const nh = psusPerStratum[h] as number;
    if (nh > 1) addOuter(nh / (nh - 1), (k) => scores[t * K + k] as number);
    else addOuter(1, (k) => scores[t * K + k] as number);
  }
  for (let h = 0; h < nStrata; h++) {
    const nh = psusPerStratum[h] as number;
    if (nh > 1 && touchedStratum[h]) addOuter(-1 / (nh - 1), (k) => stratumSum[h * K + k] as number);
  }
  return covariance;
}

/**
 * Sums by (PSU, subgroup) of the rows in a domain. `groupOf[i]` is row i's 0-based subgroup, or -1 outside the domain;
 * rows with a missing value (NaN) count as outside. `rows`, when given, lists the only rows that may be in the domain.
 */
export function aggregateCells(design: SurveyDesign, values: ArrayLike<number>, groupOf: ArrayLike<number>, K: number, rows?: ArrayLike<number>): GroupedCells {
  const count = rows ? rows.length : design.n;
  const cellOf = new Map<number, number>();
  const psu: number[] = [];
  const group: number[] = [];
  const sumWeights: number[] = [];
  const sumWY: number[] = [];
  const n: number[] = [];
  for (let t = 0; t < count; t++) {
    const i = rows ? (rows[t] as number) : t;
    const g = groupOf[i] as number;
    const y = values[i] as number;
    if (g < 0 || Number.isNaN(y)) continue;
    const j = design.psu[i] as number;
    const key = j * K + g;
    let c = cellOf.get(key);
    if (c === undefined) {
      c = psu.length;
      cellOf.set(key, c);
      psu.push(j);
      group.push(g);
      sumWeights.push(0);
      sumWY.push(0);
      n.push(0);
    }
    const w = design.weights[i] as number;
    sumWeights[c]! += w;
    sumWY[c]! += w * y;
    n[c]! += 1;
  }
  return { psu, group, sumWeights, sumWY, n };
}

/** Subgroup means and shares from (PSU, subgroup) sums. */
export function subgroupsFromCells(cells: GroupedCells, K: number): SubgroupEstimates {
  const sumWeights = new Float64Array(K);
  const sumWY = new Float64Array(K);
  const n = new Int32Array(K);
  for (let c = 0; c < cells.psu.length; c++) {
    const g = cells.group[c] as number;
    sumWeights[g]! += cells.sumWeights[c] as number;
    sumWY[g]! += cells.sumWY[c] as number;
    n[g]! += cells.n[c] as number;
  }
  const estimates = Float64Array.from(sumWY, (total, g) => total / (sumWeights[g] as number));
  const totalWeight = sumWeights.reduce((a, b) => a + b, 0);
  const shares = Float64Array.from(sumWeights, (w) => w / totalWeight);
  return { estimates, shares, n, sumWeights, cells };
}

/** Weighted means of `values` in K disjoint subgroups of a domain (svyby on a subset design), with their shares. */
export function estimateSubgroups(design: SurveyDesign, values: ArrayLike<number>, groupOf: ArrayLike<number>, K: number, rows?: ArrayLike<number>): SubgroupEstimates {
  return subgroupsFromCells(aggregateCells(design, values, groupOf, K, rows), K);
}

/**
 * Per-PSU totals of `width` linear combinations of the cells' linearised scores: cell c adds coefficient(c, col) times
 * its score total. Returns the PSUs with a non-zero total and the totals (row-major).
 */
const slotScratch = new WeakMap<SurveyDesign, Int32Array>();

function psuTotals(design: SurveyDesign, cells: GroupedCells, width: number, add: (c: number, into: Float64Array, offset: number) => void) {
  // PSU → slot lookup, kept per design and reset after use: a precompute calls this thousands of times.
  let slotOf = slotScratch.get(design);
  if (!slotOf) slotScratch.set(design, (slotOf = new Int32Array(design.nPsu).fill(-1)));
  const psus: number[] = [];
  let totals = new Float64Array(Math.max(16, width * 64));
  for (let c = 0; c < cells.psu.length; c++) {
    const j = cells.psu[c] as number;
    let slot = slotOf[j] as number;
    if (slot < 0) {
      slot = psus.length;
      slotOf[j] = slot;
      psus.push(j);
      if ((slot + 1) * width > totals.length) {
        const grown = new Float64Array(totals.length * 2);
        grown.set(totals);
        totals = grown;
      }
    }
    add(c, totals, slot * width);
  }
  for (const j of psus) slotOf[j] = -1;
  return { psus, scores: totals.subarray(0, psus.length * width) };
}

/** Cell c's linearised score total for its subgroup's mean: (Σwy − ȳ_g Σw)/W_g. */
function cellScore(subgroups: SubgroupEstimates, c: number): number {
  const { cells, estimates, sumWeights } = subgroups;
  const g = cells.group[c] as number;
  return ((cells.sumWY[c] as number) - (estimates[g] as number) * (cells.sumWeights[c] as number)) / (sumWeights[g] as number);
}

/** The K×K design covariance of the subgroup estimates (svyby(..., covmat = TRUE)). */
export function subgroupCovariance(design: SurveyDesign, subgroups: SubgroupEstimates): Float64Array {
  const K = subgroups.estimates.length;
  const { psus, scores } = psuTotals(design, subgroups.cells, K, (c, into, offset) => {
    into[offset + (subgroups.cells.group[c] as number)]! += cellScore(subgroups, c);
  });
  return designCovariance(design, K, psus, scores);
}

/**
 * g'Vg for a gradient g without forming V: the variance of the combined score Σ_k g_k z_k, one pass over the cells
 * whatever the number of subgroups (hundreds of cities in a between-city measure).
 */
export function deltaVariance(design: SurveyDesign, subgroups: SubgroupEstimates, gradient: ArrayLike<number>): number {
  // The scalar case of psuTotals + designCovariance, written out: a precompute calls it tens of thousands of times.
  const { cells, estimates, sumWeights } = subgroups;
  const { psuStratum, psusPerStratum, nPsu, nStrata } = design;
  let scratch = scalarScratch.get(design);
  if (!scratch) scalarScratch.set(design, (scratch = { total: new Float64Array(nPsu), seen: new Uint8Array(nPsu), stratumSum: new Float64Array(nStrata), stratumSeen: new Uint8Array(nStrata) }));
  const { total, seen, stratumSum, stratumSeen } = scratch;
  const coefficient = Float64Array.from(estimates, (_, g) => (gradient[g] as number) / (sumWeights[g] as number));
  const touched: number[] = [];
  for (let c = 0; c < cells.psu.length; c++) {
    const g = cells.group[c] as number;
    const a = coefficient[g] as number;
    if (a === 0) continue;
    const j = cells.psu[c] as number;
    if (!seen[j]) {
      seen[j] = 1;
      touched.push(j);
    }
    total[j]! += a * ((cells.sumWY[c] as number) - (estimates[g] as number) * (cells.sumWeights[c] as number));
  }
  let variance = 0;
  const strataTouched: number[] = [];
  for (const j of touched) {
    const h = psuStratum[j] as number;
    const nh = psusPerStratum[h] as number;
    const z = total[j] as number;
    if (nh > 1) {
      variance += (nh / (nh - 1)) * z * z;
      if (!stratumSeen[h]) {
        stratumSeen[h] = 1;
        strataTouched.push(h);
      }
      stratumSum[h]! += z;
    } else {
      variance += z * z; // a lonely PSU's total, uncentred (lonely.psu = "adjust", as designCovariance)
    }
    total[j] = 0;
    seen[j] = 0;
  }
  for (const h of strataTouched) {
    const nh = psusPerStratum[h] as number;
    variance -= (stratumSum[h] as number) ** 2 / (nh - 1);
    stratumSum[h] = 0;
    stratumSeen[h] = 0;
  }
  return variance;
}

const scalarScratch = new WeakMap<SurveyDesign, { total: Float64Array; seen: Uint8Array; stratumSum: Float64Array; stratumSeen: Uint8Array }>();

/** A function of the subgroup estimates: its value and its gradient (for the delta method). */
interface Smooth {
  value: number;
  gradient: Float64Array;
}

function quadraticForm(gradient: Float64Array, covariance: Float64Array): number {
  const K = gradient.length;
  let total = 0;
  for (let j = 0; j < K; j++) {
    const gj = gradient[j] as number;
    if (gj === 0) continue;
    for (let k = 0; k < K; k++) total += gj * (covariance[j * K + k] as number) * (gradient[k] as number);
  }
  return total;
}

function additiveMeasure(estimate: number, se: number): Measure {
  return { estimate, se, ci: [estimate - Z95 * se, estimate + Z95 * se] };
}

/** R and RII: the CI is exp(ln x ± z·SE/x). */
function ratioMeasure(estimate: number, se: number): Measure {
  const half = (Z95 * se) / estimate;
  return { estimate, se, ci: [Math.exp(Math.log(estimate) - half), Math.exp(Math.log(estimate) + half)] };
}

export interface InequalityOptions {
  groups: readonly string[];
  /** true when higher is better: the best subgroup is then the highest. */
  favourable: boolean;
  /** For an ordered dimension: its levels from the most disadvantaged to the least; null for unordered. */
  order?: readonly string[] | null;
  /** D = y[pair[0]] − y[pair[1]], R = y[pair[0]] / y[pair[1]]; omitted: no D and R. */
  pair?: readonly [string, string] | null;
  /** Reference subgroup of PAF, PAR and MDRW; null: the best subgroup. */
  reference?: string | null;
  /** Compute only these (the precompute needs a few); default: all that apply. */
  only?: readonly MeasureName[];
}

/** The best subgroup: the highest estimate when favourable, else the lowest (the first on ties). */
export function bestSubgroup(estimates: ArrayLike<number>, favourable: boolean): number {
  let best = 0;
  for (let k = 1; k < estimates.length; k++) {
    const y = at(estimates, k);
    if (favourable ? y > at(estimates, best) : y < at(estimates, best)) best = k;
  }
  return best;
}

/** Mid-ranks X of the subgroups in the given order (cumulative share minus half its own), by subgroup index. */
export function midRanks(groups: readonly string[], shares: ArrayLike<number>, order: readonly string[]): Float64Array {
  const ranks = new Float64Array(groups.length).fill(NaN);
  let cumulative = 0;
  for (const level of order) {
    const k = groups.indexOf(level);
    if (k < 0) continue;
    const p = at(shares, k);
    ranks[k] = cumulative + p / 2;
    cumulative += p;
  }
  return ranks;
}

function indexOfGroup(groups: readonly string[], group: string, role: string): number {
  const k = groups.indexOf(group);
  if (k < 0) throw new ModelError('invalid_spec', `The ${role} subgroup "${group}" has no respondents in the domain (subgroups: ${groups.join(', ')}).`);
  return k;
}

/**
 * Every measure that needs only the subgroup estimates, their covariance and the shares: D and R, the dispersion
 * measures (BGV … PAR) and, for ordered dimensions, ACI and RCI. SII and RII need the microdata: see rankRegression.
 */
export function summaryMeasures(design: SurveyDesign, subgroups: SubgroupEstimates, options: InequalityOptions): Partial<Record<MeasureName, Measure>> {
  const { estimates: y, shares: p } = subgroups;
  const K = y.length;
  const { groups, favourable } = options;
  const zeros = () => new Float64Array(K);
  const mu = y.reduce((total, yk, k) => total + at(p, k) * yk, 0);
  const sumShares = p.reduce((a, b) => a + b, 0);
  const best = bestSubgroup(y, favourable);
  const reference = options.reference == null ? best : indexOfGroup(groups, options.reference, 'reference');
  const out: Partial<Record<MeasureName, Measure>> = {};
  const wanted = options.only ? new Set<MeasureName>(options.only) : null;
  const put = (name: MeasureName, f: Smooth, kind: 'additive' | 'ratio' = 'additive') => {
    if (wanted && !wanted.has(name)) return;
    const se = Math.sqrt(Math.max(deltaVariance(design, subgroups, f.gradient), 0));
    out[name] = kind === 'ratio' ? ratioMeasure(f.value, se) : additiveMeasure(f.value, se);
  };
  /** ∂μ/∂y = p, so a quotient f/μ has gradient ∇f/μ − f·p/μ². */
  const overMu = (f: Smooth): Smooth => ({ value: f.value / mu, gradient: f.gradient.map((g, k) => g / mu - (f.value * at(p, k)) / (mu * mu)) });

  if (options.pair) {
    const a = indexOfGroup(groups, options.pair[0], 'first of the pair');
    const b = indexOfGroup(groups, options.pair[1], 'second of the pair');
    const ya = at(y, a);
    const yb = at(y, b);
    const gD = zeros();
    gD[a] = 1;
    gD[b]! -= 1;
    put('D', { value: ya - yb, gradient: gD });
    const gR = zeros();
    gR[a] = 1 / yb;
    gR[b]! -= ya / (yb * yb);
    put('R', { value: ya / yb, gradient: gR }, 'ratio');
  }

  // BGV = Σ p(y − μ)²; with Σp = 1 its gradient is 2p_j(y_j − μ) − 2p_j Σ p(y − μ) (the second term is 0 then).
  const meanDeviation = y.reduce((total, yk, k) => total + at(p, k) * (yk - mu), 0);
  const bgv: Smooth = {
    value: y.reduce((total, yk, k) => total + at(p, k) * (yk - mu) ** 2, 0),
    gradient: y.map((yk, k) => 2 * at(p, k) * (yk - mu) - 2 * at(p, k) * meanDeviation),
  };
  put('BGV', bgv);
  const bgsdValue = Math.sqrt(bgv.value);
  const bgsd: Smooth = { value: bgsdValue, gradient: bgv.gradient.map((g) => g / (2 * bgsdValue)) };
  put('BGSD', bgsd);
  put('COV', overMu(bgsd));

  // Mean differences: |·| is smooth wherever no subgroup sits exactly on its comparator.
  const signsFromMean = y.map((yk) => Math.sign(yk - mu));
  const weightedSigns = signsFromMean.reduce((total, s, k) => total + at(p, k) * s, 0);
  const mdmw: Smooth = {
    value: y.reduce((total, yk, k) => total + at(p, k) * Math.abs(yk - mu), 0),
    gradient: signsFromMean.map((s, k) => at(p, k) * s - at(p, k) * weightedSigns),
  };
  put('MDMW', mdmw);
  const differenceFrom = (target: number): Smooth => {
    const yt = at(y, target);
    const gradient = zeros();
    let value = 0;
    for (let k = 0; k < K; k++) {
      if (k === target) continue;
      const s = Math.sign(at(y, k) - yt);
      value += at(p, k) * Math.abs(at(y, k) - yt);
      gradient[k]! += at(p, k) * s;
      gradient[target]! -= at(p, k) * s;
    }
    return { value, gradient };
  };
  put('MDBW', differenceFrom(best));
  put('MDRW', differenceFrom(reference));
  put('IDISW', overMu(mdmw));

  // TI = Σ p r ln r with r = y/μ: ∂/∂y_j = p_j(ln r_j + 1)/μ − (p_j/μ²) Σ p y (ln r + 1).
  const logRatio = y.map((yk) => Math.log(yk / mu));
  const tiInner = y.reduce((total, yk, k) => total + at(p, k) * yk * (at(logRatio, k) + 1), 0);
  put('TI', {
    value: y.reduce((total, yk, k) => total + at(p, k) * (yk / mu) * at(logRatio, k), 0),
    gradient: y.map((_, k) => (at(p, k) * (at(logRatio, k) + 1)) / mu - (at(p, k) * tiInner) / (mu * mu)),
  });
  // MLD = −Σ p ln y + (Σp) ln μ.
  put('MLD', {
    value: -logRatio.reduce((total, l, k) => total + at(p, k) * l, 0),
    gradient: y.map((yk, k) => -at(p, k) / yk + (sumShares * at(p, k)) / mu),
  });

  // PAF and PAR: the gain if everyone had the reference's level; 0 when the reference does not improve on μ.
  const yRef = at(y, reference);
  const improves = favourable ? yRef > mu : yRef < mu;
  if (improves) {
    const par: Smooth = { value: yRef - mu, gradient: p.map((pk, k) => (k === reference ? 1 : 0) - pk) };
    put('PAF', overMu(par));
    put('PAR', par);
  } else {
    if (!wanted || wanted.has('PAF')) out.PAF = additiveMeasure(0, 0);
    if (!wanted || wanted.has('PAR')) out.PAR = additiveMeasure(0, 0);
  }

  if (options.order) {
    const X = midRanks(groups, p, options.order);
    // Σ p(2X − 1)y over the ordered subgroups; shares (hence X) are held fixed.
    const aciGradient = y.map((_, k) => (Number.isNaN(X[k]) ? 0 : at(p, k) * (2 * at(X, k) - 1)));
    const aci: Smooth = { value: aciGradient.reduce((total, g, k) => total + g * at(y, k), 0), gradient: aciGradient };
    put('ACI', aci);
    put('RCI', overMu(aci));
  }
  return out;
}

// ---- SII and RII: regression of the outcome on the subgroup's mid-rank ----

export interface RankRegression {
  /** Intercept and slope on the mid-rank X (logit scale for 0/1 outcomes). */
  beta: [number, number];
  /** Design-based covariance of beta (row-major 2×2), as vcov(svyglm(...)). */
  vcov: [number, number, number, number];
  link: 'logit' | 'identity';
}

/**
 * svyglm(y ~ X, design, family = quasibinomial() for 0/1 outcomes or gaussian()) on a subset design, where X is the
 * subgroup's mid-rank. X is constant within a subgroup, so the fit needs only subgroup sums and the sandwich only the
 * (PSU, subgroup) cells. Subgroups with a non-finite rank are left out (zero weight, design kept).
 */
export function fitRankRegression(design: SurveyDesign, subgroups: SubgroupEstimates, groupRanks: ArrayLike<number>, link: 'logit' | 'identity'): RankRegression {
  const K = subgroups.estimates.length;
  const included = (g: number) => Number.isFinite(groupRanks[g]) && at(subgroups.n, g) > 0;
  let b0 = 0;
  let b1 = 0;
  const fitted = (x: number) => (link === 'logit' ? logistic(b0 + b1 * x) : b0 + b1 * x);
  const information = () => {
    let a00 = 0;
    let a01 = 0;
    let a11 = 0;
    let r0 = 0;
    let r1 = 0;
    for (let g = 0; g < K; g++) {
      if (!included(g)) continue;
      const x = at(groupRanks, g);
      const W = at(subgroups.sumWeights, g);
      const mu = fitted(x);
      const v = link === 'logit' ? mu * (1 - mu) : 1;
      // Σ w(y − μ) over the subgroup = W(ȳ_g − μ_g).
      const residual = W * (at(subgroups.estimates, g) - mu);
      a00 += W * v;
      a01 += W * v * x;
      a11 += W * v * x * x;
      r0 += residual;
      r1 += residual * x;
    }
    return { a00, a01, a11, r0, r1 };
  };
  let converged = false;
  for (let iteration = 0; iteration < 100; iteration++) {
    const { a00, a01, a11, r0, r1 } = information();
    // Newton step (Fisher scoring for the canonical links).
    const det = a00 * a11 - a01 * a01;
    const d0 = (a11 * r0 - a01 * r1) / det;
    const d1 = (a00 * r1 - a01 * r0) / det;
    b0 += d0;
    b1 += d1;
    if (!Number.isFinite(b0 + b1)) break;
    if (Math.abs(d0) + Math.abs(d1) < 1e-13 * (1 + Math.abs(b0) + Math.abs(b1))) {
      converged = true;
      break;
    }
  }
  if (!converged) throw new ModelError('not_converged', 'The regression on the mid-rank did not converge (an outcome that is the same for everyone?).');
  const { a00, a01, a11 } = information();
  const det = a00 * a11 - a01 * a01;
  const bread = [a11 / det, -a01 / det, -a01 / det, a00 / det] as const;
  const { cells } = subgroups;
  const { psus, scores } = psuTotals(design, cells, 2, (c, into, offset) => {
    const g = at(cells.group, c);
    if (!included(g)) return;
    const x = at(groupRanks, g);
    const residual = at(cells.sumWY, c) - fitted(x) * at(cells.sumWeights, c);
    into[offset]! += (bread[0] + bread[1] * x) * residual;
    into[offset + 1]! += (bread[2] + bread[3] * x) * residual;
  });
  const v = designCovariance(design, 2, psus, scores);
  return { beta: [b0, b1], vcov: [at(v, 0), at(v, 1), at(v, 2), at(v, 3)], link };
}

/** SII (prediction at X = 1 minus at X = 0) and RII (their ratio) with delta-method SEs. */
export function slopeIndices(fit: RankRegression): { SII: Measure; RII: Measure } {
  const [b0, b1] = fit.beta;
  let at0: number;
  let at1: number;
  let gradientSii: [number, number];
  let gradientRii: [number, number];
  if (fit.link === 'logit') {
    at0 = logistic(b0);
    at1 = logistic(b0 + b1);
    const d0 = at0 * (1 - at0);
    const d1 = at1 * (1 - at1);
    gradientSii = [d1 - d0, d1];
    const rii = at1 / at0;
    gradientRii = [rii * (at0 - at1), rii * (1 - at1)];
  } else {
    at0 = b0;
    at1 = b0 + b1;
    gradientSii = [0, 1];
    gradientRii = [-b1 / (b0 * b0), 1 / b0];
  }
  const se = (g: [number, number]) => Math.sqrt(Math.max(quadraticForm(Float64Array.from(g), Float64Array.from(fit.vcov)), 0));
  return { SII: additiveMeasure(at1 - at0, se(gradientSii)), RII: ratioMeasure(at1 / at0, se(gradientRii)) };
}

/** Multiplies a measure for display (×100 for percentage points, ×1000 for TI and MLD): estimate, SE and CI alike. */
export function scaleMeasure(measure: Measure, factor: number): Measure {
  return { estimate: measure.estimate * factor, se: measure.se * factor, ci: [measure.ci[0] * factor, measure.ci[1] * factor] };
}

// ---- The oracle spec format (tests/fixtures/oracle/README.md, "Inequality spec") ----

export interface SubsetCondition {
  var: string;
  value: string | number;
}

export interface InequalitySpec {
  ids: string;
  strata: string | null;
  weights: string;
  nest?: boolean;
  outcome: string;
  dimension: string;
  /** The domain (a subpopulation, not dropped rows); a list means every condition holds (our extension). */
  subset?: SubsetCondition | SubsetCondition[] | null;
  favourable: boolean;
  order?: string[] | null;
  pair?: [string, string] | null;
  reference?: string | null;
}


/** The inequality spec end to end: design, domain, subgroups with covariance, every measure. Unscaled. */
export function runInequalitySpec(table: DataTable, spec: InequalitySpec) {
  if (typeof spec.dimension !== 'string' || typeof spec.outcome !== 'string') throw new ModelError('invalid_spec', 'An inequality spec needs "dimension" and "outcome".');
  const weights = numericColumn(table, spec.weights);
  const strata = spec.strata ? labelColumn(table, spec.strata) : new Array<string>(table.nrow).fill('1');
  const design = createSurveyDesign(weights, strata.map((s) => s ?? ''), labelColumn(table, spec.ids).map((s) => s ?? ''));
  const y = numericColumn(table, spec.outcome);
  const dimension = labelColumn(table, spec.dimension);
  const conditions = (spec.subset == null ? [] : Array.isArray(spec.subset) ? spec.subset : [spec.subset]).map((condition) => {
    if (typeof condition?.var !== 'string' || condition.value === undefined) throw new ModelError('invalid_spec', 'Each subset condition needs "var" and "value".');
    return { labels: labelColumn(table, condition.var), value: String(condition.value) };
  });
  const inDomain = (i: number) => conditions.every((condition) => condition.labels[i] === condition.value);

  const groups = [...new Set(dimension.filter((g, i): g is string => g !== null && inDomain(i) && !Number.isNaN(at(y, i))))].sort(byteOrder);
  if (groups.length < 2) throw new ModelError('too_few_cases', `The domain has fewer than two subgroups of "${spec.dimension}" with the outcome observed.`);
  const groupIndex = new Map(groups.map((g, k) => [g, k]));
  const groupOf = Int32Array.from(dimension, (g, i) => (g !== null && inDomain(i) ? (groupIndex.get(g) ?? -1) : -1));
  const subgroups = estimateSubgroups(design, y, groupOf, groups.length);

  const binary = y.every((v) => Number.isNaN(v) || v === 0 || v === 1);
  const order = Array.isArray(spec.order) && spec.order.length > 0 ? spec.order : null;
  const pair = Array.isArray(spec.pair) && spec.pair.length === 2 ? ([String(spec.pair[0]), String(spec.pair[1])] as [string, string]) : null;
  const reference = typeof spec.reference === 'string' || typeof spec.reference === 'number' ? String(spec.reference) : null;
  const measures = summaryMeasures(design, subgroups, { groups, favourable: spec.favourable !== false, order, pair, reference });
  if (order) {
    const X = midRanks(groups, subgroups.shares, order);
    Object.assign(measures, slopeIndices(fitRankRegression(design, subgroups, X, binary ? 'logit' : 'identity')));
  }
  const covariance = subgroupCovariance(design, subgroups);
  const overall = surveyMean(design, y, (i) => at(groupOf, i) >= 0);
  const best = bestSubgroup(subgroups.estimates, spec.favourable !== false);
  return {
    overall: { estimate: overall.estimate, se: overall.se },
    subgroups: groups.map((group, k) => ({
      group,
      estimate: at(subgroups.estimates, k),
      se: Math.sqrt(at(covariance, k * groups.length + k)),
      share: at(subgroups.shares, k),
      n: at(subgroups.n, k),
    })),
    best: groups[best] as string,
    reference: reference ?? (groups[best] as string),
    measures,
  };
}
