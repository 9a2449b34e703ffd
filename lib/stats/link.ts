// The logit link's inverse, written once for the engine: GLM fits, the random-intercept logit, margins, matching,
// mediation, survey regression and the inequality measures all map a linear predictor to a probability with it.

/** 1 / (1 + exp(-eta)). */
export function logistic(eta: number): number {
  return 1 / (1 + Math.exp(-eta));
}
