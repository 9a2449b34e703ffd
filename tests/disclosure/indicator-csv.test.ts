// The comparison CSV carries what the page shows and nothing more: rounded figures, hidden cells as words with "n < 30"
// or no n, unreliable estimates in parentheses; the reading note, legend and synthetic-data notice as "# " lines on top.
import { describe, expect, test } from 'vitest';
import { comparisonCsv, type CsvCityRow } from '@/lib/export/indicator-csv';
import { findIndicator } from '@/lib/indicators/catalogue';
import { translator } from '@/lib/i18n/messages';
import { publishCell } from '@/lib/disclosure/publish';

const base = { indicator: 'health_record', geoLevel: 'city', hukou: 'urban', migrationRange: 'inter_county', ciLow: 0.1, ciHigh: 0.3, weightedShare: 0.0812345 };
const row = (code: string, status: 'published' | 'primary' | 'secondary', n: number, estimate: number | null, unreliable = false): CsvCityRow => ({
  ...publishCell({ ...base, geoCode: code, n, estimate, status, unreliable }, 'proportion', 30),
  cityCode: code,
  name: `City ${code}`,
  province: 'P',
});

describe('comparison CSV', () => {
  const csv = comparisonCsv({
    rows: [row('440300', 'published', 812, 0.1769289354040198), row('440100', 'published', 41, 0.2, true), row('620100', 'primary', 12, 0.9), row('630100', 'secondary', 64, 0.4)],
    definition: findIndicator('health_record')!,
    locale: 'en',
    t: translator('en'),
    minN: 30,
    title: 'Health record established, 2017',
    synthetic: true,
  });
  // The table: the lines after the "# " notes (as R's comment.char and pandas' comment skip them).
  const lines = csv.replace(/^\uFEFF/, '').split('\r\n').filter((line) => !line.startsWith('#'));

  test('published cells are rounded as printed; unreliable ones are in parentheses', () => {
    expect(lines[1]).toBe('City 440300,440300,P,17.7%,10.0%,30.0%,812,8.1%,published,');
    expect(lines[2]).toBe('City 440100,440100,P,(20.0%),10.0%,30.0%,41,8.1%,published,yes');
  });

  test('a small cell says so with "n < 30", a secondary one gives no n, and neither carries a number of its own', () => {
    expect(lines[3]).toBe('City 620100,620100,P,suppressed (n < 30),,,< 30,,primary,');
    expect(lines[4]).toBe('City 630100,630100,P,hidden to protect another cell,,,—,,secondary,');
    expect(lines[3]).not.toMatch(/\b12\b|90/);
    expect(lines[4]).not.toMatch(/\b64\b|40/);
    expect(csv).not.toMatch(/0\.17692/);
  });

  test('opens with how to read it, the legend and the synthetic-data notice as comment lines, and nothing follows the rows', () => {
    expect(csv.startsWith('\uFEFF# Lines starting with # are notes, not data. R: read.csv(file, comment.char = "#", fileEncoding = "UTF-8-BOM")')).toBe(true);
    expect(csv).toContain('# suppressed (n < 30): fewer than 30 respondents');
    expect(lines[0]).toMatch(/^City,city_code,/);
    expect(lines.at(-1)).toBe('');
    expect(lines.at(-2)).toMatch(/^City 630100,/);
    expect(csv).toContain('hidden to protect another cell: enough respondents');
    expect(csv).toContain('in parentheses: interpret with caution');
    expect(csv).toContain('# Demonstration data');
  });

  test('with a provenance block, it sits on top as unquoted "# " lines and the header follows at once', () => {
    const withBlock = comparisonCsv({
      rows: [row('440300', 'published', 812, 0.1769289354040198)],
      definition: findIndicator('health_record')!,
      locale: 'en',
      t: translator('en'),
      minN: 30,
      title: 'Health record established, 2017',
      synthetic: true,
      provenance: ['Dataset: demo (version 1)', 'Filters: Rural, "inter", provincial'],
    });
    const blockLines = withBlock.replace(/^\uFEFF/, '').split('\r\n');
    expect(blockLines.slice(1, 3)).toEqual(['# Dataset: demo (version 1)', '# Filters: Rural, "inter", provincial']);
    const header = blockLines.findIndex((line) => !line.startsWith('#'));
    expect(blockLines.slice(0, header).every((line) => line.startsWith('# '))).toBe(true);
    expect(blockLines[header]).toMatch(/^City,city_code,/);
    expect(blockLines[header + 1]).toBe('City 440300,440300,P,17.7%,10.0%,30.0%,812,8.1%,published,');
  });
});
