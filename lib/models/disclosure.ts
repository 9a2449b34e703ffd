// Output checking of model runs (Brandt et al. 2010, Eurostat/ONS rules for regression output): refuse a fit whose
// analysis sample or any of its groups is too small, and strip what could describe single respondents from a result.
// Pure: a DataTable and a request in, a refusal (ModelError) or a cleaned result out. Messages never state a count.
import { ModelError, type DataTable } from '../stats/types';
import { CITY_COLUMN, GROUP_COLUMN, requestVariables, type ModelRequest } from './request';
import { VARIABLES_BY_ID, variableLabel } from './variables';

export interface ModelDisclosureLimits {
  /** Complete cases (after listwise deletion) a fit needs. */
  minAnalysisN: number;
  /** Respondents each category of a factor, each value of a 0/1 variable, each interaction cell, PSM group,
   * heterogeneity group and mediation group needs. */
  minGroupN: number;
  /** Residual degrees of freedom (complete cases minus coefficients) a fit needs. */
  minResidualDf: number;
}

/** Version of these rules, part of the cache key: answers cached under older rules are never served. */
export const MODEL_DISCLOSURE_VERSION = 1;

function positiveInt(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

/** The limits, from MODEL_MIN_ANALYSIS_N, MODEL_MIN_GROUP_N and MODEL_MIN_RESIDUAL_DF (defaults 30, 10, 10). */
export function modelDisclosureLimits(source: Record<string, string | undefined> = process.env): ModelDisclosureLimits {
  return {
    minAnalysisN: positiveInt(source.MODEL_MIN_ANALYSIS_N, 30),
    minGroupN: positiveInt(source.MODEL_MIN_GROUP_N, 10),
    minResidualDf: positiveInt(source.MODEL_MIN_RESIDUAL_DF, 10),
  };
}

function isMissing(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value));
}

/** Rows with every variable of the request present: the sample the engine fits after listwise deletion. */
export function completeRows(table: DataTable, request: ModelRequest): number[] {
  const names = [...requestVariables(request), ...(request.se === 'cluster' || request.type.startsWith('ri_') ? [CITY_COLUMN] : []), ...(request.groupBy ? [GROUP_COLUMN] : [])];
  const columns = names.map((name) => table.columns.get(name)).filter((c) => c !== undefined);
  const rows: number[] = [];
  for (let r = 0; r < table.nrow; r++) if (columns.every((column) => !isMissing(column[r]))) rows.push(r);
  return rows;
}

function categoryOf(table: DataTable, name: string, row: number): string | null {
  const value = table.columns.get(name)?.[row];
  return isMissing(value) ? null : String(value);
}

function isCategorical(id: string): boolean {
  const kind = VARIABLES_BY_ID.get(id)?.kind;
  return kind === 'factor' || kind === 'binary';
}

function counts(table: DataTable, rows: readonly number[], names: readonly string[]): Map<string, number> {
  const result = new Map<string, number>();
  for (const r of rows) {
    const key = names.map((name) => categoryOf(table, name, r)).join('\u0000');
    result.set(key, (result.get(key) ?? 0) + 1);
  }
  return result;
}

function refuse(message: string): never {
  throw new ModelError('too_few_cases', message);
}

/** The engine's own refusals name counts ("3 complete cases cannot estimate ..."): say them without the count. */
export function withoutCounts(error: ModelError): ModelError {
  if (error.code === 'too_few_cases') return new ModelError(error.code, 'Too few complete cases for the coefficients of this model. Widen the subgroup or use fewer variables.');
  if (error.code === 'separation') return new ModelError(error.code, 'A predictor (or a combination of predictors) separates the outcome: some fitted probabilities are 0 or 1. Leave it out or widen the subgroup.');
  return error;
}

/** Coefficients of the fixed part, as the engine's model frame would build them (intercept, dummies, products). */
function coefficientCount(table: DataTable, rows: readonly number[], request: ModelRequest, predictors: readonly string[]): number {
  const columnsOf = (id: string) => (VARIABLES_BY_ID.get(id)?.kind === 'factor' ? Math.max(counts(table, rows, [id]).size - 1, 0) : 1);
  let p = 1;
  for (const id of predictors) p += columnsOf(id);
  for (const [a, b] of request.interactions) p += columnsOf(a) * columnsOf(b);
  return p;
}

/**
 * Refuses (ModelError 'too_few_cases') a request whose fit would rest on too few respondents. `predictors` are the
 * variables actually fitted (controls constant in the subgroup are left out before).
 */
export function checkModelDisclosure(table: DataTable, request: ModelRequest, predictors: readonly string[], limits: ModelDisclosureLimits): void {
  const label = (id: string) => `${variableLabel(id, 'en')} (${id})`;
  const rows = completeRows(table, request);
  if (rows.length < limits.minAnalysisN) {
    refuse(`After leaving out respondents with a missing answer, fewer than ${limits.minAnalysisN} respondents remain; a model needs at least ${limits.minAnalysisN}. Widen the subgroup or use fewer variables.`);
  }
  const small = (tally: Map<string, number>) => [...tally.values()].some((count) => count > 0 && count < limits.minGroupN);
  const categorical = [...new Set([...predictors, ...request.interactions.flat(), ...(request.mediator ? [request.mediator] : [])])].filter(isCategorical);
  for (const id of categorical) {
    if (small(counts(table, rows, [id]))) {
      const what = VARIABLES_BY_ID.get(id)?.kind === 'binary' ? 'One of the two values of' : 'A category of';
      refuse(`${what} ${label(id)} has fewer than ${limits.minGroupN} respondents in this subgroup, so the model could describe individuals. Widen the subgroup or leave the variable out.`);
    }
  }
  for (const [a, b] of request.interactions) {
    const cells = [a, b].filter(isCategorical);
    if (cells.length === 2 && small(counts(table, rows, cells))) {
      refuse(`A combination of ${label(a)} and ${label(b)} has fewer than ${limits.minGroupN} respondents in this subgroup. Leave the interaction out or widen the subgroup.`);
    }
  }
  const treatment = request.keys[0] as string;
  if ((request.type === 'psm' || request.type === 'mediation') && isCategorical(treatment) && small(counts(table, rows, [treatment]))) {
    refuse(`The ${request.type === 'psm' ? 'treated or the control' : 'treatment'} group has fewer than ${limits.minGroupN} respondents. Widen the subgroup.`);
  }
  if (request.type === 'heterogeneity' && small(counts(table, rows, [GROUP_COLUMN]))) {
    refuse(`A group of the heterogeneity analysis has fewer than ${limits.minGroupN} respondents. Choose a coarser grouping or widen the subgroup.`);
  }
  if (rows.length - coefficientCount(table, rows, request, predictors) < limits.minResidualDf) {
    refuse(`The model has too many coefficients for this subgroup: fewer than ${limits.minResidualDf} residual degrees of freedom would remain. Use fewer variables or widen the subgroup.`);
  }
}

/**
 * A result as it may leave the worker: no random-effect predictions for single cities (`ranef`), no fitted values or
 * residuals, no group means of the matching balance table, and no exact count of a heterogeneity group or matching
 * tally below `minN`.
 */
export function sanitizeModelResult(result: unknown, minN: number): unknown {
  const STRIPPED = new Set(['ranef', 'fitted', 'fitted_values', 'residuals', 'mean_treated_before', 'mean_control_before', 'mean_treated_after', 'mean_control_after']);
  const visit = (value: unknown, parent: string | null): unknown => {
    if (Array.isArray(value)) return value.map((item) => visit(item, parent));
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    const record = value as Record<string, unknown>;
    for (const [key, inner] of Object.entries(record)) {
      if (STRIPPED.has(key)) continue;
      // A heterogeneity group too small to fit: its size is said as "fewer than minN", not counted.
      if (parent === 'subgroups' && (key === 'n' || key === 'share') && typeof inner === 'number' && record.status === 'too_small') {
        out[key] = null;
        continue;
      }
      if (parent === 'counts' && typeof inner === 'number' && inner > 0 && inner < minN && key !== 'matched_treated') {
        out[key] = null;
        continue;
      }
      out[key] = visit(inner, key);
    }
    return out;
  };
  return visit(result, null);
}
