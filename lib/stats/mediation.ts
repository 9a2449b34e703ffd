// Mediation by the product of coefficients (Baron & Kenny paths a, b, c, c'), with the Sobel, Aroian and Goodman
// tests and a seeded percentile bootstrap of a*b. Seed 000's question: do basic public health services raise
// integration through self-rated health?
import { normalQuantile, normalTwoSidedP } from './distributions';
import { fitGlm, fitGlmCore } from './glm';
import { buildModelFrame } from './model-frame';
import { mulberry32 } from './random';
import { ModelError, type CoefficientRow, type DataTable, type Family, type FitResult, type MediationSpec, type ModelFrame, type ModelSpec } from './types';

interface PathRow extends CoefficientRow {
  term: string;
  family: Family;
}

export interface MediationResult {
  baron_kenny: { c_total: PathRow; a: PathRow; b: PathRow; c_prime: PathRow; indirect_ab: number; diff_c_minus_cprime: number };
  indirect_tests: Record<'sobel' | 'aroian' | 'goodman', { se: number; z: number; p: number; ci_lower: number; ci_upper: number }>;
  bootstrap: { B: number; seed: number; rng: string; estimate: number; mean: number; se: number; ci_lower: number; ci_upper: number; values: number[] };
  n: number;
  warnings: string[];
}

/** R's quantile(type = 7). */
export function quantileType7(sorted: readonly number[], probability: number): number {
  const h = (sorted.length - 1) * probability;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

function subsetTable(table: DataTable, rows: Int32Array): DataTable {
  const columns = new Map<string, Float64Array | (string | null)[]>();
  for (const [name, column] of table.columns) {
    columns.set(name, column instanceof Float64Array ? Float64Array.from(rows, (r) => column[r] as number) : Array.from(rows, (r) => column[r] ?? null));
  }
  return { nrow: rows.length, columns };
}

function resampleFrame(frame: ModelFrame, indices: Int32Array, buffer: { X: Float64Array; y: Float64Array }): ModelFrame {
  const { p } = frame;
  for (let i = 0; i < indices.length; i++) {
    const source = indices[i] as number;
    buffer.X.set(frame.X.subarray(source * p, source * p + p), i * p);
    buffer.y[i] = frame.y[source] as number;
  }
  return { ...frame, X: buffer.X, y: buffer.y, weights: null, cluster: null };
}

function pathRow(fit: FitResult, term: string, family: Family): PathRow {
  const row = fit.coef[term];
  if (!row) throw new ModelError('invalid_spec', `The term ${term} was dropped from a mediation model (constant or collinear).`);
  return { term, family, ...row };
}

export function fitMediation(table: DataTable, spec: MediationSpec, options: { replicates?: number } = {}): MediationResult {
  const { treatment, mediator, outcome, covariates } = spec;
  const base = (outcomeName: string, family: Family, predictors: string[]): ModelSpec => ({ family, outcome: outcomeName, predictors, se: 'classical' });
  // One set of complete cases for all three models, so the paths are comparable.
  const complete = buildModelFrame(table, base(outcome, spec.outcome_family, [treatment, mediator, ...covariates]));
  const data = subsetTable(table, complete.rowsUsed);
  const frameTotal = buildModelFrame(data, base(outcome, spec.outcome_family, [treatment, ...covariates]));
  const frameA = buildModelFrame(data, base(mediator, spec.mediator_family, [treatment, ...covariates]));
  const frameB = buildModelFrame(data, base(outcome, spec.outcome_family, [treatment, mediator, ...covariates]));
  // Paths are converged tightly (glm.control(epsilon = 1e-12), as the reference fits), so the SEs do not depend on
  // where a looser criterion happens to stop.
  const tol = 1e-12;
  const fitTotal = fitGlm(frameTotal, { family: spec.outcome_family, tol });
  const fitA = fitGlm(frameA, { family: spec.mediator_family, tol });
  const fitB = fitGlm(frameB, { family: spec.outcome_family, tol });
  const a = pathRow(fitA, treatment, spec.mediator_family);
  const b = pathRow(fitB, mediator, spec.outcome_family);
  const cTotal = pathRow(fitTotal, treatment, spec.outcome_family);
  const cPrime = pathRow(fitB, treatment, spec.outcome_family);
  const ab = a.estimate * b.estimate;

  const z975 = normalQuantile(0.975);
  const test = (variance: number) => {
    const se = Math.sqrt(variance);
    const z = ab / se;
    return { se, z, p: normalTwoSidedP(z), ci_lower: ab - z975 * se, ci_upper: ab + z975 * se };
  };
  const base2 = b.estimate ** 2 * a.se ** 2 + a.estimate ** 2 * b.se ** 2;

  // Percentile bootstrap: replicate r takes n draws of the mulberry32 stream, row floor(u * n).
  const B = options.replicates ?? spec.boot_B;
  const n = data.nrow;
  if (n < 30) throw new ModelError('too_few_cases', `Mediation needs at least 30 complete cases; there are ${n}.`);
  const aIndex = frameA.terms.indexOf(treatment);
  const bIndex = frameB.terms.indexOf(mediator);
  const uniform = mulberry32(spec.seed);
  const indices = new Int32Array(n);
  const bufferA = { X: new Float64Array(n * frameA.p), y: new Float64Array(n) };
  const bufferB = { X: new Float64Array(n * frameB.p), y: new Float64Array(n) };
  const values: number[] = [];
  let failures = 0;
  for (let r = 0; r < B; r++) {
    for (let i = 0; i < n; i++) indices[i] = Math.floor(uniform() * n);
    try {
      const coreA = fitGlmCore(resampleFrame(frameA, indices, bufferA), spec.mediator_family, { tol });
      const coreB = fitGlmCore(resampleFrame(frameB, indices, bufferB), spec.outcome_family, { tol });
      values.push((coreA.beta[aIndex] as number) * (coreB.beta[bIndex] as number));
    } catch {
      failures += 1; // a resample that cannot be fitted (e.g. separation) is left out and counted
    }
  }
  const sorted = [...values].sort((x, y) => x - y);
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
  const warnings = [...fitB.warnings];
  if (failures > 0) warnings.push(`${failures} of ${B} bootstrap resamples could not be fitted and were left out.`);
  if (spec.rng && spec.rng !== 'mulberry32') warnings.push(`Resamples are drawn with mulberry32, not ${spec.rng}'s generator: the bootstrap CI agrees with R's only within Monte Carlo error.`);
  return {
    baron_kenny: { c_total: cTotal, a, b, c_prime: cPrime, indirect_ab: ab, diff_c_minus_cprime: cTotal.estimate - cPrime.estimate },
    indirect_tests: {
      sobel: test(base2),
      aroian: test(base2 + a.se ** 2 * b.se ** 2),
      goodman: test(base2 - a.se ** 2 * b.se ** 2),
    },
    bootstrap: { B, seed: spec.seed, rng: 'mulberry32', estimate: ab, mean, se: sd, ci_lower: quantileType7(sorted, 0.025), ci_upper: quantileType7(sorted, 0.975), values },
    n,
    warnings,
  };
}
