// The CSV downloads read in R as the file's own first note says, with no skip count: read.csv(file, comment.char = "#",
// fileEncoding = "UTF-8-BOM") returns the header and the rows cell for cell, Chinese, commas, quotes and '#' included.
// Runs R when Rscript is installed (it is in CI and on the team's machines); otherwise it says why it skipped.
import { describe, expect, test } from 'vitest';
import { comparisonCsv } from '@/lib/export/indicator-csv';
import { parseTableCsv, provenanceLines, tableCsv } from '@/lib/export/provenance';
import { findIndicator } from '@/lib/indicators/catalogue';
import { translator } from '@/lib/i18n/messages';
import { publishCell } from '@/lib/disclosure/publish';
import { hasRscript, readCsvInR } from '../support/read-csv-in-r';

if (!hasRscript) console.warn('csv-readers: Rscript is not installed, so the R reading test is skipped.');

/** R's reading as lines: the column names, then each row's cells joined by a tab. */
function readInR(csv: string): string[] {
  const read = readCsvInR(csv)!;
  return [read.header, ...read.rows].map((cells) => cells.join('\t'));
}

describe.skipIf(!hasRscript)('CSV downloads in R', () => {
  const t = translator('zh');

  test('a table download (provenance block in Chinese) reads with the call its first note gives', () => {
    const lines = provenanceLines(
      { title: '建立健康档案, 按城市', dataset: { id: 3, label: '演示数据, 2026', kind: 'synthetic' }, wave: 2017, filters: ['农业户籍', '跨省流动'], minN: 30, page: '/compare?wave=2017#x', date: '2026-11-30' },
      t,
      'zh',
    );
    const header = ['城市', '估计值', '95% CI', 'n'];
    const rows = [
      ['深圳', '45.0%', '43.4%–46.5%', '6,238'],
      ['Say "hi", twice', '已隐藏（n < 30）', '', '< 30'],
      ['#1 city', 'a # b', '', '—'],
    ];
    const csv = tableCsv(lines, header, rows, t('download.csvReading'));
    expect(csv).toContain('comment.char = "#", fileEncoding = "UTF-8-BOM"');
    expect(readInR(csv)).toEqual([header.join('\t'), ...rows.map((r) => r.join('\t'))]);
    // The same file as the tests' own reader sees it.
    expect(parseTableCsv(csv).rows).toEqual(rows);
  });

  test('the comparison download (the /api/exports/compare file) reads as its table, with no note among the rows', () => {
    const base = { indicator: 'health_record', geoLevel: 'city', hukou: 'all', migrationRange: 'all', ciLow: 0.1, ciHigh: 0.3, weightedShare: 0.08 };
    const csv = comparisonCsv({
      rows: [
        { ...publishCell({ ...base, geoCode: '440300', n: 812, estimate: 0.177, status: 'published', unreliable: false }, 'proportion', 30), cityCode: '440300', name: '深圳', province: '广东' },
        { ...publishCell({ ...base, geoCode: '620100', n: 12, estimate: 0.9, status: 'primary', unreliable: false }, 'proportion', 30), cityCode: '620100', name: '兰州', province: '甘肃' },
      ],
      definition: findIndicator('health_record')!,
      locale: 'zh',
      t,
      minN: 30,
      title: '建立健康档案, 2017',
      synthetic: true,
      provenance: ['数据集：演示数据（版本 1）', '筛选条件：全部户籍, 全部流动范围'],
    });
    const read = readInR(csv);
    expect(read).toHaveLength(3);
    expect(read[0]!.split('\t').slice(0, 3)).toEqual(['城市', 'city_code', '省份']);
    expect(read[1]!.split('\t').slice(0, 4)).toEqual(['深圳', '440300', '广东', '17.7%']);
    expect(read[2]!.split('\t')[1]).toBe('620100');
  });
});
