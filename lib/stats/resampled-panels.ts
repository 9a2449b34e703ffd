// The kernels of the resampled GLM refits (resampled-glm.ts): linear predictors and gradients over cache-sized panels
// of gathered rows with column loops unrolled by eight, the logit and linear scores, and the Anderson step.
import { cholesky, choleskySolve } from './linalg';

/** Rows per panel: a panel of p columns (about 130 kB at p = 32) stays in the L2 cache between the two loops of a pass. */
export const PANEL_ROWS = 512;

/**
 * Two models' linear predictors from one read of the panel, eight columns at a time (the columns beyond a multiple
 * of eight initialise the sums, so that no column needs a loop of its own).
 */
export function panelLinearPredictorPair(data: Float64Array, offsets: Int32Array, p: number, len: number, betaA: Float64Array, betaB: Float64Array, etaA: Float64Array, etaB: Float64Array): void {
  const blocked = p - (p % 8);
  if (blocked === p) {
    etaA.fill(0, 0, len);
    etaB.fill(0, 0, len);
  } else {
    const o = offsets[blocked] as number;
    const a = betaA[blocked] as number;
    const b = betaB[blocked] as number;
    for (let i = 0; i < len; i++) {
      const x = data[o + i] as number;
      etaA[i] = a * x;
      etaB[i] = b * x;
    }
    for (let k = blocked + 1; k < p; k++) {
      const o1 = offsets[k] as number;
      const a1 = betaA[k] as number;
      const b1 = betaB[k] as number;
      for (let i = 0; i < len; i++) {
        const x = data[o1 + i] as number;
        etaA[i] = (etaA[i] as number) + a1 * x;
        etaB[i] = (etaB[i] as number) + b1 * x;
      }
    }
  }
  for (let k = 0; k < blocked; k += 8) {
    const o0 = offsets[k] as number, o1 = offsets[k + 1] as number, o2 = offsets[k + 2] as number, o3 = offsets[k + 3] as number;
    const o4 = offsets[k + 4] as number, o5 = offsets[k + 5] as number, o6 = offsets[k + 6] as number, o7 = offsets[k + 7] as number;
    const a0 = betaA[k] as number, a1 = betaA[k + 1] as number, a2 = betaA[k + 2] as number, a3 = betaA[k + 3] as number;
    const a4 = betaA[k + 4] as number, a5 = betaA[k + 5] as number, a6 = betaA[k + 6] as number, a7 = betaA[k + 7] as number;
    const b0 = betaB[k] as number, b1 = betaB[k + 1] as number, b2 = betaB[k + 2] as number, b3 = betaB[k + 3] as number;
    const b4 = betaB[k + 4] as number, b5 = betaB[k + 5] as number, b6 = betaB[k + 6] as number, b7 = betaB[k + 7] as number;
    for (let i = 0; i < len; i++) {
      const x0 = data[o0 + i] as number, x1 = data[o1 + i] as number, x2 = data[o2 + i] as number, x3 = data[o3 + i] as number;
      const x4 = data[o4 + i] as number, x5 = data[o5 + i] as number, x6 = data[o6 + i] as number, x7 = data[o7 + i] as number;
      etaA[i] = (etaA[i] as number) + (a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3) + (a4 * x4 + a5 * x5 + a6 * x6 + a7 * x7);
      etaB[i] = (etaB[i] as number) + (b0 * x0 + b1 * x1 + b2 * x2 + b3 * x3) + (b4 * x4 + b5 * x5 + b6 * x6 + b7 * x7);
    }
  }
}

/** Two models' gradients from one read of the panel, four columns at a time (eight accumulators). */
export function panelGradientPair(data: Float64Array, offsets: Int32Array, p: number, len: number, sA: Float64Array, sB: Float64Array, gradientA: Float64Array, gradientB: Float64Array): void {
  let k = 0;
  for (; k + 4 <= p; k += 4) {
    const o0 = offsets[k] as number, o1 = offsets[k + 1] as number, o2 = offsets[k + 2] as number, o3 = offsets[k + 3] as number;
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
    for (let i = 0; i < len; i++) {
      const s = sA[i] as number;
      const t = sB[i] as number;
      const x0 = data[o0 + i] as number, x1 = data[o1 + i] as number, x2 = data[o2 + i] as number, x3 = data[o3 + i] as number;
      a0 += s * x0;
      a1 += s * x1;
      a2 += s * x2;
      a3 += s * x3;
      b0 += t * x0;
      b1 += t * x1;
      b2 += t * x2;
      b3 += t * x3;
    }
    gradientA[k]! += a0;
    gradientA[k + 1]! += a1;
    gradientA[k + 2]! += a2;
    gradientA[k + 3]! += a3;
    gradientB[k]! += b0;
    gradientB[k + 1]! += b1;
    gradientB[k + 2]! += b2;
    gradientB[k + 3]! += b3;
  }
  for (; k < p; k++) {
    const o = offsets[k] as number;
    let a = 0;
    let b = 0;
    for (let i = 0; i < len; i++) {
      const x = data[o + i] as number;
      a += (sA[i] as number) * x;
      b += (sB[i] as number) * x;
    }
    gradientA[k]! += a;
    gradientB[k]! += b;
  }
}

/** eta[0..len) = sum over the model's columns of beta_k x column k of the panel, eight columns at a time. */
export function panelLinearPredictor(data: Float64Array, offsets: Int32Array, p: number, len: number, beta: Float64Array, eta: Float64Array): void {
  eta.fill(0, 0, len);
  let k = 0;
  for (; k + 8 <= p; k += 8) {
    const o0 = offsets[k] as number, o1 = offsets[k + 1] as number, o2 = offsets[k + 2] as number, o3 = offsets[k + 3] as number;
    const o4 = offsets[k + 4] as number, o5 = offsets[k + 5] as number, o6 = offsets[k + 6] as number, o7 = offsets[k + 7] as number;
    const b0 = beta[k] as number, b1 = beta[k + 1] as number, b2 = beta[k + 2] as number, b3 = beta[k + 3] as number;
    const b4 = beta[k + 4] as number, b5 = beta[k + 5] as number, b6 = beta[k + 6] as number, b7 = beta[k + 7] as number;
    for (let i = 0; i < len; i++) {
      eta[i] =
        (eta[i] as number) +
        b0 * (data[o0 + i] as number) + b1 * (data[o1 + i] as number) + b2 * (data[o2 + i] as number) + b3 * (data[o3 + i] as number) +
        b4 * (data[o4 + i] as number) + b5 * (data[o5 + i] as number) + b6 * (data[o6 + i] as number) + b7 * (data[o7 + i] as number);
    }
  }
  for (; k < p; k++) {
    const o = offsets[k] as number;
    const b = beta[k] as number;
    for (let i = 0; i < len; i++) eta[i] = (eta[i] as number) + b * (data[o + i] as number);
  }
}

/** gradient_k += sum_i s_i x column k of the panel, eight columns at a time. */
export function panelGradient(data: Float64Array, offsets: Int32Array, p: number, len: number, s: Float64Array, gradient: Float64Array): void {
  let k = 0;
  for (; k + 8 <= p; k += 8) {
    const o0 = offsets[k] as number, o1 = offsets[k + 1] as number, o2 = offsets[k + 2] as number, o3 = offsets[k + 3] as number;
    const o4 = offsets[k + 4] as number, o5 = offsets[k + 5] as number, o6 = offsets[k + 6] as number, o7 = offsets[k + 7] as number;
    let g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0;
    for (let i = 0; i < len; i++) {
      const si = s[i] as number;
      g0 += si * (data[o0 + i] as number);
      g1 += si * (data[o1 + i] as number);
      g2 += si * (data[o2 + i] as number);
      g3 += si * (data[o3 + i] as number);
      g4 += si * (data[o4 + i] as number);
      g5 += si * (data[o5 + i] as number);
      g6 += si * (data[o6 + i] as number);
      g7 += si * (data[o7 + i] as number);
    }
    gradient[k]! += g0;
    gradient[k + 1]! += g1;
    gradient[k + 2]! += g2;
    gradient[k + 3]! += g3;
    gradient[k + 4]! += g4;
    gradient[k + 5]! += g5;
    gradient[k + 6]! += g6;
    gradient[k + 7]! += g7;
  }
  for (; k < p; k++) {
    const o = offsets[k] as number;
    let g = 0;
    for (let i = 0; i < len; i++) g += (s[i] as number) * (data[o + i] as number);
    gradient[k]! += g;
  }
}

/** Turns eta into w (y - logistic(eta)) in place, for rows start..start+len of the weight and outcome buffers. */
export function logitScores(eta: Float64Array, weight: Float64Array, outcome: Float64Array, start: number, len: number): void {
  for (let j = 0; j < len; j++) eta[j] = (weight[start + j] as number) * ((outcome[start + j] as number) - 1 / (1 + Math.exp(-(eta[j] as number))));
}

/** Turns eta into w (y - eta) in place. */
export function linearScores(eta: Float64Array, weight: Float64Array, outcome: Float64Array, start: number, len: number): void {
  for (let j = 0; j < len; j++) eta[j] = (weight[start + j] as number) * ((outcome[start + j] as number) - (eta[j] as number));
}

/** Anderson mixing: beta = G_k - dG gamma, gamma = argmin |f_k - dF gamma| (small normal equations, ridge-guarded). */
export function andersonStep(image: Float64Array, f: Float64Array, histF: Float64Array[], histG: Float64Array[], p: number): Float64Array {
  const m = histF.length;
  if (m === 0) return image;
  const gram = new Float64Array(m * m);
  const rhs = new Float64Array(m);
  let trace = 0;
  for (let a = 0; a < m; a++) {
    const fa = histF[a] as Float64Array;
    for (let b = a; b < m; b++) {
      const fb = histF[b] as Float64Array;
      let s = 0;
      for (let k = 0; k < p; k++) s += (fa[k] as number) * (fb[k] as number);
      gram[a * m + b] = s;
      gram[b * m + a] = s;
    }
    trace += gram[a * m + a] as number;
    let s = 0;
    for (let k = 0; k < p; k++) s += (fa[k] as number) * (f[k] as number);
    rhs[a] = s;
  }
  for (let a = 0; a < m; a++) gram[a * m + a]! += 1e-12 * trace;
  const L = cholesky(gram, m);
  if (!L) {
    // Degenerate history: restart the mixing from a plain fixed-point step.
    histF.length = 0;
    histG.length = 0;
    return image;
  }
  const gamma = choleskySolve(L, m, rhs);
  const next = Float64Array.from(image);
  for (let a = 0; a < m; a++) {
    const ga = histG[a] as Float64Array;
    const coefficient = gamma[a] as number;
    for (let k = 0; k < p; k++) next[k]! -= coefficient * (ga[k] as number);
  }
  return next;
}
