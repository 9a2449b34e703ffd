// Writes respondent records as a CMDS-style CSV, the inverse of a codebook mapping: each canonical value becomes the
// file variable's Chinese value label (or code), reverse-coded items and logged income go back to their raw form.
// The benchmark and the import tests build their files from the demonstration generator this way.
import type { RespondentRecord } from '@/db/respondents';
import type { ImportMapping, VariableMapping } from '@/lib/import/mapping';

// Per variable: canonical (pre-transform) value → the file's code, value labels preferred over numeric codes (object
// keys that look like integers come first in JS, so they are sorted last here), as CMDS exports write them.
const reverseCodes = new WeakMap<VariableMapping, Map<unknown, string>>();

function codeFor(variable: VariableMapping, raw: unknown): string | undefined {
  let map = reverseCodes.get(variable);
  if (!map) {
    map = new Map();
    const entries = Object.entries(variable.codes ?? {}).sort(([a], [b]) => Number(Number.isNaN(Number(b))) - Number(Number.isNaN(Number(a))));
    for (const [code, mapped] of entries) if (code !== '*' && !map.has(mapped)) map.set(mapped, code);
    reverseCodes.set(variable, map);
  }
  return map.get(raw);
}

function fileValue(variable: VariableMapping, value: unknown): string {
  if (value === null || value === undefined) return '';
  let raw: unknown = value;
  if (variable.transform === 'reverse_1_4') raw = 5 - (value as number);
  else if (variable.transform === 'log') raw = Math.exp(value as number);
  else if (variable.transform === 'log1p') raw = Math.expm1(value as number);
  if (variable.codes) {
    const key = codeFor(variable, raw);
    if (key !== undefined) return key;
    if (variable.codes['*'] === raw) return '其他';
    throw new Error(`no code for ${String(raw)} in ${variable.source}`);
  }
  return String(raw);
}

function quote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV text (header + one line per record) in the file variables of the mapping. */
export function* cmdsCsvLines(records: Iterable<RespondentRecord>, mapping: ImportMapping): Generator<string> {
  // One file variable can feed two canonical ones (q503 → insuranceAny and insuranceType): write it once, from the
  // more detailed of the two (the one with more distinct codes).
  const bySource = new Map<string, [string, VariableMapping]>();
  for (const [name, variable] of Object.entries(mapping.variables)) {
    if (!variable.source) continue;
    const previous = bySource.get(variable.source);
    const distinct = (v: VariableMapping) => new Set(Object.values(v.codes ?? {})).size;
    if (!previous || distinct(variable) > distinct(previous[1])) bySource.set(variable.source, [name, variable]);
  }
  const columns = [...bySource.entries()];
  yield `${columns.map(([source]) => source).join(',')}\n`;
  for (const record of records) {
    const fields = record as Record<string, unknown>;
    yield `${columns.map(([, [name, variable]]) => quote(fileValue(variable, fields[name]))).join(',')}\n`;
  }
}

export function cmdsCsv(records: Iterable<RespondentRecord>, mapping: ImportMapping): string {
  return [...cmdsCsvLines(records, mapping)].join('');
}
