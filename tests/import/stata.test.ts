// The .dta reader against files written by R's haven in every format the issue names (114, 115, 117, 118, 119):
// values, value labels, variable labels, extended missing values with their labels, GB18030 strings of old formats,
// and a clear message for each kind of damage.
import { describe, expect, test } from 'vitest';
import { readStata } from '@/lib/import/stata';
import { SourceFileError } from '@/lib/import/types';
import { writeDta114 } from './dta-writer';
import { column, EXPECTED, fixture } from './fixtures';

const FORMATS = [114, 115, 117, 118, 119] as const;

describe.each(FORMATS)('Stata format %i', (format) => {
  const bytes = fixture(`cmds-${format}.dta`);
  const table = readStata(bytes);

  test('reads the header: variables, types, row count, labels', () => {
    expect(table.format).toBe('dta');
    expect(table.rowCount).toBe(8);
    expect(table.fileLabel).toBe('CMDS 2017 样例');
    expect(table.variables.map((v) => v.name)).toEqual(['id', 'cityid', 'strata', 'psu', 'weight', 'q101b1', 'q101c1y', 'q101f1', 'q101j1', 'q501', 'q701a', 'q701e', 'q213', 'note']);
    expect(table.variables.find((v) => v.name === 'id')?.type).toBe('string');
    expect(table.variables.find((v) => v.name === 'weight')).toMatchObject({ type: 'numeric', label: '样本权重' });
    expect(table.variables.find((v) => v.name === 'q101f1')?.label).toBe('户口性质');
  });

  test('round-trips values, strings in Chinese and empty strings', () => {
    expect(column(table, 'id')).toEqual(EXPECTED.id);
    expect(column(table, 'cityid')).toEqual(EXPECTED.cityid);
    expect(column(table, 'weight')).toEqual(EXPECTED.weight);
    expect(column(table, 'q101c1y')).toEqual(EXPECTED.q101c1y);
    expect(column(table, 'q101j1')).toEqual(EXPECTED.q101j1);
    expect(column(table, 'note')).toEqual(EXPECTED.note);
  });

  test('keeps value labels, including the label of an extended missing value', () => {
    const hukou = table.variables.find((v) => v.name === 'q101f1');
    expect([...(hukou?.valueLabels ?? [])]).toEqual([...EXPECTED.hukouLabels, ['.a', '拒绝回答']]);
    expect([...(table.variables.find((v) => v.name === 'q101j1')?.valueLabels ?? [])]).toEqual(EXPECTED.migrationLabels);
  });

  test('tells system missing from extended missing .a and .b, with their labels', () => {
    expect(column(table, 'q101f1')).toEqual([1, 2, 1, 3, 'missing:.a:拒绝回答', 4, 1, 2]);
    expect(column(table, 'q213')).toEqual([8000, 12000, 'missing:.', 6500.5, 9000, 'missing:.b:不知道', 15000, 4000]);
  });

  test('a truncated file names the row where the data stop', () => {
    const cut = format >= 117 ? bytes.length - 700 : bytes.length - 400;
    expect(() => [...readStata(bytes.subarray(0, cut)).rows()]).toThrow(SourceFileError);
  });
});

describe('Stata GB18030 strings (format 114 from Chinese Stata ≤ 13)', () => {
  test('decodes strings, value labels and variable labels from GB18030', () => {
    const table = readStata(fixture('cmds-114-gb18030.dta'));
    expect(table.encoding).toBe('gb18030');
    expect(column(table, 'note')).toEqual(['外出务工', '随迁家属']);
    const hukou = table.variables.find((v) => v.name === 'q101f1');
    expect(hukou?.label).toBe('户口性质');
    expect([...(hukou?.valueLabels ?? [])]).toEqual([
      [1, '农业'],
      [2, '非农业'],
    ]);
  });

  test('the encoding can be chosen instead of detected', () => {
    const table = readStata(fixture('cmds-114-gb18030.dta'), { encoding: 'gb18030' });
    expect(column(table, 'note')).toEqual(['外出务工', '随迁家属']);
  });
});

describe('Stata malformed files', () => {
  test('a file that is not Stata at all', () => {
    expect(() => readStata(Buffer.from('id,weight\n1,2\n'))).toThrow(/not a Stata \.dta file/);
  });

  test('an unsupported release in the tagged header', () => {
    const bytes = Buffer.from(fixture('cmds-118.dta'));
    bytes.write('120', '<stata_dta><header><release>'.length, 'latin1');
    expect(() => readStata(bytes)).toThrow(/format 120; formats 113–115 and 117–119 can be read/);
  });

  test('a file cut inside the data names the row', () => {
    const bytes = fixture('cmds-114.dta');
    // Header of format 114 for 14 variables: 109 + 14 × (1 + 33 + 49 + 33 + 81) + 2 × 15 bytes, then expansion fields.
    const error = (() => {
      try {
        readStata(bytes.subarray(0, 3300));
      } catch (e) {
        return e as SourceFileError;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(SourceFileError);
    expect(error?.message).toMatch(/truncated.*stop inside row \d+/);
    expect(error?.location.row).toBeGreaterThan(0);
  });

  test('a tagged file whose section map points past its end', () => {
    const bytes = fixture('cmds-117.dta');
    expect(() => readStata(bytes.subarray(0, 1500))).toThrow(SourceFileError);
  });

  test('an empty file', () => {
    expect(() => readStata(new Uint8Array(0))).toThrow(/empty/);
  });
});

describe("Stata's own storage types (written by tests/import/dta-writer.ts)", () => {
  const utf8 = (text: string) => new TextEncoder().encode(text);
  const bytes = writeDta114(
    [
      { name: 'q101f1', type: 'byte', values: [1, 2, '.', '.a', '.z', -127, 100], labels: 'hukou', label: '户口性质' },
      { name: 'q101c1y', type: 'int', values: [1985, -32767, 32740, '.', '.b', 0, 2000] },
      { name: 'cityid', type: 'long', values: [440300, 2_147_483_620, '.', '.c', -5, 110100, 1] },
      { name: 'q208', type: 'float', values: [8.5, 1.1, '.', '.d', 16777216, -0.25, 0] },
      { name: 'weight', type: 'double', values: [1.125, 1e300, '.', '.e', -2.5, 0.1, 3] },
      { name: 'psu', type: 'str', width: 12, values: ['440300-001', '', '流动', 'x', 'y', 'z', '123456789012'].map(utf8) },
    ],
    { hukou: [[1, utf8('农业')], [2, utf8('非农业')], [2_147_483_622, utf8('拒绝回答')]] },
  );
  const table = readStata(bytes);

  test('byte, int, long, float and double values at the edges of their ranges', () => {
    expect(column(table, 'q101f1').slice(5)).toEqual([-127, 100]);
    expect(column(table, 'q101c1y')).toEqual([1985, -32767, 32740, 'missing:.', 'missing:.b', 0, 2000]);
    expect(column(table, 'cityid')).toEqual([440300, 2_147_483_620, 'missing:.', 'missing:.c', -5, 110100, 1]);
    expect(column(table, 'q208')).toEqual([8.5, 1.1, 'missing:.', 'missing:.d', 16777216, -0.25, 0]);
    expect(column(table, 'weight')).toEqual([1.125, 1e300, 'missing:.', 'missing:.e', -2.5, 0.1, 3]);
    expect(column(table, 'psu')).toEqual(['440300-001', '', '流动', 'x', 'y', 'z', '123456789012']);
  });

  test('missing codes of a byte variable, .a labelled through the label table', () => {
    expect(column(table, 'q101f1').slice(0, 5)).toEqual([1, 2, 'missing:.', 'missing:.a:拒绝回答', 'missing:.z']);
    expect(table.variables[0]).toMatchObject({ label: '户口性质' });
  });
});

describe.each([117, 118, 119])('Stata strL, format %i', (format) => {
  test('reads long strings from the strls section, and empty ones', () => {
    const table = readStata(fixture(`cmds-strl-${format}.dta`));
    expect(column(table, 'story')).toEqual(['外出务工经商'.repeat(30), '短文本', '']);
    expect(column(table, 'id')).toEqual(['S1', 'S2', 'S3']);
  });
});
