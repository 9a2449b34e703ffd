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

/**
 * Mapping bytes as text: UTF-8 with or without the BOM that Windows Notepad writes. A GB18030 or UTF-16 file is
 * refused by name, since reading it as UTF-8 would give a JSON error that hides the cause.
 */
export function decodeMappingBytes(bytes: Uint8Array, fileName = 'the mapping'): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new MappingError(`${fileName} is saved as UTF-16; save it as UTF-8 (in Notepad: Save as → Encoding: UTF-8)`);
  }
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start));
  } catch {
    let gb18030 = false;
    try {
      new TextDecoder('gb18030', { fatal: true }).decode(bytes.subarray(start));
      gb18030 = true;
    } catch {
      // neither: said below
    }
    throw new MappingError(
      gb18030
        ? `${fileName} is saved in GB18030 (GBK), not UTF-8; save it as UTF-8 (in Notepad: Save as → Encoding: UTF-8)`
        : `${fileName} is not UTF-8 text; save it as UTF-8`,
    );
  }
}

/** Parses mapping JSON text (a leading BOM is accepted); the error names the file and lists each problem with its path. */
export function parseMapping(text: string, fileName = 'the mapping'): ImportMapping {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new MappingError(`${fileName} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = mappingSchema.safeParse(json);
  if (!parsed.success) {
    throw new MappingError(`${fileName} is not a valid mapping: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

export function mappingChecksum(mapping: ImportMapping): string {
  return createHash('sha256').update(JSON.stringify(mapping)).digest('hex');
}

/** Why one value could not be mapped. */
export type ValueProblem = 'unknown_code' | 'out_of_range' | 'not_a_number' | 'not_an_integer' | 'label_mismatch' | 'mapping_value';

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
  // For each code the mapping lists, the mapping's own label with the same meaning ("1" → "农业"), for messages.
  const codeMeaning = new Map<string, string>();
  if (codes) {
    for (const [key, value] of codes) {
      if (key === '*' || !/^-?\d+(\.\d+)?$/.test(key)) continue;
      const label = [...codes].find(([other, v]) => v === value && other !== '*' && !/^-?\d+(\.\d+)?$/.test(other))?.[0];
      if (label) codeMeaning.set(key, label);
    }
  }
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
    // An empty string is how Stata and SPSS store a missing string value (CSV readers give null already).
    if (cell === null || (typeof cell === 'string' && cell.trim() === '')) return { value: null, missing: 'empty' };
    if (cell instanceof MissingValue) return { value: null, missing: cell.label ? `${cell.code} ${cell.label}` : cell.code };
    const raw = formatRaw(cell);
    const label = labels.get(cell);
    if (missing.has(raw) || (label !== undefined && missing.has(label))) return { value: null, missing: label ? `${raw} ${label}` : raw };
    if (codes) {
      const byLabel = label !== undefined ? codes.get(label) : undefined;
      // The file's value label must agree with what the mapping says the code means (issue: a file labelling
      // 1 = 非农业户口, 2 = 农业户口 would otherwise be read by its codes, reversing hukou without a word).
      if (label !== undefined && label !== raw && codes.has(raw) && codes.get(raw) !== null && byLabel !== codes.get(raw)) {
        const meaning = codeMeaning.get(raw);
        return {
          value: null,
          problem: 'label_mismatch',
          raw: `${raw}: file label "${label}", mapping ${meaning ? `"${meaning}"` : `code ${raw}`} → ${JSON.stringify(codes.get(raw))}${byLabel === undefined ? ' (the mapping does not know the file label)' : `, but the mapping reads "${label}" as ${JSON.stringify(byLabel)}`}`,
        };
      }
      const mapped = byLabel !== undefined ? byLabel : codes.has(raw) ? codes.get(raw) : codes.get('*');
      if (mapped === undefined) return { value: null, problem: 'unknown_code', raw: label ? `${raw} (${label})` : raw };
      if (mapped === null) return { value: null, missing: label ? `${raw} ${label}` : raw };
      const result = finish(mapped, raw);
      // A value the mapping itself gives ("yes" for a 0/1 variable) is the mapping's mistake, not the file's.
      if (result.problem) {
        return { value: null, problem: 'mapping_value', raw: `${label ? `${raw} (${label})` : raw} → ${JSON.stringify(mapped)}` };
      }
      return result;
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
