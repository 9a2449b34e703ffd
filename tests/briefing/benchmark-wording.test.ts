// The city briefing names its benchmark as the page does: in the 2014 eight-city module the benchmark cells are the
// eight cities' total, so the summary, the clearly-above list and the table header never call it national.
import { describe, expect, test } from 'vitest';
import { buildCityBriefing } from '@/lib/pdf/briefing-model';
import type { BriefingCell, CityBriefingInput } from '@/lib/pdf/briefing-types';

function cell(geoLevel: string, geoCode: string, estimate: number, low: number, high: number): BriefingCell {
  return { indicator: 'health_record', geoLevel, geoCode, hukou: 'all', migrationRange: 'all', n: 1200, nBand: null, estimate, ciLow: low, ciHigh: high, suppressed: false, status: 'published', unreliable: false };
}

function input(locale: 'zh' | 'en', wave: number): CityBriefingInput {
  return {
    locale,
    date: new Date('2026-03-02T09:30:00+08:00'),
    minN: 30,
    dataset: {
      label: 'demo',
      kind: 'synthetic',
      createdAt: new Date('2026-03-01T00:00:00Z'),
      waves: [
        { year: 2014, label: '2014 eight-city module', design: 'module_2014_eight_cities', respondentCount: 15_997 },
        { year: 2017, label: '2017', design: 'national', respondentCount: 169_989 },
      ],
    },
    city: { code: '440300', nameZh: '深圳', nameEn: 'Shenzhen', provinceZh: '广东', provinceEn: 'Guangdong', tier: 'tier1' },
    filters: { wave, hukou: 'all', range: 'all' },
    // The city clearly above the benchmark (the intervals do not overlap).
    cells: [cell('city', '440300', 0.6, 0.55, 0.65), cell('tier', 'tier1', 0.5, 0.45, 0.55), cell('national', 'CN', 0.4, 0.38, 0.42)],
    findings: [],
  };
}

describe('city briefing benchmark wording', () => {
  test('the 2014 module briefing says eight-city total, in English and Chinese, and never national', () => {
    const en = buildCityBriefing(input('en', 2014));
    const enSummary = en.cover.summary.join(' ');
    expect(enSummary).toContain('clearly above the eight-city total on 1 indicator');
    expect(enSummary).toContain('Clearly above the eight-city total: Health record');
    expect(enSummary).toContain('(eight-city total 40.0%)');
    expect(enSummary).not.toMatch(/national/i);
    expect(en.headline.header[3]).toBe('Eight-city total');
    expect(en.headline.caption).toBe('Headline figures against same-tier cities and the eight-city total');
    expect(en.chart?.title).toContain('same-tier cities and the eight-city total');

    const zh = buildCityBriefing(input('zh', 2014));
    const zhSummary = zh.cover.summary.join('');
    expect(zhSummary).toContain('明显高于八城市合计');
    expect(zhSummary).toContain('（八城市合计40.0%）');
    expect(zhSummary).not.toContain('全国');
    expect(zh.headline.header[3]).toBe('八城市合计');
    expect(zh.headline.caption).toBe('主要指标：与同级城市和八城市合计比较');
  });

  test('a national wave keeps the national wording', () => {
    const en = buildCityBriefing(input('en', 2017));
    expect(en.cover.summary.join(' ')).toContain('clearly above the national figure on 1 indicator');
    expect(en.cover.summary.join(' ')).toContain('(national 40.0%)');
    expect(en.headline.header[3]).toBe('National');
    expect(en.headline.caption).toBe('Headline figures against same-tier cities and the nation');
    expect(buildCityBriefing(input('zh', 2017)).cover.summary.join('')).toContain('明显高于全国');
  });
});
