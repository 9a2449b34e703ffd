// Builds the design matrix of a model spec from columnar data, as R's model.frame + model.matrix do: listwise
// deletion, dummy coding of factors against a reference level, interaction columns, and R's term names and order.
import { byteOrder } from './columns';
import { ModelError, type DataTable, type ModelFrame, type ModelSpec, type TermPart } from './types';

type Column = Float64Array | (string | null)[];

interface VariablePart {
  name: string;
  /** For a factor: the non-reference levels; for a numeric variable: null. */
  levels: string[] | null;
  reference?: string;
}


function requireColumn(table: DataTable, name: string): Column {
  const column = table.columns.get(name);
  if (!column) throw new ModelError('unknown_variable', `The data have no variable "${name}".`);
  return column;
}

function isMissing(column: Column, row: number): boolean {
  const value = column[row];
  return column instanceof Float64Array ? Number.isNaN(value) : value === null || value === undefined;
}

/** Levels as R's factor() orders them: numerically for numeric columns, in C byte order for strings. */
function sortedLevels(column: Column, rows: readonly number[]): string[] {
  if (column instanceof Float64Array) return [...new Set(rows.map((row) => column[row] as number))].sort((a, b) => a - b).map(String);
  return [...new Set(rows.map((row) => column[row] as string))].sort(byteOrder);
}

function labelOf(column: Column, row: number): string {
  const value = column[row];
  return column instanceof Float64Array ? String(value) : (value as string);
}

/** The table's rows at the given indices, in that order (every column). */
export function subsetRows(table: DataTable, rows: ArrayLike<number>): DataTable {
  const m = rows.length;
  // Plain loops: Float64Array.from and map with a callback per value made this copy the costliest step of the
  // heterogeneity test.
  const columns = new Map<string, Column>();
  for (const [name, column] of table.columns) {
    if (column instanceof Float64Array) {
      const values = new Float64Array(m);
      for (let j = 0; j < m; j++) values[j] = column[rows[j] as number] as number;
      columns.set(name, values);
    } else {
      const values = new Array<string | null>(m);
      for (let j = 0; j < m; j++) values[j] = column[rows[j] as number] ?? null;
      columns.set(name, values);
    }
  }
  return { nrow: m, columns };
}

export function buildModelFrame(table: DataTable, spec: ModelSpec): ModelFrame {
  const predictors = spec.predictors;
  const interactions = spec.interactions ?? [];
  const factorNames = new Set(spec.factors ?? []);
  const modelVariables = [spec.outcome, ...predictors, ...interactions.flat()];
  const extra = [spec.weights, spec.cluster, spec.random_intercept].filter((v): v is string => Boolean(v));
  const columns = new Map<string, Column>();
  for (const name of new Set([...modelVariables, ...extra])) columns.set(name, requireColumn(table, name));

  // Listwise deletion over every variable the model uses.
  const used: number[] = [];
  for (let row = 0; row < table.nrow; row++) {
    let complete = true;
    for (const column of columns.values()) {
      if (isMissing(column, row)) {
        complete = false;
        break;
      }
    }
    if (complete) used.push(row);
  }
  const n = used.length;
  const nDroppedMissing = table.nrow - n;

  // Factors: string columns and the ones the spec names; levels in C byte order, reference first unless chosen.
  const parts = new Map<string, VariablePart>();
  for (const name of new Set([...predictors, ...interactions.flat()])) {
    const column = columns.get(name)!;
    const isFactor = !(column instanceof Float64Array) || factorNames.has(name);
    if (!isFactor) {
      parts.set(name, { name, levels: null });
      continue;
    }
    const levels = sortedLevels(column, used);
    const reference = spec.reference?.[name] ?? levels[0];
    if (reference !== undefined && !levels.includes(reference)) {
      throw new ModelError('invalid_spec', `The reference level "${reference}" of ${name} does not occur in the data.`);
    }
    parts.set(name, { name, levels: levels.filter((l) => l !== reference), reference });
  }

  // Column generators in R's order: intercept, main effects, then interactions (variables in formula order).
  type Generator = { term: string; value: (row: number) => number; parts: TermPart[] };
  const generators: Generator[] = [{ term: '(Intercept)', value: () => 1, parts: [] }];
  const partColumns = (part: VariablePart): Array<{ label: string; value: (row: number) => number; parts: TermPart[] }> => {
    const column = columns.get(part.name)!;
    if (part.levels === null) {
      const numeric = column as Float64Array;
      return [{ label: part.name, value: (row) => numeric[row] as number, parts: [{ variable: part.name, level: null }] }];
    }
    return part.levels.map((level) => ({
      label: `${part.name}${level}`,
      value: (row: number) => (labelOf(column, row) === level ? 1 : 0),
      parts: [{ variable: part.name, level }],
    }));
  };
  for (const name of predictors) for (const c of partColumns(parts.get(name)!)) generators.push({ term: c.label, value: c.value, parts: c.parts });
  const position = (name: string) => {
    const index = predictors.indexOf(name);
    return index === -1 ? predictors.length + interactions.flat().indexOf(name) : index;
  };
  for (const interaction of interactions) {
    const ordered = [...interaction].sort((a, b) => position(a) - position(b));
    // Expand as R does: the first variable's columns vary fastest.
    let combos: Array<{ label: string; value: (row: number) => number; parts: TermPart[] }> = [{ label: '', value: () => 1, parts: [] }];
    for (const name of ordered) {
      const next: typeof combos = [];
      for (const c of partColumns(parts.get(name)!)) {
        for (const previous of combos) {
          next.push({
            label: previous.label ? `${previous.label}:${c.label}` : c.label,
            value: (row) => previous.value(row) * c.value(row),
            parts: [...previous.parts, ...c.parts],
          });
        }
      }
      combos = next;
    }
    // Re-sort so that earlier variables vary fastest within the block (R's model.matrix column order).
    for (const c of combos) generators.push({ term: c.label, value: c.value, parts: c.parts });
  }

  const allTerms = generators.map((g) => g.term);
  const pAll = generators.length;
  const full = new Float64Array(n * pAll);
  for (let i = 0; i < n; i++) {
    const row = used[i] as number;
    for (let j = 0; j < pAll; j++) full[i * pAll + j] = (generators[j] as (typeof generators)[number]).value(row);
  }

  const aliased = findAliasedColumns(full, n, pAll);
  const keep = allTerms.map((_, j) => j).filter((j) => !aliased.has(j));
  const p = keep.length;
  const X = p === pAll ? full : new Float64Array(n * p);
  if (p !== pAll) for (let i = 0; i < n; i++) keep.forEach((j, k) => (X[i * p + k] = full[i * pAll + j] as number));

  const outcome = columns.get(spec.outcome)!;
  if (!(outcome instanceof Float64Array)) throw new ModelError('invalid_spec', `The outcome "${spec.outcome}" must be numeric.`);
  const y = Float64Array.from(used, (row) => outcome[row] as number);
  const weightColumn = spec.weights ? (columns.get(spec.weights) as Float64Array) : null;
  const weights = weightColumn ? Float64Array.from(used, (row) => weightColumn[row] as number) : null;
  if (weights?.some((w) => !(w >= 0))) throw new ModelError('invalid_spec', `The weights "${spec.weights}" must be non-negative.`);

  const indexOf = (name: string | null | undefined) => {
    if (!name) return { index: null, levels: [] as string[] };
    const column = columns.get(name)!;
    const levels = sortedLevels(column, used);
    const lookup = new Map(levels.map((l, i) => [l, i]));
    return { index: Int32Array.from(used, (row) => lookup.get(labelOf(column, row)) as number), levels };
  };
  const cluster = indexOf(spec.cluster);
  const group = indexOf(spec.random_intercept);

  return {
    n,
    p,
    X,
    terms: keep.map((j) => allTerms[j] as string),
    y,
    outcome: spec.outcome,
    groupVariable: spec.random_intercept ?? undefined,
    weights,
    cluster: cluster.index,
    clusterLevels: cluster.levels,
    group: group.index,
    groupLevels: group.levels,
    rowsUsed: Int32Array.from(used),
    nDroppedMissing,
    aliased: [...aliased].map((j) => allTerms[j] as string),
    termParts: keep.map((j) => (generators[j] as Generator).parts),
    factorLevels: Object.fromEntries([...parts.values()].filter((part) => part.levels !== null).map((part) => [part.name, part.levels as string[]])),
    factorReference: Object.fromEntries([...parts.values()].filter((part) => part.reference !== undefined).map((part) => [part.name, part.reference as string])),
  };
}

/**
 * Columns that are constant or linear combinations of earlier ones, found as R's QR (tolerance 1e-7 on the column
 * norm) would: a sequential Cholesky of X'X, dropping a column whose residual sum of squares is negligible.
 */
function findAliasedColumns(X: Float64Array, n: number, p: number): Set<number> {
  const xtx = new Float64Array(p * p);
  for (let i = 0; i < n; i++) {
    const offset = i * p;
    for (let a = 0; a < p; a++) {
      const xa = X[offset + a] as number;
      if (xa === 0) continue;
      for (let b = a; b < p; b++) xtx[a * p + b]! += xa * (X[offset + b] as number);
    }
  }
  const aliased = new Set<number>();
  const L = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    let diagonal = xtx[j * p + j] as number;
    for (let k = 0; k < j; k++) {
      if (aliased.has(k)) continue;
      const ljk = (xtx[k * p + j] as number) - sumProducts(L, j, k, p, aliased);
      const value = ljk / (L[k * p + k] as number);
      L[j * p + k] = value;
      diagonal -= value * value;
    }
    const original = xtx[j * p + j] as number;
    if (original === 0 || diagonal <= 1e-14 * original) {
      aliased.add(j);
      continue;
    }
    L[j * p + j] = Math.sqrt(diagonal);
  }
  return aliased;
}

function sumProducts(L: Float64Array, j: number, k: number, p: number, aliased: Set<number>): number {
  let sum = 0;
  for (let m = 0; m < k; m++) if (!aliased.has(m)) sum += (L[j * p + m] as number) * (L[k * p + m] as number);
  return sum;
}
