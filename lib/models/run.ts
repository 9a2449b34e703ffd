// One model run, start to finish: read the subgroup's rows, refuse what cannot be fitted, run the engine. Called in a
// worker thread (worker.ts) and directly by tests and the benchmark.
import type Database from 'better-sqlite3';
import { runSpec } from '../stats/index';
import type { ReplicateRunner } from '../stats/mediation';
import { ModelError, type DataTable } from '../stats/types';
import { loadModelTable } from './data';
import { checkModelDisclosure, MODEL_DISCLOSURE_VERSION, modelDisclosureLimits, sanitizeModelResult, withoutCounts, type ModelDisclosureLimits } from './disclosure';
import { engineSpec, requestPredictors, type EngineSpec, type ModelRequest } from './request';
import { variableLabel } from './variables';

export interface ModelRunOutput {
  datasetId: number;
  request: ModelRequest;
  spec: EngineSpec;
  /** Respondents in the subgroup before listwise deletion. */
  subgroupRows: number;
  /** Controls left out because they take one value in the subgroup (e.g. migration range within one range). */
  droppedControls: string[];
  result: unknown;
  durationMs: number;
  /** Version of the output checks (lib/models/disclosure.ts) this run passed; a cached answer without it is refit. */
  disclosureChecked?: number;
}

export const MIN_SUBGROUP_ROWS = 30;

function distinctValues(table: DataTable, name: string): number {
  const column = table.columns.get(name);
  if (!column) return 0;
  const seen = new Set<number | string>();
  for (const value of column) {
    if (value === null || (typeof value === 'number' && Number.isNaN(value))) continue;
    seen.add(value);
    if (seen.size > 1) break;
  }
  return seen.size;
}

/** Refusals a statistician would make before fitting: too few cases, a constant outcome or key variable. */
export function checkFittable(table: DataTable, request: ModelRequest): void {
  if (table.nrow < MIN_SUBGROUP_ROWS) {
    throw new ModelError('too_few_cases', `The subgroup has fewer than ${MIN_SUBGROUP_ROWS} respondents; a model needs at least ${MIN_SUBGROUP_ROWS}. Widen the subgroup.`);
  }
  for (const id of [request.outcome, ...request.keys, ...(request.mediator ? [request.mediator] : [])]) {
    if (distinctValues(table, id) < 2) {
      throw new ModelError('constant_outcome', `${variableLabel(id, 'en')} (${id}) takes a single value in this subgroup, so its effect cannot be estimated.`);
    }
  }
}

export function runModelRequest(
  sqlite: Database.Database,
  datasetId: number,
  request: ModelRequest,
  options: { limits?: ModelDisclosureLimits; replicateRunner?: ReplicateRunner } = {},
): ModelRunOutput {
  const limits = options.limits ?? modelDisclosureLimits();
  const started = performance.now();
  const table = loadModelTable(sqlite, datasetId, request);
  checkFittable(table, request);
  // A control fixed by the subgroup (hukou within rural migrants, say) carries no information there: leave it out, and
  // say so, rather than fail on a factor whose reference level is absent.
  const droppedControls = request.controls.filter((id) => distinctValues(table, id) < 2);
  const fitted = droppedControls.length === 0 ? request : {
    ...request,
    controls: request.controls.filter((id) => !droppedControls.includes(id)),
    interactions: request.interactions.filter(([a, b]) => !droppedControls.includes(a) && !droppedControls.includes(b)),
  };
  // Output checking before the fit (sample after listwise deletion, group sizes, residual df), then a result with
  // nothing that describes single respondents (lib/models/disclosure.ts).
  checkModelDisclosure(table, fitted, requestPredictors(fitted), limits);
  const spec = engineSpec(fitted);
  let result: unknown;
  try {
    result = runSpec(table, spec, { replicateRunner: options.replicateRunner });
  } catch (error) {
    throw error instanceof ModelError ? withoutCounts(error) : error;
  }
  return {
    datasetId,
    request,
    spec,
    subgroupRows: table.nrow,
    droppedControls,
    result: sanitizeModelResult(result, limits.minAnalysisN),
    durationMs: Math.round(performance.now() - started),
    disclosureChecked: MODEL_DISCLOSURE_VERSION,
  };
}
