// Gauss-Hermite quadrature: the plug-in mediation effects integrate against e^(-x^2), the random-intercept logit's
// adaptive quadrature against the standard normal density (as lme4's GHrule).
import { ModelError } from './types';

/** Nodes and weights of Gauss–Hermite quadrature for the weight e^(-x^2) (Newton on the orthonormal recurrence). */
export function gaussHermite(order: number): { nodes: Float64Array; weights: Float64Array } {
  const nodes = new Float64Array(order);
  const weights = new Float64Array(order);
  const piToMinusQuarter = Math.PI ** -0.25;
  let z = 0;
  for (let i = 0; i < (order + 1) >> 1; i++) {
    // Starting guesses of Numerical Recipes' gauher, each from the previous roots.
    if (i === 0) z = Math.sqrt(2 * order + 1) - 1.85575 * (2 * order + 1) ** -0.16667;
    else if (i === 1) z -= (1.14 * order ** 0.426) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * (nodes[0] as number);
    else if (i === 3) z = 1.91 * z - 0.91 * (nodes[1] as number);
    else z = 2 * z - (nodes[i - 2] as number);
    let derivative = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      let p1 = piToMinusQuarter;
      let p2 = 0;
      for (let j = 1; j <= order; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / j) * p2 - Math.sqrt((j - 1) / j) * p3;
      }
      derivative = Math.sqrt(2 * order) * p2;
      const previous = z;
      z = previous - p1 / derivative;
      if (Math.abs(z - previous) <= 1e-15 * Math.max(1, Math.abs(z))) break;
    }
    nodes[i] = z;
    nodes[order - 1 - i] = -z;
    weights[i] = 2 / (derivative * derivative);
    weights[order - 1 - i] = weights[i] as number;
  }
  return { nodes, weights };
}

/** Nodes and weights for the standard normal density (weights sum to 1), ascending, as lme4's GHrule(k). */
export function gaussHermiteNormal(k: number): { z: Float64Array; w: Float64Array } {
  if (!Number.isInteger(k) || k < 1 || k > 100) throw new ModelError('invalid_spec', `nAGQ must be a whole number from 1 to 100 (got ${k}).`);
  const { nodes, weights } = gaussHermite(k);
  const z = new Float64Array(k);
  const w = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    z[i] = Math.SQRT2 * (nodes[k - 1 - i] as number);
    w[i] = (weights[k - 1 - i] as number) / Math.sqrt(Math.PI);
  }
  if (k % 2 === 1) z[(k - 1) / 2] = 0;
  return { z, w };
}
