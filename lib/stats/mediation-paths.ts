// The mediation's path models: one GLM per path fitted tightly with the spec's SE type, its coefficient rows, the
// Hessian and linear predictor the bootstrap and the plug-in effects reuse, and a frame without one column.
import { normalQuantile, normalTwoSidedP, studentTQuantile, studentTTwoSidedP } from './distributions';
import { fitGlmCore, glmCovariances, SE_COVARIANCE_KEY } from './glm';
import { cholesky, choleskyInverse } from './linalg';
import type { PathFit, PathRow } from './mediation-types';
import { type Family, type MediationSpec, ModelError, type ModelFrame, type SeType } from './types';

export function hessianOf(fit: PathFit): Float64Array {
  const L = cholesky(fit.core.unscaledCovariance, fit.frame.p);
  if (!L) throw new ModelError('invalid_spec', 'The covariance of a path model is not positive definite.');
  return choleskyInverse(L, fit.frame.p);
}

/** The treatment's OLS coefficient (and SE) for the mediator: the mediator model itself when it is linear. */
export function linearMediatorPath(spec: MediationSpec, fitA: PathFit, seType: SeType): { estimate: number; se: number } {
  const linear = spec.mediator_family === 'gaussian' ? fitA : fitPath(fitA.frame, 'gaussian', seType);
  const row = pathRowOf(linear, spec.treatment, seType);
  return { estimate: row.estimate, se: row.se };
}

export function linearPredictor(frame: ModelFrame, beta: Float64Array): Float64Array {
  const { n, p, X } = frame;
  const eta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = 0; k < p; k++) sum += (X[i * p + k] as number) * (beta[k] as number);
    eta[i] = sum;
  }
  return eta;
}

export function fitPath(frame: ModelFrame, family: Family, seType: SeType): PathFit {
  // Converged tightly (glm.control(epsilon = 1e-12), as the reference fits), so the SEs do not depend on where a
  // looser criterion happens to stop.
  const core = fitGlmCore(frame, family, { tol: 1e-12 });
  // Only the covariance the paths report: the others would cost an n p^2 meat each.
  const vcov = glmCovariances(frame, family, core, seType)[SE_COVARIANCE_KEY[seType]];
  if (!vcov) throw new ModelError('invalid_spec', `Standard errors of type ${seType} need a cluster variable.`);
  return { frame, family, core, vcov };
}

/** The coefficient row of one term, with the reference distribution fitGlm uses (z for logit, t otherwise). */
export function pathRowOf(fit: PathFit, term: string, seType: SeType): PathRow {
  const { frame, family, core, vcov } = fit;
  const j = frame.terms.indexOf(term);
  if (j < 0) throw new ModelError('invalid_spec', `The term ${term} was dropped from a mediation model (constant or collinear, or a factor: the treatment and mediator must be numeric).`);
  const estimate = core.beta[j] as number;
  const se = Math.sqrt(vcov[j * frame.p + j] as number);
  const stat = estimate / se;
  const clusterType = seType === 'cluster' || seType === 'CL0' || seType === 'CL_HC1';
  const df = family === 'binomial' ? Infinity : clusterType ? frame.clusterLevels.length - 1 : frame.n - frame.p;
  const critical = Number.isFinite(df) ? studentTQuantile(0.975, df) : normalQuantile(0.975);
  return {
    term,
    family,
    estimate,
    se,
    stat,
    p: Number.isFinite(df) ? studentTTwoSidedP(stat, df) : normalTwoSidedP(stat),
    ci_lower: estimate - critical * se,
    ci_upper: estimate + critical * se,
  };
}

/** The frame without one design column (same rows), optionally with another outcome. */
export function withoutColumn(frame: ModelFrame, term: string, y: Float64Array = frame.y): ModelFrame {
  const drop = frame.terms.indexOf(term);
  const p = frame.p - 1;
  const X = new Float64Array(frame.n * p);
  for (let i = 0; i < frame.n; i++) {
    const source = i * frame.p;
    const target = i * p;
    for (let k = 0, c = 0; k < frame.p; k++) if (k !== drop) X[target + c++] = frame.X[source + k] as number;
  }
  return { ...frame, p, X, y, terms: frame.terms.filter((_, k) => k !== drop) };
}
