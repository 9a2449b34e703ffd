// The g-formula plug-in effects of a mediation (ACME, ADE, total, proportion mediated): each unit's potential
// outcomes averaged over the mediator's distribution, by Gauss–Hermite quadrature for a continuous mediator.
import { logistic } from './link';
import type { PluginEffects, PluginModel } from './mediation-types';
import { gaussHermite } from './quadrature';
import type { ModelFrame } from './types';

export const SQRT_PI = Math.sqrt(Math.PI);

/**
 * exp(-b sqrt(2) sigma x_k) for each node: logistic(c + b sqrt(2) sigma x_k) = 1 / (1 + exp(-c) f_k), so a unit costs
 * one exp per potential outcome instead of one per node (what keeps 1,000 replicates at a full wave's size cheap).
 */
export function nodeFactors(model: PluginModel): Float64Array | null {
  if (model.mediatorFamily !== 'gaussian' || model.outcomeFamily !== 'binomial') return null;
  const spread = Math.SQRT2 * (model.sigma as number);
  return Float64Array.from(model.nodes, (x) => Math.exp(-model.b * spread * x));
}

/**
 * Adds w E g(t, M(t')) of one unit to sums[2 t + t'] for t, t' in {0, 1}: the outcome model's response at treatment t
 * with the mediator drawn from its model at treatment t'. The linear predictors are the unit's at its observed
 * treatment T and mediator M. Binary mediator: an exact two-point sum; linear mediator: Gauss–Hermite over its normal
 * error, or exactly E[M] when the outcome is linear too.
 */
export function addUnitPotentialOutcomes(model: PluginModel, factors: Float64Array | null, sums: Float64Array, w: number, mediatorEta: number, observedT: number, outcomeEta: number, observedM: number): void {
  const { a, b, cPrime, nodes, weights } = model;
  const logitOutcome = model.outcomeFamily === 'binomial';
  for (let mediatorT = 0; mediatorT <= 1; mediatorT++) {
    const etaM = mediatorEta + a * (mediatorT - observedT);
    for (let outcomeT = 0; outcomeT <= 1; outcomeT++) {
      // Linear predictor of the outcome at treatment outcomeT and mediator value 0.
      const base = outcomeEta + cPrime * (outcomeT - observedT) - b * observedM;
      let value = 0;
      if (model.mediatorFamily === 'binomial') {
        const pm = logistic(etaM);
        value = logitOutcome ? pm * logistic(base + b) + (1 - pm) * logistic(base) : base + b * pm;
      } else if (!logitOutcome) {
        value = base + b * etaM;
      } else {
        const e = Math.exp(-(base + b * etaM));
        if (factors && e > 0 && Number.isFinite(e)) {
          for (let k = 0; k < nodes.length; k++) value += (weights[k] as number) / (1 + e * (factors[k] as number));
        } else {
          const spread = Math.SQRT2 * (model.sigma as number);
          for (let k = 0; k < nodes.length; k++) value += (weights[k] as number) * logistic(base + b * (etaM + spread * (nodes[k] as number)));
        }
        value /= Math.sqrt(Math.PI);
      }
      sums[2 * outcomeT + mediatorT]! += w * value;
    }
  }
}

/** The effects from the four mean potential outcomes mean(t, t') = means[2 t + t']. */
export function effectsFromMeans(means: ArrayLike<number>): Omit<PluginEffects, 'mediator_sigma' | 'gh_nodes' | 'control_value' | 'treat_value'> {
  const mean = (t: number, tm: number) => means[2 * t + tm] as number;
  const acmeControl = mean(0, 1) - mean(0, 0);
  const acmeTreated = mean(1, 1) - mean(1, 0);
  const adeControl = mean(1, 0) - mean(0, 0);
  const adeTreated = mean(1, 1) - mean(0, 1);
  const total = mean(1, 1) - mean(0, 0);
  return {
    acme_control: acmeControl,
    acme_treated: acmeTreated,
    ade_control: adeControl,
    ade_treated: adeTreated,
    total,
    acme_avg: (acmeControl + acmeTreated) / 2,
    ade_avg: (adeControl + adeTreated) / 2,
    prop_mediated_control: acmeControl / total,
    prop_mediated_treated: acmeTreated / total,
    prop_mediated_avg: (acmeControl + acmeTreated) / 2 / total,
  };
}

/** Mean potential outcomes over the full sample (case weights = prior weights). */
export function fullSampleMeans(model: PluginModel, frames: { mediator: ModelFrame; outcome: ModelFrame }, etas: { mediator: Float64Array; outcome: Float64Array }, treatment: string, mediator: string): Float64Array {
  const { mediator: frameA, outcome: frameB } = frames;
  const treatmentColumn = frameA.terms.indexOf(treatment);
  const mediatorColumn = frameB.terms.indexOf(mediator);
  const sums = new Float64Array(4);
  const factors = nodeFactors(model);
  let weightSum = 0;
  for (let i = 0; i < frameA.n; i++) {
    const w = frameA.weights ? (frameA.weights[i] as number) : 1;
    if (w === 0) continue;
    weightSum += w;
    addUnitPotentialOutcomes(model, factors, sums, w, etas.mediator[i] as number, frameA.X[i * frameA.p + treatmentColumn] as number, etas.outcome[i] as number, frameB.X[i * frameB.p + mediatorColumn] as number);
  }
  return sums.map((v) => v / weightSum);
}

/**
 * The fewest Gauss–Hermite nodes (of a ladder up to `order`) whose mean potential outcomes match the `order`-node ones
 * to 1e-13: the bootstrap evaluates the integral at every resampled row of every replicate, and the integrand (a
 * logistic of a normal) is smooth enough that 8 to 16 nodes usually reach the 64-node value.
 */
export function economicalRule(model: PluginModel, reference: Float64Array, evaluate: (rule: PluginModel) => Float64Array, order: number): PluginModel {
  if (model.mediatorFamily !== 'gaussian' || model.outcomeFamily !== 'binomial') return model;
  for (const k of [6, 8, 10, 12, 16, 20, 24, 32, 48]) {
    if (k >= order) break;
    const { nodes, weights } = gaussHermite(k);
    const rule = { ...model, nodes, weights };
    const means = evaluate(rule);
    if (means.every((m, j) => Math.abs(m - (reference[j] as number)) <= 1e-13 * Math.max(1, Math.abs(reference[j] as number)))) return rule;
  }
  return model;
}
