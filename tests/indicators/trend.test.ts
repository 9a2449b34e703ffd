import { describe, expect, test } from 'vitest';
import { findIndicator, questionVersion, sameQuestion } from '@/lib/indicators/catalogue';
import { questionBreaks, trendSegments, waveChange } from '@/lib/indicators/trend';
import { TREND_GEO_LEVELS, parseTrendFilters } from '@/lib/indicators/trend-filters';

const record = findIndicator('health_record')!;
const residence = findIndicator('long_term_residence')!;

describe('change between two waves', () => {
  test('adds the variances of the two independent samples', () => {
    const change = waveChange(record, { wave: 2015, estimate: 0.35, se: 0.003, suppressed: false }, { wave: 2018, estimate: 0.28, se: 0.004, suppressed: false })!;
    expect(change.difference).toBeCloseTo(-0.07, 12);
    expect(change.se).toBeCloseTo(0.005, 12);
    expect(change.ciLow).toBeCloseTo(-0.07 - 1.959963984540054 * 0.005, 12);
    expect(change.ciHigh).toBeCloseTo(-0.07 + 1.959963984540054 * 0.005, 12);
    expect(change.clear).toBe(true);
  });

  test('is not clear when the interval includes 0', () => {
    expect(waveChange(record, { wave: 2016, estimate: 0.3, se: 0.01, suppressed: false }, { wave: 2017, estimate: 0.31, se: 0.01, suppressed: false })!.clear).toBe(false);
  });

  test('is not computed across a suppressed cell or a changed question', () => {
    expect(waveChange(record, { wave: 2016, estimate: null, se: null, suppressed: true }, { wave: 2017, estimate: 0.31, se: 0.01, suppressed: false })).toBeNull();
    expect(waveChange(residence, { wave: 2017, estimate: 0.61, se: 0.01, suppressed: false }, { wave: 2018, estimate: 0.86, se: 0.01, suppressed: false })).toBeNull();
  });
});

describe('question changes', () => {
  test('the 2018 settlement question is a different version from 2017 long-term residence', () => {
    expect(questionVersion(residence, 2017)?.id).toBe('stay_long_term');
    expect(questionVersion(residence, 2018)?.id).toBe('settle');
    expect(sameQuestion(residence, 2015, 2017)).toBe(true);
    expect(sameQuestion(residence, 2017, 2018)).toBe(false);
    expect(sameQuestion(record, 2015, 2018)).toBe(true);
  });

  test('split a series into segments and name the break', () => {
    const points = [2018, 2015, 2016, 2017].map((wave) => ({ wave }));
    expect(trendSegments(residence, points).map((s) => s.map((p) => p.wave))).toEqual([[2015, 2016, 2017], [2018]]);
    expect(trendSegments(record, points).map((s) => s.map((p) => p.wave))).toEqual([[2015, 2016, 2017, 2018]]);
    expect(questionBreaks(residence, [2015, 2016, 2017, 2018]).map((b) => b.wave)).toEqual([2018]);
    expect(questionBreaks(record, [2015, 2016, 2017, 2018])).toEqual([]);
  });
});

describe('trend geographies', () => {
  test('offers the published levels only: no regions (computed for the relations, never published)', () => {
    expect(TREND_GEO_LEVELS).toEqual(['national', 'tier', 'province', 'city']);
    expect(parseTrendFilters({ geo: 'region', code: 'east' }).geo).toBe('national');
    expect(parseTrendFilters({ geo: 'province', code: '44' })).toMatchObject({ geo: 'province', code: '44' });
  });
});
