// One model run, start to finish: read the subgroup's rows, refuse what cannot be fitted, run the engine. Called in a
// worker thread (worker.ts) and directly by tests and the benchmark.
import type Database from 'better-sqlite3';
import { runSpec } from '../stats/index';
import type { ReplicateRunner } from '../stats/mediation';
import { ModelError, type DataTable } from '../stats/types';
import { loadModelTable } from './data';
import { engineSpec, type EngineSpec, type ModelRequest } from './request';
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
    throw new ModelError('too_few_cases', `The subgroup has ${table.nrow} respondents; a model needs at least ${MIN_SUBGROUP_ROWS}. Widen the subgroup.`);
  }
  for (const id of [request.outcome, ...request.keys, ...(request.mediator ? [request.mediator] : [])]) {
    if (distinctValues(table, id) < 2) {
      throw new ModelError('constant_outcome', `${variableLabel(id, 'en')} (${id}) takes a single value in this subgroup, so its effect cannot be estimated.`);
    }
  }
}

export function runModelRequest(sqlite: Database.Database, datasetId: number, request: ModelRequest, options: { replicateRunner?: ReplicateRunner } = {}): ModelRunOutput {
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
  const spec = engineSpec(fitted);
  const result = runSpec(table, spec, options);
  return { datasetId, request, spec, subgroupRows: table.nrow, droppedControls, result, durationMs: Math.round(performance.now() - started) };
}
