// Typed access to a data table's columns by name: numbers as a Float64Array (NaN where missing), labels as strings
// (null where missing), with the engine's error for an unknown name; and the C byte order R sorts factor levels in.
import { ModelError, type DataTable } from './types';

export const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function numericColumn(table: DataTable, name: string): Float64Array {
  const column = table.columns.get(name);
  if (!column) throw new ModelError('unknown_variable', `Unknown variable "${name}".`);
  if (column instanceof Float64Array) return column;
  // A blank string is missing, as R reads an empty CSV field.
  return Float64Array.from(column, (v) => (v === null || v.trim() === '' ? NaN : Number(v)));
}

export function labelColumn(table: DataTable, name: string): (string | null)[] {
  const column = table.columns.get(name);
  if (!column) throw new ModelError('unknown_variable', `Unknown variable "${name}".`);
  if (column instanceof Float64Array) return Array.from(column, (v) => (Number.isNaN(v) ? null : String(v)));
  return column;
}

/**
 * values[i], checked: an index outside the array is an error here rather than an undefined that turns every sum it
 * reaches into NaN. For loops over subgroups and terms; the per-respondent loops keep plain reads for speed.
 */
export function at(values: ArrayLike<number>, i: number): number {
  const value = values[i];
  if (value === undefined) throw new RangeError(`index ${i} outside an array of ${values.length}`);
  return value;
}
