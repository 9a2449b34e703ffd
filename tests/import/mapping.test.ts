// Codebook mappings: the JSON is validated with messages that name the path; codes resolve by value label first and
// then by raw code; "*" and null codes; missing codes; transforms; lenient variables; and the canonical variables are
// exactly the respondents table's columns.
import { getTableColumns } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { respondents } from '@/db/schema';
import { CANONICAL_NAMES } from '@/lib/import/canonical';
import { compileMapping, MappingError, parseMapping, type ImportMapping } from '@/lib/import/mapping';
import { DEFAULT_MAPPINGS } from '@/lib/import/mappings';
import { processSurveyRows } from '@/lib/import/process';
import { MissingValue, type Cell, type SourceTable } from '@/lib/import/types';

function table(columns: Array<{ name: string; labels?: Array<[number | string, string]> }>, rows: Cell[][]): SourceTable {
  return {
    format: 'dta',
    encoding: 'utf-8',
    fileLabel: null,
    variables: columns.map((c) => ({ name: c.name, label: null, type: 'numeric', valueLabels: new Map(c.labels ?? []) })),
    rowCount: rows.length,
    rows: () => rows,
  };
}

const mapOne = (mapping: ImportMapping, source: SourceTable, cell: Cell) => {
  const [variable] = compileMapping(mapping, source);
  return variable?.map(cell, source.variables[0]?.valueLabels ?? new Map());
};

describe('mapping JSON', () => {
  test('the default CMDS 2017 and 2018 mappings are valid and name only canonical variables', () => {
    for (const mapping of Object.values(DEFAULT_MAPPINGS)) {
      expect(Object.keys(mapping.variables).every((k) => (CANONICAL_NAMES as string[]).includes(k))).toBe(true);
    }
    expect(DEFAULT_MAPPINGS['cmds-2018'].variables.wave).toEqual({ constant: 2018 });
  });

  test('reports invalid JSON, unknown canonical variables and a variable with both source and constant', () => {
    expect(() => parseMapping('{')).toThrow(MappingError);
    expect(() => parseMapping(JSON.stringify({ name: 'x', variables: { hukou: { source: 'a' } } }))).toThrow(/variables\.hukou: "hukou" is not a canonical variable/);
    expect(() => parseMapping(JSON.stringify({ name: 'x', variables: { wave: { source: 'a', constant: 2017 } } }))).toThrow(/give either "source" or "constant"/);
    expect(() => parseMapping(JSON.stringify({ name: 'x', variables: { male: { source: 'a', transform: 'sqrt' } } }))).toThrow(/variables\.male\.transform/);
  });

  test('canonical variables are the respondents table’s columns', () => {
    const columns = Object.keys(getTableColumns(respondents)).filter((k) => k !== 'id' && k !== 'datasetId');
    expect([...CANONICAL_NAMES].sort()).toEqual(columns.sort());
  });
});

describe('mapping values', () => {
  const hukou = parseMapping(
    JSON.stringify({ name: 't', variables: { ruralHukou: { source: 'q101f1', codes: { 农业: 1, 非农业: 0, '2': 0, '5': null }, missing: ['拒绝回答'] } } }),
  );
  const source = table([{ name: 'Q101F1', labels: [[1, '农业'], [2, '其他'], [8, '拒绝回答']] }], []);

  test('a value label wins over the raw code; the raw code is the fallback; names match case-insensitively', () => {
    expect(mapOne(hukou, source, 1)).toEqual({ value: 1 });
    expect(mapOne(hukou, table([{ name: 'Q101F1' }], []), 2)).toEqual({ value: 0 });
  });

  test('a labelled code whose label the mapping does not know, or contradicts, is refused with both labels', () => {
    // Code 2 is labelled 其他 in the file; the mapping reads code 2 as 非农业: the label must not be ignored.
    expect(mapOne(hukou, source, 2)).toEqual({ value: null, problem: 'label_mismatch', raw: '2: file label "其他", mapping "非农业" → 0 (the mapping does not know the file label)' });
    const reversed = table([{ name: 'q101f1', labels: [[1, '非农业'], [2, '农业']] }], []);
    const byCode = parseMapping(JSON.stringify({ name: 't', variables: { ruralHukou: { source: 'q101f1', codes: { 农业: 1, 非农业: 0, '1': 1, '2': 0 } } } }));
    expect(mapOne(byCode, reversed, 1)).toMatchObject({ value: null, problem: 'label_mismatch', raw: expect.stringMatching(/^1: file label "非农业", mapping "农业" → 1, but the mapping reads "非农业" as 0/) });
  });

  test('a mapping value that is not valid for the variable is the mapping\'s error, not the file\'s', () => {
    const yes = parseMapping(JSON.stringify({ name: 't', variables: { male: { source: 'sex', codes: { '1': 'yes', '2': 0 } } } }));
    expect(mapOne(yes, table([{ name: 'sex' }], []), 1)).toEqual({ value: null, problem: 'mapping_value', raw: '1 → "yes"' });
  });

  test('a code mapped to null, a missing label and extended missing values are missing, with their code', () => {
    expect(mapOne(hukou, source, 5)).toEqual({ value: null, missing: '5' });
    expect(mapOne(hukou, source, 8)).toEqual({ value: null, missing: '8 拒绝回答' });
    expect(mapOne(hukou, source, new MissingValue('.a', '不适用'))).toEqual({ value: null, missing: '.a 不适用' });
    expect(mapOne(hukou, source, null)).toEqual({ value: null, missing: 'empty' });
  });

  test('an unknown code is a problem, not a silent missing value', () => {
    expect(mapOne(hukou, source, 3)).toEqual({ value: null, problem: 'unknown_code', raw: '3' });
  });

  test('"*" maps every other code; enums accept only their values', () => {
    const han = parseMapping(JSON.stringify({ name: 't', variables: { han: { source: 'x', codes: { 汉族: 1, '*': 0 } } } }));
    expect(mapOne(han, table([{ name: 'x' }], []), '回族')).toEqual({ value: 0 });
    const range = parseMapping(JSON.stringify({ name: 't', variables: { migrationRange: { source: 'x' } } }));
    expect(mapOne(range, table([{ name: 'x' }], []), 'inter_city')).toEqual({ value: 'inter_city' });
    expect(mapOne(range, table([{ name: 'x' }], []), 'abroad')).toMatchObject({ problem: 'unknown_code' });
  });

  test('transforms: log income, reverse-coded 1–4 items; range and whole-number checks after them', () => {
    const m = parseMapping(JSON.stringify({ name: 't', variables: { logHouseholdIncome: { source: 'x', transform: 'log' } } }));
    expect(mapOne(m, table([{ name: 'x' }], []), '8000')?.value).toBeCloseTo(Math.log(8000), 12);
    expect(mapOne(m, table([{ name: 'x' }], []), 0)).toMatchObject({ problem: 'out_of_range' });
    const r = parseMapping(JSON.stringify({ name: 't', variables: { integHygieneRev: { source: 'x', transform: 'reverse_1_4' } } }));
    expect(mapOne(r, table([{ name: 'x' }], []), 1)).toEqual({ value: 4 });
    expect(mapOne(r, table([{ name: 'x' }], []), 2.5)).toMatchObject({ problem: 'not_an_integer' });
    expect(mapOne(r, table([{ name: 'x' }], []), 9)).toMatchObject({ problem: 'out_of_range' });
  });

  test('a lenient variable turns unknown codes into a warning; the row still loads', () => {
    // healthRecord: an indicator of the wave, so that the version would not be empty.
    const base = { name: 't', variables: { wave: { constant: 2017 }, cityCode: { source: 'c' }, stratum: { source: 's' }, psu: { source: 'p' }, weight: { source: 'w' }, healthRecord: { constant: 1 } } };
    const strict = parseMapping(JSON.stringify({ ...base, variables: { ...base.variables, male: { source: 'sex', codes: { '1': 1, '2': 0 } } } }));
    const lenient = parseMapping(JSON.stringify({ ...base, variables: { ...base.variables, male: { source: 'sex', codes: { '1': 1, '2': 0 }, lenient: true } } }));
    const source = table([{ name: 'c' }, { name: 's' }, { name: 'p' }, { name: 'w' }, { name: 'sex' }], [['440300', '44', '1', 1, 3]]);
    const context = { fileName: 'f.dta', knownCities: new Set(['440300']) };
    const refused = processSurveyRows(source, strict, context);
    expect(refused.canImport).toBe(false);
    expect(refused.problems[0]?.message).toBe('f.dta: variable "sex" (→ male): code "3" not in the mapping in 1 row (first: row 1)');
    const accepted = processSurveyRows(source, lenient, context);
    expect(accepted).toMatchObject({ canImport: true, validRows: 1 });
    expect(accepted.problems[0]).toMatchObject({ severity: 'warning', code: 'unknown_code' });
  });
});
