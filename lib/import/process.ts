// One pass over a survey file: every row through the mapping, the derived variables through the same code the
// demonstration generator uses (lib/indicators/derive.ts), every value checked. The dry run is this pass with no
// sink; the import is this pass with the database insert as the sink, refusing at the end if anything failed.
import type { RespondentRecord } from '@/db/demo/load';
import { lookupDivision } from '@/lib/geography/divisions';
import { deriveRespondentVariables } from '@/lib/indicators/derive';
import { CANONICAL_VARIABLES, REQUIRED_VARIABLES, type CanonicalName, type CanonicalVariable } from './canonical';
import { compileMapping, type CompiledVariable, type ImportMapping, type ValueProblem } from './mapping';
import { SourceFileError, type SourceTable } from './types';

export type ProblemCode =
  | 'file_unreadable'
  | 'no_rows'
  | 'required_variable_absent'
  | 'source_absent'
  | 'required_value_missing'
  | 'unknown_city'
  | 'new_city'
  | ValueProblem;

export interface ImportProblem {
  /** The file the problem is in. */
  file: string;
  severity: 'error' | 'warning';
  code: ProblemCode;
  /** Canonical variable and the file variable it comes from, when the problem concerns one. */
  variable?: string;
  source?: string;
  count: number;
  /** First rows (1-based data rows) where it occurs. */
  rows: number[];
  /** A few of the offending values. */
  values: string[];
  /** English text naming the file, the row or variable and the problem (the CLI prints it; the page translates). */
  message: string;
}

export interface VariableReport {
  variable: CanonicalName;
  source: string | null;
  inFile: boolean;
  mapped: number;
  missing: number;
  /** Missing values by code ('empty', '.a 拒绝回答', 'sysmis', '9 拒绝回答' …). */
  missingCodes: Record<string, number>;
  unknownCodes: Record<string, number>;
  outOfRange: number;
  invalid: number;
}

export interface ImportReport {
  fileName: string;
  format: SourceTable['format'];
  encoding: string;
  rowCount: number;
  validRows: number;
  waves: Record<number, number>;
  variables: VariableReport[];
  derived: CanonicalName[];
  unmappedFileVariables: string[];
  problems: ImportProblem[];
  preview: { columns: CanonicalName[]; rows: Array<Record<string, string | number | null>> };
  canImport: boolean;
}

export interface ProcessContext {
  fileName: string;
  knownCities: ReadonlySet<string>;
  /** Provinces (two-digit codes) of the geography: a six-digit city code under one of them is added, not refused. */
  knownProvinces?: ReadonlySet<string>;
  previewRows?: number;
  /** Called for every row that mapped without a blocking problem. */
  onRecord?: (record: RespondentRecord) => void;
  /** Progress every few thousand rows. */
  onProgress?: (rowsDone: number, rowCount: number) => void;
}

const EXAMPLES = 5;

function describe(problem: Omit<ImportProblem, 'message' | 'file'>, fileName: string): string {
  const where = problem.source ? `variable "${problem.source}"${problem.variable && problem.variable !== problem.source ? ` (→ ${problem.variable})` : ''}` : '';
  const rows = problem.rows.length ? ` in ${problem.count} row${problem.count === 1 ? '' : 's'} (first: row ${problem.rows.slice(0, 3).join(', row ')})` : '';
  const values = problem.values.length ? ` ${problem.values.map((v) => `"${v}"`).join(', ')}` : '';
  switch (problem.code) {
    case 'required_variable_absent':
      return `${fileName}: required variable ${problem.variable}${problem.source ? ` (file variable "${problem.source}")` : ''} is not in the file or not in the mapping`;
    case 'source_absent':
      return `${fileName}: ${problem.count} mapped variable${problem.count === 1 ? ' is' : 's are'} not in the file and will be empty: ${problem.values.join(', ')}`;
    case 'required_value_missing':
      return `${fileName}: ${where} is missing${rows}; a row cannot be loaded without it`;
    case 'unknown_city':
      return `${fileName}: ${where}: city code${values} not in the dashboard's geography${rows}`;
    case 'new_city':
      return `${fileName}: ${where}: city code${values} not yet in the dashboard's geography${rows}; each will be added under its province, named by its code, in the tier "other cities" (rename it after the import)`;
    case 'unknown_code':
      return `${fileName}: ${where}: code${values} not in the mapping${rows}`;
    case 'out_of_range':
      return `${fileName}: ${where}: value${values} out of range${rows}`;
    case 'not_a_number':
      return `${fileName}: ${where}: value${values} is not a number${rows}`;
    case 'not_an_integer':
      return `${fileName}: ${where}: value${values} is not a whole number${rows}`;
    case 'no_rows':
      return `${fileName}: the file has no data rows`;
    case 'file_unreadable':
      return `${fileName}: ${problem.values[0] ?? 'cannot be read'}`;
  }
}

export function problemFromFileError(fileName: string, error: SourceFileError): ImportProblem {
  const base = { file: fileName, severity: 'error' as const, code: 'file_unreadable' as const, count: 1, rows: error.location.row ? [error.location.row] : [], values: [error.message] };
  return { ...base, ...(error.location.variable ? { source: error.location.variable } : {}), message: describe(base, fileName) };
}

/** Runs every row of the table through the mapping; returns the report. Throws SourceFileError on a malformed file. */
export function processSurveyRows(table: SourceTable, mapping: ImportMapping, context: ProcessContext): ImportReport {
  const compiled = compileMapping(mapping, table);
  const byName = new Map(compiled.map((c) => [c.name, c]));
  const problems = new Map<string, Omit<ImportProblem, 'message' | 'file'>>();
  const note = (key: string, problem: Omit<ImportProblem, 'message' | 'file' | 'count' | 'rows' | 'values'>, row?: number, value?: string) => {
    let entry = problems.get(key);
    if (!entry) problems.set(key, (entry = { ...problem, count: 0, rows: [], values: [] }));
    entry.count++;
    if (row !== undefined && entry.rows.length < EXAMPLES) entry.rows.push(row);
    if (value !== undefined && entry.values.length < EXAMPLES && !entry.values.includes(value)) entry.values.push(value);
  };

  // Without a required variable no row can be loaded; rows are still checked so the report covers everything else.
  let requiredAbsent = false;
  for (const name of REQUIRED_VARIABLES) {
    const variable = byName.get(name);
    if (!variable || variable.column === null) {
      requiredAbsent = true;
      note(`absent:${name}`, { severity: 'error', code: 'required_variable_absent', variable: name, ...(variable?.mapping.source ? { source: variable.mapping.source } : {}) });
    }
  }
  // Optional variables the file lacks: one warning listing them all (a CMDS extract often carries only some blocks).
  const absentOptional = compiled.filter((v) => v.column === null && !(CANONICAL_VARIABLES[v.name] as CanonicalVariable).required);
  if (absentOptional.length > 0) {
    problems.set('absent-optional', {
      severity: 'warning',
      code: 'source_absent',
      count: absentOptional.length,
      rows: [],
      values: absentOptional.map((v) => `${v.mapping.source} → ${v.name}`),
    });
  }
  const present = compiled.filter((c): c is CompiledVariable & { column: number } => c.column !== null);
  const reports = new Map<CanonicalName, VariableReport>(
    compiled.map((c) => [
      c.name,
      { variable: c.name, source: c.mapping.source ?? null, inFile: c.column !== null, mapped: 0, missing: 0, missingCodes: {}, unknownCodes: {}, outOfRange: 0, invalid: 0 },
    ]),
  );
  const usedColumns = new Set(present.map((c) => c.column));
  const unmappedFileVariables = table.variables.filter((_, i) => !usedColumns.has(i)).map((v) => v.name);
  const derivedNames = (Object.keys(CANONICAL_VARIABLES) as CanonicalName[]).filter(
    (name) => (CANONICAL_VARIABLES[name] as CanonicalVariable).derived && !byName.has(name),
  );
  const previewColumns = [...present.map((c) => c.name), ...derivedNames];
  const preview: Array<Record<string, string | number | null>> = [];
  const previewRows = context.previewRows ?? 10;
  const waves: Record<number, number> = {};
  let validRows = 0;
  let row = 0;
  let failed = requiredAbsent;
  const emptyLabels = new Map<number | string, string>();

  for (const cells of table.rows(usedColumns)) {
    row++;
    const record: Record<string, unknown> = {};
    let blocked = requiredAbsent;
    for (const variable of present) {
      const source = variable.column >= 0 ? table.variables[variable.column] : undefined;
      const result = variable.map(variable.column >= 0 ? (cells[variable.column] ?? null) : null, source?.valueLabels ?? emptyLabels);
      const report = reports.get(variable.name) as VariableReport;
      const sourceName = variable.mapping.source ?? `constant ${String(variable.mapping.constant)}`;
      if (result.problem) {
        if (result.problem === 'unknown_code') {
          // At most 50 distinct codes are listed (a free-text column mapped by mistake would list every answer).
          const key = result.raw ?? '';
          const listed = key in report.unknownCodes || Object.keys(report.unknownCodes).length < 50 ? key : '…';
          report.unknownCodes[listed] = (report.unknownCodes[listed] ?? 0) + 1;
        }
        else if (result.problem === 'out_of_range') report.outOfRange++;
        else report.invalid++;
        const lenient = variable.mapping.lenient === true && !variable.spec.required;
        note(`${result.problem}:${variable.name}`, { severity: lenient ? 'warning' : 'error', code: result.problem, variable: variable.name, source: sourceName }, row, result.raw);
        if (!lenient) {
          blocked = true;
          failed = true;
        }
        record[variable.name] = null;
        continue;
      }
      if (result.value === null) {
        report.missing++;
        const code = result.missing ?? 'empty';
        report.missingCodes[code] = (report.missingCodes[code] ?? 0) + 1;
        if (variable.spec.required) {
          note(`required:${variable.name}`, { severity: 'error', code: 'required_value_missing', variable: variable.name, source: sourceName }, row);
          blocked = true;
          failed = true;
        }
        record[variable.name] = null;
        continue;
      }
      if (variable.name === 'cityCode' && !context.knownCities.has(result.value as string)) {
        const code = String(result.value);
        // A GB/T 2260 prefecture code under a known province is a city the demo geography lacks: added, with a warning.
        if (lookupDivision(code) && context.knownProvinces?.has(code.slice(0, 2))) {
          note('new_city', { severity: 'warning', code: 'new_city', variable: variable.name, source: sourceName }, row, code);
        } else {
          note('city', { severity: 'error', code: 'unknown_city', variable: variable.name, source: sourceName }, row, code);
          blocked = true;
          failed = true;
        }
      }
      report.mapped++;
      record[variable.name] = result.value;
    }
    if (typeof record.wave !== 'number') blocked = true;
    if (!blocked) {
      const full = deriveRespondentVariables(record as unknown as RespondentRecord);
      validRows++;
      waves[full.wave] = (waves[full.wave] ?? 0) + 1;
      if (preview.length < previewRows) {
        preview.push(Object.fromEntries(previewColumns.map((name) => [name, ((full as Record<string, unknown>)[name] ?? null) as string | number | null])));
      }
      // After the first error the import will be refused: keep checking every row, stop writing them.
      if (!failed) context.onRecord?.(full);
    }
    if (row % 5000 === 0) context.onProgress?.(row, table.rowCount);
  }
  context.onProgress?.(row, table.rowCount);
  if (row === 0) note('no_rows', { severity: 'error', code: 'no_rows' });

  const list = [...problems.values()].map((p) => ({ ...p, file: context.fileName, message: describe(p, context.fileName) }));
  list.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return {
    fileName: context.fileName,
    format: table.format,
    encoding: table.encoding,
    rowCount: row,
    validRows,
    waves,
    variables: [...reports.values()],
    derived: derivedNames,
    unmappedFileVariables,
    problems: list,
    preview: { columns: previewColumns, rows: preview },
    canImport: !list.some((p) => p.severity === 'error'),
  };
}

export { SourceFileError };
