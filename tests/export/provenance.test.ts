import { describe, expect, test } from 'vitest';
import { downloadFileBase, parseTableCsv, provenanceLines, tableCsv } from '@/lib/export/provenance';
import { translator } from '@/lib/i18n/messages';

const input = {
  title: 'Health record established by city',
  dataset: { id: 7, label: 'Synthetic demo v3', kind: 'synthetic' },
  wave: 2017,
  filters: ['Health record established', 'Rural (agricultural) hukou, migrants', 'Inter-provincial'],
  minN: 30,
  page: '/compare?hukou=rural',
  date: '2026-11-30',
};

describe('download provenance', () => {
  test('names the dataset version, wave, filters, disclosure rule, source, citation and the synthetic notice', () => {
    const lines = provenanceLines(input, translator('en'), 'en');
    expect(lines[0]).toBe('Title: Health record established by city');
    expect(lines).toContain('Dataset: Synthetic demo v3 (version 7)');
    expect(lines).toContain('Survey wave: 2017');
    expect(lines).toContain('Filters: Health record established, Rural (agricultural) hukou, migrants, Inter-provincial');
    expect(lines.join('\n')).toMatch(/fewer than 30 respondents are suppressed/);
    expect(lines.join('\n')).toMatch(/^Source: synthetic demonstration data/m);
    expect(lines.join('\n')).toContain('Cite as: Migrant Health Services & Integration Monitor, Synthetic demo v3 (version 7), /compare?hukou=rural, downloaded 2026-11-30.');
    expect(lines.at(-1)).toBe(translator('en')('synthetic.banner'));
  });

  test('an imported dataset cites the survey and carries no synthetic notice; Chinese lines are Chinese', () => {
    const lines = provenanceLines({ ...input, dataset: { ...input.dataset, kind: 'imported' } }, translator('zh'), 'zh');
    expect(lines.join('\n')).toContain('来源：中国流动人口动态监测调查');
    expect(lines.join('\n')).not.toContain(translator('zh')('synthetic.banner'));
    expect(lines).toContain('筛选条件：Health record established、Rural (agricultural) hukou, migrants、Inter-provincial');
  });

  test('the CSV carries the block on top and reads back cell for cell, commas, quotes and Chinese included', () => {
    const lines = provenanceLines(input, translator('en'), 'en');
    const rows = [
      ['深圳', '45.0%', '43.4%–46.5%', '6,238'],
      ['Say "hi", twice', 'suppressed (n < 30)', '', '< 30'],
      ['#1 city', 'a # b', ' spaced ', ''],
    ];
    const csv = tableCsv(lines, ['City', 'Estimate', '95% CI', 'n'], rows, 'Lines starting with # are notes.');
    // Unquoted comment lines, then the header at once: comment-aware readers need no skip count.
    expect(csv.startsWith('\uFEFF# Lines starting with # are notes.\r\n# Title: Health record established by city\r\n')).toBe(true);
    expect(csv).toContain(`\r\n# ${lines.at(-1)}\r\nCity,Estimate,95% CI,n\r\n`);
    const parsed = parseTableCsv(csv);
    expect(parsed.provenance).toEqual(['Lines starting with # are notes.', ...lines]);
    expect(parsed.header).toEqual(['City', 'Estimate', '95% CI', 'n']);
    expect(parsed.rows).toEqual(rows);
  });

  test('file names say what the file is, in ASCII', () => {
    expect(downloadFileBase(['comparison', 'health_record', 2017, 'rural', 'inter_province', null, undefined, ''])).toBe('comparison_health-record_2017_rural_inter-province');
  });
});
