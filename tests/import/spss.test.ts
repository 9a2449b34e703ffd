// The .sav reader against files written by R's haven, bytecode-compressed and uncompressed: values, value labels,
// system-missing, user-missing codes and ranges with their labels, and a clear message for each kind of damage.
import { describe, expect, test } from 'vitest';
import { readSpss } from '@/lib/import/spss';
import { SourceFileError } from '@/lib/import/types';
import { column, EXPECTED, fixture } from './fixtures';

describe.each(['bytecode', 'uncompressed'])('SPSS %s', (kind) => {
  const bytes = fixture(`cmds-${kind}.sav`);
  const table = readSpss(bytes);

  test('reads the dictionary: names, types, labels, row count, encoding', () => {
    expect(table.format).toBe('sav');
    expect(table.encoding).toBe('utf-8');
    expect(table.rowCount).toBe(8);
    expect(table.variables.map((v) => v.name)).toEqual(['id', 'cityid', 'strata', 'psu', 'weight', 'q101b1', 'q101c1y', 'q101f1', 'q101j1', 'q501', 'q701a', 'q701e', 'q213', 'note']);
    expect(table.variables.find((v) => v.name === 'note')?.type).toBe('string');
    expect(table.variables.find((v) => v.name === 'q101f1')).toMatchObject({ type: 'numeric', label: '户口性质' });
  });

  test('round-trips numbers and Chinese strings', () => {
    expect(column(table, 'id')).toEqual(EXPECTED.id);
    expect(column(table, 'cityid')).toEqual(EXPECTED.cityid);
    expect(column(table, 'weight')).toEqual(EXPECTED.weight);
    expect(column(table, 'q101c1y')).toEqual(EXPECTED.q101c1y);
    expect(column(table, 'note')).toEqual(EXPECTED.note);
  });

  test('keeps value labels, the user-missing code among them', () => {
    expect([...(table.variables.find((v) => v.name === 'q101f1')?.valueLabels ?? [])]).toEqual([...EXPECTED.hukouLabels, [9, '拒绝回答']]);
    expect([...(table.variables.find((v) => v.name === 'q101j1')?.valueLabels ?? [])]).toEqual(EXPECTED.migrationLabels);
  });

  test('marks system-missing, a discrete user-missing code and a user-missing range', () => {
    expect(column(table, 'q101f1')).toEqual([1, 2, 1, 3, 'missing:9:拒绝回答', 4, 1, 2]);
    expect(column(table, 'q213')).toEqual([8000, 12000, 'missing:sysmis', 6500.5, 9000, 'missing:-8:不知道', 15000, 4000]);
  });
});

describe('SPSS malformed files', () => {
  test('a file that is not SPSS', () => {
    expect(() => readSpss(Buffer.from('id,weight\n'))).toThrow(/not an SPSS \.sav file/);
  });

  test('a file whose magic says .zsav but whose compression code does not is refused as damaged', () => {
    const bytes = Buffer.from(fixture('cmds-bytecode.sav'));
    bytes.write('$FL3', 0, 'latin1');
    expect(() => readSpss(bytes)).toThrow(/compression code 1 does not match the file's magic \$FL3/);
  });

  test('a bytecode file cut inside a row names that row', () => {
    const bytes = fixture('cmds-bytecode.sav');
    const table = readSpss(bytes.subarray(0, bytes.length - 40));
    let error: SourceFileError | null = null;
    try {
      for (const _ of table.rows());
    } catch (e) {
      error = e as SourceFileError;
    }
    expect(error).toBeInstanceOf(SourceFileError);
    expect(error?.message).toMatch(/row [78] is cut off|ends after 7 rows/);
  });

  test('an uncompressed file cut inside a row names that row', () => {
    const bytes = fixture('cmds-uncompressed.sav');
    const table = readSpss(bytes.subarray(0, bytes.length - 20));
    expect(() => [...table.rows()]).toThrow(/row 8 is cut off/);
  });

  test('a damaged dictionary record', () => {
    const bytes = Buffer.from(fixture('cmds-uncompressed.sav'));
    bytes.writeInt32LE(42, 176); // the first record type after the 176-byte header
    expect(() => readSpss(bytes)).toThrow(/unknown dictionary record type 42 at byte 176/);
  });

  test('a file that ends inside the dictionary', () => {
    expect(() => readSpss(fixture('cmds-uncompressed.sav').subarray(0, 300))).toThrow(/the file ends at byte 300/);
  });
});

describe('SPSS long names and long strings', () => {
  const table = readSpss(fixture('cmds-long-strings.sav'));

  test('uses the long variable names', () => {
    expect(table.variables.map((v) => v.name)).toEqual(['respondent_identifier', 'migration_reason_text', 'long_comment']);
  });

  test('keeps the value labels of a string longer than 8 bytes', () => {
    expect([...(table.variables[1]?.valueLabels ?? [])]).toEqual([
      ['务工经商', '因务工经商流动'],
      ['随迁家属', '随迁家属'],
    ]);
    expect(column(table, 'migration_reason_text')).toEqual(['务工经商', '随迁家属', '其他']);
  });

  test('joins the 255-byte segments of a very long string without losing a byte', () => {
    const comments = column(table, 'long_comment');
    expect(comments[0]).toBe('流动人口健康服务'.repeat(40));
    expect(comments.slice(1)).toEqual(['短', '']);
  });
});
