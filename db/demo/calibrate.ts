// Calibration tools of the synthetic national waves: intercepts, items and quantiles fitted to published weighted
// figures (db/calibration-targets.json), so that the generator's weighted estimates reproduce them.
import { logistic, logit, type Random } from './random';

/** Solves for the intercept a whose weighted mean of logistic(a + eta) over rows equals target (Newton, bracketed). */
export function calibrateIntercept(eta: Float64Array, weights: Float64Array, rows: Iterable<number>, target: number): number {
  let lo = -20;
  let hi = 20;
  let a = logit(Math.min(0.999, Math.max(0.001, target)));
  for (let iter = 0; iter < 100; iter++) {
    let total = 0;
    let gap = 0;
    let slope = 0;
    for (const i of rows) {
      const w = weights[i]!;
      const p = 1 / (1 + Math.exp(-(a + eta[i]!)));
      total += w;
      gap += w * p;
      slope += w * p * (1 - p);
    }
    gap = gap / total - target;
    if (Math.abs(gap) < 1e-12) break;
    if (gap < 0) lo = a;
    else hi = a;
    const newton = a - gap / (slope / total);
    a = newton > lo && newton < hi ? newton : (lo + hi) / 2;
  }
  return a;
}

/** Weighted quantiles of values. */
export function weightedQuantiles(values: Float64Array, weights: Float64Array, probs: number[]): number[] {
  const order = Array.from(values.keys()).sort((a, b) => values[a]! - values[b]!);
  const total = weights.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  let cumulative = 0;
  let p = 0;
  for (const i of order) {
    cumulative += weights[i]!;
    while (p < probs.length && cumulative >= probs[p]! * total) {
      out.push(values[i]!);
      p++;
    }
  }
  while (out.length < probs.length) out.push(values[order[order.length - 1]!]!);
  return out;
}

/** Turns a latent score into a 1–4 item whose weighted mean and SD match the published ones. */
export function calibratedItem(latent: Float64Array, weights: Float64Array, mean: number, sd: number): Int8Array {
  const out = new Int8Array(latent.length);
  let m = mean;
  let s = sd;
  for (let iter = 0; iter < 40; iter++) {
    let sw = 0;
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < latent.length; i++) {
      const v = Math.min(4, Math.max(1, Math.round(m + s * latent[i]!)));
      out[i] = v;
      const w = weights[i]!;
      sw += w;
      s1 += w * v;
      s2 += w * v * v;
    }
    const gotMean = s1 / sw;
    const gotSd = Math.sqrt(Math.max(s2 / sw - gotMean * gotMean, 1e-9));
    if (Math.abs(gotMean - mean) < 1e-4 && Math.abs(gotSd - sd) < 1e-4) break;
    m += mean - gotMean;
    s *= sd / gotSd;
  }
  return out;
}

export function bernoulliColumn(random: Random, eta: Float64Array, intercept: number): Int8Array {
  return Int8Array.from(eta, (e) => random.bernoulli(logistic(intercept + e)));
}

export const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** Centres and scales values in place to mean 0 and SD 1 (population SD). */
export function standardise(values: Float64Array): void {
  let mean = 0;
  for (const v of values) mean += v / values.length;
  let variance = 0;
  for (const v of values) variance += (v - mean) ** 2 / values.length;
  const sd = Math.sqrt(variance);
  for (let k = 0; k < values.length; k++) values[k] = (values[k]! - mean) / sd;
}
