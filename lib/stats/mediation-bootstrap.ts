// The mediation's seeded percentile bootstrap: replicates of the paths and the plug-in effects, run in ranges so that
// a worker thread can take part of them (lib/jobs/entries/bootstrap.ts), and R's type-7 quantiles for the intervals.
import { addUnitPotentialOutcomes, effectsFromMeans, nodeFactors, SQRT_PI } from './mediation-effects';
import { hessianOf } from './mediation-paths';
import { type BootstrapInterval, type BootstrapPlan, EFFECT_KEYS, type EffectKey, type MediationResult, type PathFit, type PluginEffects, type PluginModel, type ReplicateRunner } from './mediation-types';
import { drawBootstrapCounts, mulberry32At } from './random';
import { createResampledGlmSolver, createResampleGatherer, PANEL_ROWS, panelLinearPredictorPair, type ResampledFit, solveJointly } from './resampled-glm';
import { type MediationSpec, ModelError } from './types';

/** R's quantile(type = 7) of an ascending array. */
export function quantileType7(sorted: ArrayLike<number>, probability: number): number {
  const h = (sorted.length - 1) * probability;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/** Values per replicate in the runner's output: a·b, then the four mean potential outcomes mean(t, t'), 2 t + t'. */
export const REPLICATE_STRIDE = 5;

/**
 * The refits' tolerance, 1e-8 SE: every replicate lands within about 3e-10 relative of R's glm at epsilon = 1e-12 (the
 * main fit's criterion), and the percentile CIs of a·b and of the counterfactual effects within 1e-9. The solver's
 * default (5e-5 SE, tuned for speed) leaves replicates 2e-6 apart and CIs up to several 1e-6 off; 1e-6 SE still left
 * an ACME CI 3e-7 off on 3,000 rows. It costs about a quarter more refit passes.
 */
export const BOOTSTRAP_REFIT_TOLERANCE = 1e-8;

/**
 * For replicates from (inclusive) to to (exclusive), REPLICATE_STRIDE values each: a·b and the replicate's four mean
 * potential outcomes (both models refitted on the resample, averaged over its rows, as mediate(boot = TRUE)); NaN
 * where a resample could not be fitted. Pure.
 */
export function runBootstrapReplicates(plan: BootstrapPlan, from: number, to: number): Float64Array {
  const { frameA, frameB, cluster, units } = plan;
  const n = frameA.n;
  // The mediator model's columns are the outcome model's without the mediator: one gathered resample serves both.
  const columnIndex = Int32Array.from(frameA.terms, (term) => frameB.terms.indexOf(term));
  if (columnIndex.some((k) => k < 0)) throw new ModelError('invalid_spec', 'The mediator model has terms the outcome model lacks.');
  const gather = createResampleGatherer(frameB.X, n, frameB.p);
  // The full-sample Hessians are the fits' own X'WX (the inverse of their unscaled covariance), not recomputed.
  const solverA = createResampledGlmSolver(frameA, plan.mediatorFamily, plan.betaA, { columnIndex, hessian: plan.hessianA, tol: plan.refitTolerance });
  const solverB = createResampledGlmSolver(frameB, plan.outcomeFamily, plan.betaB, { hessian: plan.hessianB, tol: plan.refitTolerance });
  const aIndex = frameA.terms.indexOf(plan.treatment);
  const bIndex = frameB.terms.indexOf(plan.mediator);
  // Replicate r takes stream positions r*units ... (r+1)*units - 1, so any range draws what the sequential run draws.
  const uniform = mulberry32At(plan.seed, from * units);
  const unitCounts = new Int32Array(units);
  const rowCounts = cluster ? new Int32Array(n) : unitCounts;
  const values = new Float64Array(Math.max(0, to - from) * REPLICATE_STRIDE);
  const sums = new Float64Array(4);
  const pA = frameA.p;
  const pB = frameB.p;
  const treatmentColumn = frameB.terms.indexOf(plan.treatment);
  const mediatorEtas = new Float64Array(n);
  const outcomeEtas = new Float64Array(n);
  const expandedA = new Float64Array(pB);
  const panelOffsets = new Int32Array(pB);
  const ruleWeights = plan.plugin.weights;
  const pairCount = Math.floor(ruleWeights.length / 2);
  const oddNode = ruleWeights.length % 2 === 1 ? ruleWeights.length - 1 : -1;
  const pairA = new Float64Array(pairCount);
  const pairC = new Float64Array(pairCount);
  const pairG = new Float64Array(pairCount);
  const pairQ = new Float64Array(pairCount);
  for (let r = from; r < to; r++) {
    drawBootstrapCounts(uniform, units, unitCounts);
    if (cluster) for (let i = 0; i < n; i++) rowCounts[i] = unitCounts[cluster[i] as number] as number;
    const slot = (r - from) * REPLICATE_STRIDE;
    try {
      const resample = gather(rowCounts);
      const [fitAStar, fitBStar] = solveJointly(resample, [solverA, solverB]) as [ResampledFit, ResampledFit];
      const aStar = fitAStar.beta[aIndex] as number;
      const bStar = fitBStar.beta[bIndex] as number;
      values[slot] = aStar * bStar;
      // The replicate's plug-in effects over its own rows; a linear mediator's sigma from its refit on the resample.
      // Both linear predictors from one read of each panel (the refits' kernel, the mediator model's coefficients
      // spread over the outcome model's columns), and the mediator's residual sum of squares, which its sigma needs
      // before any unit's potential outcomes can be evaluated.
      const m = resample.m;
      expandedA.fill(0);
      for (let k = 0; k < pA; k++) expandedA[columnIndex[k] as number] = fitAStar.beta[k] as number;
      let rss = 0;
      let cases = 0;
      for (let start = 0; start < m; start += PANEL_ROWS) {
        const len = Math.min(PANEL_ROWS, m - start);
        const base = start * pB;
        for (let c = 0; c < pB; c++) panelOffsets[c] = base + c * len;
        panelLinearPredictorPair(resample.data, panelOffsets, pB, len, expandedA, fitBStar.beta, mediatorEtas.subarray(start, start + len), outcomeEtas.subarray(start, start + len));
        for (let j = start; j < start + len; j++) {
          const row = resample.rows[j] as number;
          const w = (resample.counts[j] as number) * (frameA.weights ? (frameA.weights[row] as number) : 1);
          if (w > 0) {
            rss += w * ((frameA.y[row] as number) - (mediatorEtas[j] as number)) ** 2;
            cases += resample.counts[j] as number;
          }
        }
      }
      const cPrimeStar = fitBStar.beta[treatmentColumn] as number;
      const model: PluginModel = { ...plan.plugin, a: aStar, b: bStar, cPrime: cPrimeStar, sigma: plan.mediatorFamily === 'gaussian' ? Math.sqrt(rss / (cases - pA)) : null };
      sums.fill(0);
      const factors = nodeFactors(model);
      if (factors) {
        for (let q = 0; q < pairCount; q++) {
          const f1 = factors[2 * q] as number;
          const f2 = factors[2 * q + 1] as number;
          const w1 = ruleWeights[2 * q] as number;
          const w2 = ruleWeights[2 * q + 1] as number;
          pairA[q] = w1 + w2;
          pairC[q] = w1 * f2 + w2 * f1;
          pairG[q] = f1 + f2;
          pairQ[q] = f1 * f2;
        }
      }
      // exp(-(outcome0 + c' t + b (mediator0 + a t'))) = E kC^t kA^t': one exp per unit for its four potential outcomes.
      const kC = Math.exp(-cPrimeStar);
      const kA = Math.exp(-bStar * aStar);
      const oddWeight = oddNode >= 0 ? (ruleWeights[oddNode] as number) : 0;
      const oddFactor = oddNode >= 0 && factors ? (factors[oddNode] as number) : 0;
      let weightSum = 0;
      for (let start = 0; start < m; start += PANEL_ROWS) {
        const len = Math.min(PANEL_ROWS, m - start);
        const base = start * pB;
        const treatmentOffset = base + treatmentColumn * len - start;
        const mediatorOffset = base + bIndex * len - start;
        for (let j = start; j < start + len; j++) {
          const row = resample.rows[j] as number;
          const w = (resample.counts[j] as number) * (frameA.weights ? (frameA.weights[row] as number) : 1);
          if (w === 0) continue;
          weightSum += w;
          const observedT = resample.data[treatmentOffset + j] as number;
          const observedM = resample.data[mediatorOffset + j] as number;
          if (factors) {
            // The common case (linear mediator, logit outcome) inline, the nodes in pairs with one division each:
            // w1/(1+e f1) + w2/(1+e f2) = (A + e C) / (1 + e G + e^2 Q).
            const mediator0 = (mediatorEtas[j] as number) - aStar * observedT;
            const outcome0 = (outcomeEtas[j] as number) - cPrimeStar * observedT - bStar * observedM;
            const e00 = Math.exp(-(outcome0 + bStar * mediator0));
            const e01 = e00 * kA;
            const e10 = e00 * kC;
            const e11 = e10 * kA;
            if (e00 > 0 && e00 < 1e150 && e01 > 0 && e01 < 1e150 && e10 > 0 && e10 < 1e150 && e11 > 0 && e11 < 1e150) {
              let v00 = 0;
              let v01 = 0;
              let v10 = 0;
              let v11 = 0;
              for (let q = 0; q < pairCount; q++) {
                const A = pairA[q] as number;
                const C = pairC[q] as number;
                const G = pairG[q] as number;
                const Q = pairQ[q] as number;
                v00 += (A + e00 * C) / (1 + e00 * (G + e00 * Q));
                v01 += (A + e01 * C) / (1 + e01 * (G + e01 * Q));
                v10 += (A + e10 * C) / (1 + e10 * (G + e10 * Q));
                v11 += (A + e11 * C) / (1 + e11 * (G + e11 * Q));
              }
              if (oddNode >= 0) {
                v00 += oddWeight / (1 + e00 * oddFactor);
                v01 += oddWeight / (1 + e01 * oddFactor);
                v10 += oddWeight / (1 + e10 * oddFactor);
                v11 += oddWeight / (1 + e11 * oddFactor);
              }
              sums[0]! += (w * v00) / SQRT_PI;
              sums[1]! += (w * v01) / SQRT_PI;
              sums[2]! += (w * v10) / SQRT_PI;
              sums[3]! += (w * v11) / SQRT_PI;
              continue;
            }
          }
          // Other model families, and linear predictors so extreme that the products above would over- or underflow.
          addUnitPotentialOutcomes(model, factors, sums, w, mediatorEtas[j] as number, observedT, outcomeEtas[j] as number, observedM);
        }
      }
      for (let k = 0; k < 4; k++) values[slot + 1 + k] = (sums[k] as number) / weightSum;
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      values.fill(Number.NaN, slot, slot + REPLICATE_STRIDE); // a resample that cannot be fitted (e.g. separation) is left out and counted
    }
  }
  return values;
}

export const sequentialReplicates: ReplicateRunner = (plan, B) => runBootstrapReplicates(plan, 0, B);

export function bootstrapIndirect(
  spec: MediationSpec,
  fitA: PathFit,
  fitB: PathFit,
  B: number,
  estimate: number,
  plugin: PluginEffects,
  pluginModel: PluginModel,
  replicateRunner: ReplicateRunner,
): MediationResult['bootstrap'] {
  const started = performance.now();
  const cluster = spec.cluster ? fitA.frame.cluster : null;
  const plan: BootstrapPlan = {
    frameA: fitA.frame,
    frameB: fitB.frame,
    mediatorFamily: spec.mediator_family,
    outcomeFamily: spec.outcome_family,
    betaA: fitA.core.beta,
    betaB: fitB.core.beta,
    hessianA: hessianOf(fitA),
    hessianB: hessianOf(fitB),
    treatment: spec.treatment,
    mediator: spec.mediator,
    seed: spec.seed,
    units: cluster ? fitA.frame.clusterLevels.length : fitA.frame.n,
    cluster,
    refitTolerance: BOOTSTRAP_REFIT_TOLERANCE,
    plugin: pluginModel,
  };
  const all = replicateRunner(plan, B);
  const fitted: number[] = [];
  for (let r = 0; r < B; r++) if (!Number.isNaN(all[r * REPLICATE_STRIDE])) fitted.push(r);
  const values = fitted.map((r) => all[r * REPLICATE_STRIDE] as number);
  const failed = B - values.length;
  const effects = {} as Record<EffectKey, BootstrapInterval>;
  const replicateEffects = fitted.map((r) => effectsFromMeans(all.subarray(r * REPLICATE_STRIDE + 1, (r + 1) * REPLICATE_STRIDE)));
  for (const key of EFFECT_KEYS) effects[key] = percentileInterval(plugin[key], replicateEffects.map((e) => e[key]));
  const sorted = Float64Array.from(values).sort();
  const count = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / count;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (count - 1));
  const below = values.filter((v) => v <= 0).length / count;
  const above = values.filter((v) => v >= 0).length / count;
  return {
    B,
    seed: spec.seed,
    rng: 'mulberry32',
    resampling: cluster ? 'clusters' : 'rows',
    estimate,
    mean,
    se: sd,
    ci_lower: quantileType7(sorted, 0.025),
    ci_upper: quantileType7(sorted, 0.975),
    quantile_type: 7,
    p_boot_two_sided: Math.min(1, 2 * Math.min(below, above)),
    failed,
    time_s: (performance.now() - started) / 1000,
    values,
    effects,
  };
}

function percentileInterval(estimate: number, replicates: number[]): BootstrapInterval {
  const sorted = Float64Array.from(replicates).sort();
  const mean = replicates.reduce((s, v) => s + v, 0) / replicates.length;
  const se = Math.sqrt(replicates.reduce((s, v) => s + (v - mean) ** 2, 0) / (replicates.length - 1));
  return { estimate, se, ci_lower: quantileType7(sorted, 0.025), ci_upper: quantileType7(sorted, 0.975) };
}
