// One pass over a survey file: every row through the mapping, the derived variables through the same code the
// demonstration generator uses (lib/indicators/derive.ts), every value checked. The dry run is this pass with no
// sink; the import is this pass with the database insert as the sink, refusing at the end if anything failed.
import type { RespondentRecord } from '@/db/respondents';
import { INDICATORS } from '@/lib/indicators/catalogue';
import { lookupDivision } from '@/lib/geography/divisions';
import { deriveRespondentVariables } from '@/lib/indicators/derive';
import { CANONICAL_VARIABLES, REQUIRED_VARIABLES, type CanonicalName, type CanonicalVariable } from './canonical';
import { compileMapping, type CompiledVariable, type ImportMapping, type ValueProblem } from './mapping';
import { MissingValue, SourceFileError, type Cell, type SourceTable } from './types';

export type ProblemCode =
  | 'file_unreadable'
  | 'no_rows'
  | 'required_variable_absent'
  | 'source_absent'
  | 'required_value_missing'
  | 'unknown_city'
  | 'new_city'
  | 'source_not_found'
  | 'duplicate_id'
  | 'duplicate_row'
  | 'no_indicators'
  | 'not_published'
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
  /**
   * Mapped optional variables the file may lack (file or canonical names; '*' for all). Any other absent one is
   * refused: a misspelled name would otherwise load as an empty column and an indicator would vanish.
   */
  allowMissing?: readonly string[];
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
    case 'source_not_found':
      return `${fileName}: mapped variable "${problem.source}" (→ ${problem.variable}) is not in the file; ${problem.values.length ? `closest names in the file: ${problem.values.map((v) => `"${v}"`).join(', ')}` : 'no similar name in the file'}. Correct the mapping, or import without it with --allow-missing ${problem.source}`;
    case 'duplicate_id':
      return `${fileName}: ${where}: ${problem.count} respondent ID${problem.count === 1 ? '' : 's'} occur more than once: ${problem.values.join('; ')}`;
    case 'duplicate_row':
      return `${fileName}: ${problem.count} row${problem.count === 1 ? ' repeats' : 's repeat'} an earlier row in every mapped variable: ${problem.values.join('; ')}`;
    case 'no_indicators':
      return `${fileName}: ${problem.values[0] ?? 'no indicator can be computed'}; the version would show no indicator cells, so it is not activated`;
    case 'label_mismatch':
      return `${fileName}: ${where}: the file's value labels contradict the mapping${rows}: code ${problem.values.join('; code ')}`;
    case 'mapping_value':
      return `${fileName}: ${where}: the mapping gives a value that is not valid for ${problem.variable}${rows}: ${problem.values.join('; ')} (correct the mapping's "codes")`;
    case 'no_rows':
      return `${fileName}: the file has no data rows`;
    case 'file_unreadable':
      return `${fileName}: ${problem.values[0] ?? 'cannot be read'}`;
    case 'not_published':
      return `${fileName}: loaded, but publishing it into PostgreSQL failed (${problem.values[0] ?? 'unknown error'}); the cluster keeps its active dataset`;
  }
}

export function problemFromFileError(fileName: string, error: SourceFileError): ImportProblem {
  const base = { file: fileName, severity: 'error' as const, code: 'file_unreadable' as const, count: 1, rows: error.location.row ? [error.location.row] : [], values: [error.message] };
  return { ...base, ...(error.location.variable ? { source: error.location.variable } : {}), message: describe(base, fileName) };
}

/** The import loaded into SQLite but its version could not be published into PostgreSQL (the cluster back end). */
export function notPublishedProblem(fileName: string, detail: string): ImportProblem {
  const base = { file: fileName, severity: 'error' as const, code: 'not_published' as const, count: 1, rows: [], values: [detail] };
  return { ...base, message: describe(base, fileName) };
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
    if (variable?.column == null) {
      requiredAbsent = true;
      note(`absent:${name}`, { severity: 'error', code: 'required_variable_absent', variable: name, ...(variable?.mapping.source ? { source: variable.mapping.source } : {}) });
    }
  }
  // Optional variables the file lacks are refused unless allowed by name: a misspelled name (in the mapping or the
  // file) would otherwise load as an empty column and an indicator would vanish. The message names the closest file
  // variables that nothing maps; the allowed ones are listed in one warning.
  const allowed = new Set((context.allowMissing ?? []).map((name) => name.toLowerCase()));
  const absentOptional = compiled.filter((v) => v.column === null && !(CANONICAL_VARIABLES[v.name] as CanonicalVariable).required);
  const mappedColumns = new Set(compiled.map((c) => c.column));
  const candidates = table.variables.filter((_, i) => !mappedColumns.has(i)).map((v) => v.name);
  const tolerated = absentOptional.filter((v) => allowed.has('*') || allowed.has(v.name.toLowerCase()) || allowed.has((v.mapping.source ?? '').toLowerCase()));
  for (const variable of absentOptional) {
    if (tolerated.includes(variable)) continue;
    problems.set(`not-found:${variable.name}`, {
      severity: 'error',
      code: 'source_not_found',
      variable: variable.name,
      source: variable.mapping.source ?? variable.name,
      count: 1,
      rows: [],
      values: closestNames(variable.mapping.source ?? variable.name, candidates),
    });
  }
  if (tolerated.length > 0) {
    problems.set('absent-optional', {
      severity: 'warning',
      code: 'source_absent',
      count: tolerated.length,
      rows: [],
      values: tolerated.map((v) => `${v.mapping.source} → ${v.name}`),
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
  // Duplicate respondents: by ID when the mapping gives one, and rows equal in every mapped variable.
  const idColumn = byName.get('sourceId')?.column ?? null;
  const firstRowOfId = new Map<string, number>();
  const firstRowOfContent = new Map<number, number>();
  // Per wave: rows with a value for at least one of the wave's indicators (none: the version would be empty).
  const indicatorRows: Record<number, number> = {};

  for (const cells of table.rows(usedColumns)) {
    row++;
    const record: Record<string, unknown> = {};
    let blocked = requiredAbsent;
    if (idColumn !== null && idColumn >= 0) {
      const id = cells[idColumn];
      if (typeof id === 'string' || typeof id === 'number') {
        const key = String(id).trim();
        const first = firstRowOfId.get(key);
        if (first === undefined) firstRowOfId.set(key, row);
        else {
          note('duplicate_id', { severity: 'error', code: 'duplicate_id', variable: 'sourceId', source: byName.get('sourceId')?.mapping.source ?? 'id' }, row, `"${key}" in rows ${first} and ${row}`);
          blocked = true;
          failed = true;
        }
      }
    }
    {
      const key = rowHash(cells, present);
      const first = firstRowOfContent.get(key);
      if (first === undefined) firstRowOfContent.set(key, row);
      else {
        note('duplicate_row', { severity: 'error', code: 'duplicate_row' }, row, `row ${row} = row ${first}`);
        blocked = true;
        failed = true;
      }
    }
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
      if (INDICATOR_FIELDS.some((name) => (full as Record<string, unknown>)[name] !== null && (full as Record<string, unknown>)[name] !== undefined)) {
        indicatorRows[full.wave] = (indicatorRows[full.wave] ?? 0) + 1;
      }
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
  // The catalogue is wave-agnostic (an indicator exists in every wave whose data have its variable): a wave whose rows
  // hold none of the indicators' variables would publish nothing, so it is refused with the reason.
  for (const wave of Object.keys(waves).map(Number)) {
    if (!indicatorRows[wave]) {
      note(`no-indicators:${wave}`, { severity: 'error', code: 'no_indicators' }, undefined, `no row of wave ${wave} has a value for any indicator (${INDICATORS.map((d) => d.variable).join(', ')})`);
    }
  }

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

/**
 * A 53-bit hash of a row's mapped cells (two FNV-1a passes with different seeds), so that 170,000 rows can be checked
 * for repeats without keeping their text; a collision (odds about 1 in 10^6 per full wave) would name two rows that
 * the administrator can see differ.
 */
function rowHash(cells: readonly Cell[], present: ReadonlyArray<{ column: number }>): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (const { column } of present) {
    if (column < 0) continue;
    const cell = cells[column];
    const text = cell === null || cell === undefined ? '\u0002' : cell instanceof MissingValue ? `\u0001${cell.code}` : typeof cell === 'number' ? String(cell) : `\u0003${cell}`;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
    }
    a = Math.imul(a ^ 0xff, 0x01000193);
    b = Math.imul(b ^ 0xff, 0x5bd1e995);
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

/** The record keys of every indicator's variable. */
const INDICATOR_FIELDS = INDICATORS.map((d) => camelCase(d.variable));

/** snake_case column → camelCase record key. */
function camelCase(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Edits (insert, delete, substitute, swap two neighbours) that turn a into b: optimal string alignment. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i] as number[];
      const above = rows[i - 1] as number[];
      row[j] = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((rows[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/** Up to three file variables whose names are closest to `name` (ignoring case, spaces and underscores). */
export function closestNames(name: string, candidates: readonly string[]): string[] {
  const fold = (text: string) => text.toLowerCase().replace(/[\s_.-]/g, '');
  const target = fold(name);
  return candidates
    .map((candidate) => ({ candidate, distance: editDistance(target, fold(candidate)) }))
    // One edit for short names like q213 (two would match most CMDS names), two for longer ones.
    .filter(({ distance }) => distance <= (target.length <= 6 ? 1 : 2))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map(({ candidate }) => candidate);
}

export { SourceFileError };
