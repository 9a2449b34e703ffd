// Codebook mappings: JSON that says which file variable fills each canonical respondent variable and what its codes
// or value labels mean (e.g. 农业 → ruralHukou 1, 跨省 → migrationRange 'inter_province'). This module validates a
// mapping and turns one file row into a canonical record, noting every value it could not map and why.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CANONICAL_NAMES, CANONICAL_VARIABLES, type CanonicalName, type CanonicalVariable } from './canonical';
import { MissingValue, type Cell, type SourceTable } from './types';

const codeValue = z.union([z.number(), z.string(), z.null()]);

const variableMappingSchema = z
  .object({
    source: z.string().min(1).optional(),
    constant: z.union([z.number(), z.string()]).optional(),
    /** File code or value label → canonical value (null: a code that means "missing"). Key "*": any other code. */
    codes: z.record(z.string(), codeValue).optional(),
    /** Codes or labels that mean missing for this variable, on top of the mapping-wide list. */
    missing: z.array(z.string()).optional(),
    transform: z.enum(['log', 'log1p', 'reverse_1_4']).optional(),
    /** Unknown codes and out-of-range values become missing (a warning) instead of stopping the import. */
    lenient: z.boolean().optional(),
  })
  .strict()
  .refine((v) => (v.source === undefined) !== (v.constant === undefined), { message: 'give either "source" or "constant"' });

export const mappingSchema = z
  .object({
    name: z.string().min(1).max(100),
    description: z.string().max(2000).optional(),
    /** Design label stored with each wave (e.g. 'national'). */
    design: z.string().min(1).max(60).default('national'),
    /** Codes or labels that mean missing in every variable (e.g. "-9", "NA"). */
    missing: z.array(z.string()).default([]),
    variables: z.record(z.string(), variableMappingSchema).superRefine((variables, context) => {
      for (const key of Object.keys(variables)) {
        if (!(CANONICAL_NAMES as string[]).includes(key)) {
          context.addIssue({ code: 'custom', path: [key], message: `"${key}" is not a canonical variable (see lib/import/canonical.ts)` });
        }
      }
    }),
  })
  .strict();

export type VariableMapping = z.infer<typeof variableMappingSchema>;
export type ImportMapping = z.infer<typeof mappingSchema>;

export class MappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingError';
  }
}

/** Parses mapping JSON text; the error lists each problem with its path. */
export function parseMapping(text: string): ImportMapping {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MappingError(`the mapping is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = mappingSchema.safeParse(json);
  if (!parsed.success) {
    throw new MappingError(`the mapping is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

export function mappingChecksum(mapping: ImportMapping): string {
  return createHash('sha256').update(JSON.stringify(mapping)).digest('hex');
}

/** Why one value could not be mapped. */
export type ValueProblem = 'unknown_code' | 'out_of_range' | 'not_a_number' | 'not_an_integer';

export interface MappedValue {
  value: number | string | null;
  /** Set when the value was missing in the file: the code ('empty', '.a', 'sysmis', '9' …) and its label. */
  missing?: string;
  problem?: ValueProblem;
  raw?: string;
}

export interface CompiledVariable {
  name: CanonicalName;
  spec: CanonicalVariable;
  mapping: VariableMapping;
  /** Column in the file, -1 for a constant, null when the source variable is not in the file. */
  column: number | null;
  map(cell: Cell, labels: Map<number | string, string>): MappedValue;
}

function formatRaw(cell: number | string): string {
  return typeof cell === 'number' ? String(cell) : cell;
}

function compileVariable(name: CanonicalName, mapping: VariableMapping, globalMissing: readonly string[], table: SourceTable): CompiledVariable {
  const spec = CANONICAL_VARIABLES[name] as CanonicalVariable;
  const codes = mapping.codes ? new Map(Object.entries(mapping.codes)) : null;
  const missing = new Set([...globalMissing, ...(mapping.missing ?? [])]);
  const column =
    mapping.source === undefined ? -1 : (() => {
      const exact = table.variables.findIndex((v) => v.name === mapping.source);
      if (exact >= 0) return exact;
      const folded = table.variables.findIndex((v) => v.name.toLowerCase() === mapping.source?.toLowerCase());
      return folded >= 0 ? folded : null;
    })();

  const finish = (value: number | string | null, raw: string): MappedValue => {
    if (value === null) return { value: null, missing: raw };
    if (spec.kind === 'text') return { value: typeof value === 'number' ? String(value) : value.trim() };
    if (spec.kind === 'enum') {
      const text = String(value);
      return spec.values?.includes(text) ? { value: text } : { value: null, problem: 'unknown_code', raw };
    }
    let number = typeof value === 'number' ? value : Number(value.trim());
    if (typeof value === 'string' && value.trim() === '') return { value: null, missing: 'empty' };
    if (!Number.isFinite(number)) return { value: null, problem: 'not_a_number', raw };
    if (mapping.transform === 'log') number = number > 0 ? Math.log(number) : NaN;
    else if (mapping.transform === 'log1p') number = number > -1 ? Math.log1p(number) : NaN;
    else if (mapping.transform === 'reverse_1_4') number = 5 - number;
    if (Number.isNaN(number)) return { value: null, problem: 'out_of_range', raw };
    if ((spec.kind === 'integer' || spec.kind === 'binary') && !Number.isInteger(number)) return { value: null, problem: 'not_an_integer', raw };
    if ((spec.min !== undefined && number < spec.min) || (spec.max !== undefined && number > spec.max)) return { value: null, problem: 'out_of_range', raw };
    return { value: number };
  };

  const map = (cell: Cell, labels: Map<number | string, string>): MappedValue => {
    if (column === -1) return finish(mapping.constant ?? null, String(mapping.constant));
    if (cell === null) return { value: null, missing: 'empty' };
    if (cell instanceof MissingValue) return { value: null, missing: cell.label ? `${cell.code} ${cell.label}` : cell.code };
    const raw = formatRaw(cell);
    const label = labels.get(cell);
    if (missing.has(raw) || (label !== undefined && missing.has(label))) return { value: null, missing: label ? `${raw} ${label}` : raw };
    if (codes) {
      const byLabel = label !== undefined ? codes.get(label) : undefined;
      const mapped = byLabel !== undefined ? byLabel : codes.has(raw) ? codes.get(raw) : codes.get('*');
      if (mapped === undefined) return { value: null, problem: 'unknown_code', raw: label ? `${raw} (${label})` : raw };
      if (mapped === null) return { value: null, missing: label ? `${raw} ${label}` : raw };
      return finish(mapped, raw);
    }
    return finish(cell, raw);
  };
  return { name, spec, mapping, column, map };
}

/** The mapping bound to one file: a compiled converter for each canonical variable the mapping names. */
export function compileMapping(mapping: ImportMapping, table: SourceTable): CompiledVariable[] {
  return (Object.entries(mapping.variables) as Array<[CanonicalName, VariableMapping]>).map(([name, variable]) =>
    compileVariable(name, variable, mapping.missing, table),
  );
}
