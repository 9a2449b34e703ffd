// The CSV reader: UTF-8 with BOM and GB18030 (detected or chosen), quoting, CRLF, and a clear message for each kind
// of damage.
import iconv from 'iconv-lite';
import { describe, expect, test } from 'vitest';
import { readCsv } from '@/lib/import/csv';
import { detectEncoding } from '@/lib/import/text';
import { column, EXPECTED, fixture } from './fixtures';

describe.each([
  ['cmds-utf8.csv', 'utf-8'],
  ['cmds-gb18030.csv', 'gb18030'],
] as const)('CSV %s', (name, encoding) => {
  const table = readCsv(fixture(name));

  test(`detects ${encoding} and reads the header`, () => {
    expect(table.encoding).toBe(encoding);
    expect(table.rowCount).toBe(8);
    expect(table.variables.map((v) => v.name).slice(0, 6)).toEqual(['id', 'cityid', 'strata', 'psu', 'weight', 'q101b1']);
  });

  test('reads Chinese text, quoted fields with doubled quotes, and empty cells as missing', () => {
    expect(column(table, 'id')).toEqual(EXPECTED.id);
    expect(column(table, 'q101j1')).toEqual(['跨省', '跨省', '省内跨市', '市内跨县', '跨省', '省内跨市', '市内跨县', '跨省']);
    expect(column(table, 'note')).toEqual(['外出务工', null, '随迁家属', '经商，"个体"', '务工', null, '学习培训', '其他原因']);
    expect(column(table, 'q213')[2]).toBeNull();
  });
});

describe('CSV encodings', () => {
  test('GB18030 can be chosen explicitly', () => {
    expect(column(readCsv(fixture('cmds-gb18030.csv'), { encoding: 'gb18030' }), 'q101f1')[1]).toBe('非农业');
  });

  test('choosing UTF-8 for a GB18030 file says which line is not UTF-8 and suggests GB18030', () => {
    expect(() => readCsv(fixture('cmds-gb18030.csv'), { encoding: 'utf-8' })).toThrow(/line 2 is not valid UTF-8.*choose GB18030/);
  });

  test('detection: ASCII and UTF-8 are UTF-8, GB18030 Chinese is GB18030', () => {
    expect(detectEncoding(Buffer.from('a,b\n1,2\n'))).toBe('utf-8');
    expect(detectEncoding(Buffer.from('户口,流动\n'))).toBe('utf-8');
    expect(detectEncoding(iconv.encode('户口性质,流动范围\n农业,跨省\n', 'gb18030'))).toBe('gb18030');
  });

  test('tab- and semicolon-separated files', () => {
    expect(readCsv(Buffer.from('a\tb\n1\t2\n')).variables.map((v) => v.name)).toEqual(['a', 'b']);
    expect(column(readCsv(Buffer.from('a;b\n1;2\n')), 'b')).toEqual(['2']);
  });
});

describe('CSV malformed files', () => {
  test('a row with too few fields names the row and the line', () => {
    expect(() => readCsv(Buffer.from('id,weight,city\nA1,1.5,440300\nA2,2.0\n'))).toThrow(/row 2 \(line 3\) has 2 fields but the header has 3/);
  });

  test('a quote that is never closed names its line', () => {
    expect(() => readCsv(Buffer.from('id,note\nA1,ok\nA2,"open\n'))).toThrow(/quoted field that starts on line 3 is never closed/);
  });

  test('a repeated column name', () => {
    expect(() => readCsv(Buffer.from('id,weight,ID\n1,2,3\n'))).toThrow(/names "ID" twice \(columns 1 and 3\)/);
  });

  test('an empty file', () => {
    expect(() => readCsv(Buffer.from('\r\n'))).toThrow(/empty/);
  });
});
