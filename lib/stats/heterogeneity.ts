// Subgroup heterogeneity of one effect: the model refitted within each level of a grouping variable (for a forest
// plot) and a Wald test of equal effects from the key x group interactions of the pooled model.
import { chiSquareUpperTail } from './distributions';
import { DEFAULT_GLM_TOLERANCE, fitGlm, fitGlmCore, glmCovariances, SE_COVARIANCE_KEY } from './glm';
import { fitRandomInterceptLogit } from './glmm';
import { cholesky, choleskySolve } from './linalg';
import { fitLinearMixedModel } from './lmm';
import { buildModelFrame, subsetRows } from './model-frame';
import { ModelError, type DataTable, type FitResult, type ModelSpec, type SeType } from './types';

export interface HeterogeneityOptions {
  spec: ModelSpec;
  /** The term whose effect may differ: a numeric predictor's name or a factor dummy such as `hukourural`. */
  key: string;
  groupBy: string;
  /** Groups with fewer complete cases are reported as too small instead of fitted (default 30, the dashboard's
   * suppression threshold). */
  minGroupSize?: number;
}

export interface SubgroupEstimate {
  level: string;
  n: number;
  /** Share of the pooled complete cases, for the forest plot's marker size. */
  share: number;
  status: 'estimated' | 'too_small' | 'not_estimable';
  reason: string | null;
  estimate: number | null;
  se: number | null;
  ci_lower: number | null;
  ci_upper: number | null;
  p: number | null;
}

export interface HeterogeneityResult {
  key: string;
  group_by: string;
  /** Which fit of the spec each group got: glm, glmer (Laplace or AGQ) or lmer. */
  model: string;
  pooled: { estimate: number; se: number; ci_lower: number; ci_upper: number; p: number; n: number };
  subgroups: SubgroupEstimate[];
  interaction_test: {
    method: string;
    statistic: number;
    df: number;
    p: number;
    terms: string[];
    se_type: SeType;
    n: number;
  } | null;
  /** Cochran's Q over the estimated subgroups (inverse-variance), and I^2. */
  cochran_q: { q: number; df: number; p: number; i2: number } | null;
  warnings: string[];
}

function selectRows(table: DataTable, keep: (row: number) => boolean): DataTable {
  const selected = new Int32Array(table.nrow);
  let m = 0;
  for (let r = 0; r < table.nrow; r++) if (keep(r)) selected[m++] = r;
  return subsetRows(table, selected.subarray(0, m));
}

function labelOf(column: Float64Array | (string | null)[], row: number): string | null {
  const value = column[row];
  if (column instanceof Float64Array) return Number.isNaN(value) ? null : String(value);
  return (value as string | null | undefined) ?? null;
}

/** Fits the spec as the engine would: a random-intercept model when it names one, otherwise a GLM. */
function fitSpec(table: DataTable, spec: ModelSpec): { fit: FitResult; model: string } {
  const frame = buildModelFrame(table, spec);
  if (spec.random_intercept) {
    if (spec.family === 'gaussian') {
      const reml = spec.reml?.[0] ?? true;
      return { fit: fitLinearMixedModel(frame, { reml }), model: reml ? 'lmer_reml' : 'lmer_ml' };
    }
    const nAGQ = spec.nAGQ?.[0] ?? 1;
    return { fit: fitRandomInterceptLogit(frame, { nAGQ }), model: nAGQ === 1 ? 'glmer_laplace' : `glmer_agq${nAGQ}` };
  }
  // Only the SE type the spec asks for: the comparison reads the key's row, and each other type costs an n p^2 meat.
  return { fit: fitGlm(frame, { family: spec.family, se: spec.se ?? 'classical', allVariants: false }), model: 'glm' };
}

/** The predictor whose design column(s) include the key term. */
function keyVariableOf(spec: ModelSpec, key: string): string {
  if (key.includes(':')) throw new ModelError('invalid_spec', `The key must be a main-effect term, not the interaction ${key}.`);
  if (spec.predictors.includes(key)) return key;
  const candidates = spec.predictors.filter((name) => key.startsWith(name)).sort((a, b) => b.length - a.length);
  const variable = candidates[0];
  if (!variable) throw new ModelError('unknown_variable', `The key "${key}" is not a term of the model (${spec.predictors.join(', ')}).`);
  return variable;
}

export function fitHeterogeneity(table: DataTable, options: HeterogeneityOptions): HeterogeneityResult {
  const { key, groupBy } = options;
  const minGroupSize = options.minGroupSize ?? 30;
  const groupColumn = table.columns.get(groupBy);
  if (!groupColumn) throw new ModelError('unknown_variable', `The data have no variable "${groupBy}".`);
  const keyVariable = keyVariableOf(options.spec, key);
  if (keyVariable === groupBy) throw new ModelError('invalid_spec', 'The grouping variable cannot be the key itself.');
  // Within a group the grouping variable is constant, so it leaves the per-group models.
  const withinSpec: ModelSpec = { ...options.spec, predictors: options.spec.predictors.filter((p) => p !== groupBy) };
  const warnings: string[] = [];

  // Complete cases of the model and the grouping variable: the pooled fit, the groups and the test share them.
  const withGroup = selectRows(table, (row) => labelOf(groupColumn, row) !== null);
  const pooledFrame = buildModelFrame(withGroup, withinSpec);
  const used = new Uint8Array(withGroup.nrow);
  for (const row of pooledFrame.rowsUsed) used[row] = 1;
  const data = selectRows(withGroup, (row) => used[row] === 1);
  const n = data.nrow;
  const groups = data.columns.get(groupBy) as Float64Array | (string | null)[];
  const labels = Array.from({ length: n }, (_, row) => labelOf(groups, row) as string);
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  const levels = [...counts.keys()].sort(groups instanceof Float64Array ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (levels.length < 2) throw new ModelError('invalid_spec', `"${groupBy}" takes a single value in the complete cases: there is nothing to compare.`);

  const pooledFit = fitSpec(data, withinSpec);
  const pooledRow = pooledFit.fit.coef[key];
  if (!pooledRow) throw new ModelError('invalid_spec', `The key "${key}" was dropped from the pooled model (constant or collinear).`);

  const subgroups: SubgroupEstimate[] = levels.map((level) => {
    const size = counts.get(level) as number;
    const base = { level, n: size, share: size / n, estimate: null, se: null, ci_lower: null, ci_upper: null, p: null };
    if (size < minGroupSize) return { ...base, status: 'too_small', reason: `Fewer than ${minGroupSize} complete cases (${size}).` };
    try {
      const subset = selectRows(data, (row) => labels[row] === level);
      const row = fitSpec(subset, withinSpec).fit.coef[key];
      if (!row) return { ...base, status: 'not_estimable', reason: `${key} does not vary (or is collinear) within this group.` };
      return { ...base, status: 'estimated', reason: null, estimate: row.estimate, se: row.se, ci_lower: row.ci_lower, ci_upper: row.ci_upper, p: row.p };
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      return { ...base, status: 'not_estimable', reason: error.message };
    }
  });

  const estimated = subgroups.filter((g) => g.status === 'estimated');
  const skipped = subgroups.filter((g) => g.status !== 'estimated');
  if (skipped.length > 0) warnings.push(`Not estimated separately: ${skipped.map((g) => `${g.level} (${g.reason})`).join('; ')}. They are left out of the tests of equal effects.`);
  const interactionTest = estimated.length >= 2 ? waldInteractionTest(data, labels, estimated.map((g) => g.level), options.spec, key, keyVariable, groupBy, warnings) : null;

  return {
    key,
    group_by: groupBy,
    model: pooledFit.model,
    pooled: { estimate: pooledRow.estimate, se: pooledRow.se, ci_lower: pooledRow.ci_lower, ci_upper: pooledRow.ci_upper, p: pooledRow.p, n },
    subgroups,
    interaction_test: interactionTest,
    cochran_q: estimated.length >= 2 ? cochranQ(estimated) : null,
    warnings,
  };
}

/**
 * Wald test that the key's coefficient is the same in every (estimated) group: the pooled model with the key x group
 * interaction, chi-square on the interaction terms with df = their number (levels - 1 unless some are aliased).
 * Random-intercept specs are tested with the GLM and SEs clustered on the random-intercept group, because the
 * mixed-model fits do not expose their covariance matrix.
 */
function waldInteractionTest(data: DataTable, labels: string[], levels: string[], spec: ModelSpec, key: string, keyVariable: string, groupBy: string, warnings: string[]): HeterogeneityResult['interaction_test'] {
  const keep = new Set(levels);
  const subset = selectRows(data, (row) => keep.has(labels[row] as string));
  const groupIsNumeric = subset.columns.get(groupBy) instanceof Float64Array;
  const cluster = spec.random_intercept ?? spec.cluster ?? null;
  const seType: SeType = spec.random_intercept ? 'cluster' : (spec.se ?? 'classical');
  const interactionSpec: ModelSpec = {
    ...spec,
    random_intercept: null,
    cluster,
    se: seType,
    predictors: [...spec.predictors.filter((p) => p !== groupBy), groupBy],
    interactions: [...(spec.interactions ?? []), [keyVariable, groupBy]],
    factors: groupIsNumeric ? [...(spec.factors ?? []), groupBy] : spec.factors,
  };
  if (spec.random_intercept) warnings.push(`The test of equal effects uses the single-level model with SEs clustered on ${spec.random_intercept}.`);
  const frame = buildModelFrame(subset, interactionSpec);
  const core = fitGlmCore(frame, spec.family, { tol: DEFAULT_GLM_TOLERANCE });
  const covariance = glmCovariances(frame, spec.family, core, seType)[SE_COVARIANCE_KEY[seType]];
  if (!covariance) throw new ModelError('invalid_spec', `Standard errors of type ${seType} need a cluster variable.`);
  const indices: number[] = [];
  frame.terms.forEach((term, j) => {
    const parts = term.split(':');
    if (parts.length === 2 && parts.includes(key) && parts.some((part) => part !== key && part.startsWith(groupBy))) indices.push(j);
  });
  if (indices.length === 0) return null;
  if (indices.length < levels.length - 1) warnings.push(`Only ${indices.length} of ${levels.length - 1} interaction terms could be estimated (the others are aliased).`);
  const df = indices.length;
  const block = new Float64Array(df * df);
  const effects = new Float64Array(df);
  indices.forEach((a, r) => {
    effects[r] = core.beta[a] as number;
    indices.forEach((b, c) => (block[r * df + c] = covariance[a * frame.p + b] as number));
  });
  const L = cholesky(block, df);
  if (!L) throw new ModelError('invalid_spec', 'The covariance of the interaction terms is singular.');
  const solved = choleskySolve(L, df, effects);
  const statistic = effects.reduce((s, e, r) => s + e * (solved[r] as number), 0);
  return {
    method: `Wald chi-square on the ${key} x ${groupBy} interaction terms of the pooled model`,
    statistic,
    df,
    p: chiSquareUpperTail(statistic, df),
    terms: indices.map((j) => frame.terms[j] as string),
    se_type: seType,
    n: frame.n,
  };
}

function cochranQ(groups: SubgroupEstimate[]): NonNullable<HeterogeneityResult['cochran_q']> {
  const weights = groups.map((g) => 1 / (g.se as number) ** 2);
  const totalWeight = weights.reduce((s, w) => s + w, 0);
  const mean = groups.reduce((s, g, k) => s + (weights[k] as number) * (g.estimate as number), 0) / totalWeight;
  const q = groups.reduce((s, g, k) => s + (weights[k] as number) * ((g.estimate as number) - mean) ** 2, 0);
  const df = groups.length - 1;
  return { q, df, p: chiSquareUpperTail(q, df), i2: q > 0 ? Math.max(0, (q - df) / q) : 0 };
}
