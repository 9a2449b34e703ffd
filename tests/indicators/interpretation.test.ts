// The readings a page and its briefing share (lib/indicators/interpretation.ts): a difference counts only when the two
// 95% CIs do not overlap; hidden cells are never compared; the comparison sentence names the highest and lowest shown
// city and says whether their intervals overlap.
import { describe, expect, test } from 'vitest';
import { translator } from '@/lib/i18n/messages';
import { benchmarkSentence, cellPhrase, ciRelation, comparisonSentence, isShown, readAgainstBenchmark, type ReadableCell, type ShownCell } from '@/lib/indicators/interpretation';

const cell = (estimate: number, ciLow: number, ciHigh: number, n = 400, unreliable = false): ShownCell => ({ suppressed: false, unreliable, estimate, ciLow, ciHigh, n, nBand: null });
const hidden: ReadableCell = { suppressed: true, unreliable: false, estimate: null, ciLow: null, ciHigh: null, n: null, nBand: 'under_min' };
const en = translator('en');
const zh = translator('zh');

describe('ciRelation', () => {
  test('above or below only when the intervals do not touch; touching or overlapping intervals overlap', () => {
    const nation = cell(0.5, 0.45, 0.55);
    expect(ciRelation(cell(0.7, 0.6, 0.8), nation)).toBe('above');
    expect(ciRelation(cell(0.3, 0.2, 0.4), nation)).toBe('below');
    expect(ciRelation(cell(0.6, 0.55, 0.65), nation)).toBe('overlap');
    expect(ciRelation(cell(0.52, 0.4, 0.6), nation)).toBe('overlap');
  });

  test('a hidden cell, or one without an interval, is not shown', () => {
    expect(isShown(hidden)).toBe(false);
    expect(isShown({ ...cell(0.5, 0.4, 0.6), ciLow: null })).toBe(false);
    expect(isShown(undefined)).toBe(false);
    expect(isShown(cell(0.5, 0.4, 0.6))).toBe(true);
  });
});

describe('readAgainstBenchmark', () => {
  const nation = cell(0.5, 0.48, 0.52);
  const reading = readAgainstBenchmark([
    { item: 'a', cell: cell(0.7, 0.6, 0.8), benchmark: nation },
    { item: 'b', cell: cell(0.3, 0.2, 0.4), benchmark: nation },
    { item: 'c', cell: cell(0.51, 0.45, 0.57), benchmark: nation },
    { item: 'd', cell: hidden, benchmark: nation },
    { item: 'e', cell: cell(0.9, 0.85, 0.95), benchmark: hidden },
    { item: 'f', cell: undefined, benchmark: nation },
  ]);

  test('compares only items with both cells shown, and counts the clear differences', () => {
    expect(reading.comparable.map((p) => p.item)).toEqual(['a', 'b', 'c']);
    expect(reading.above.map((p) => p.item)).toEqual(['a']);
    expect(reading.below.map((p) => p.item)).toEqual(['b']);
  });

  test('the city sentence carries the counts', () => {
    expect(benchmarkSentence(en, reading, { city: 'Shenzhen', wave: 2017, benchmark: 'national' })).toMatch(/Of the 3 indicators comparable in 2017, Shenzhen is clearly above the national figure on 1 indicator and clearly below the national figure on 1 indicator.*on the other 1 indicator the difference from the national figure is within sampling error/);
  });

  test('in the 2014 eight-city module the sentence names the eight-city total, never the nation (zh and en)', () => {
    const english = benchmarkSentence(en, reading, { city: 'Shenzhen', wave: 2014, benchmark: 'module' });
    expect(english).toContain('clearly above the eight-city total on 1 indicator');
    expect(english).not.toMatch(/national|nation\b/i);
    const chinese = benchmarkSentence(translator('zh'), reading, { city: '深圳', wave: 2014, benchmark: 'module' });
    expect(chinese).toContain('明显高于八城市合计');
    expect(chinese).toContain('与八城市合计的差异');
    expect(chinese).not.toContain('全国');
  });
});

describe('comparisonSentence', () => {
  const base = { filters: '2017, rural hukou', indicator: 'Health records', kind: 'proportion' as const, benchmarkLabel: 'National', benchmark: cell(0.3, 0.29, 0.31, 160_000), minN: 30 };

  test('names the highest and lowest shown city, skips hidden ones, and says the gap exceeds sampling error when the intervals do not overlap', () => {
    const sentence = comparisonSentence(en, 'en', {
      ...base,
      ranked: [
        { name: 'Hidden', cell: hidden },
        { name: 'Shenzhen', cell: cell(0.45, 0.4, 0.5, 812) },
        { name: 'Xi’an', cell: cell(0.3, 0.25, 0.35) },
        { name: 'Lanzhou', cell: cell(0.12, 0.08, 0.16, 45, true) },
      ],
    });
    expect(sentence).toContain('highest in Shenzhen (45.0% (40.0%–50.0%), n=812)');
    expect(sentence).toContain('lowest in Lanzhou ((12.0%) (8.0%–16.0%), n=45)');
    expect(sentence).toContain('the national figure is 30.0%');
    expect(sentence).toMatch(/do not overlap, so the gap is larger than sampling error/);
    expect(sentence).not.toContain('Hidden');
  });

  test('says the gap may be sampling error when the intervals overlap', () => {
    const sentence = comparisonSentence(en, 'en', { ...base, ranked: [{ name: 'A', cell: cell(0.45, 0.35, 0.55) }, { name: 'B', cell: cell(0.4, 0.3, 0.5) }] });
    expect(sentence).toMatch(/overlap, so the gap may be sampling error/);
  });

  test('needs two shown cities; the benchmark reads "—" when it has no estimate', () => {
    expect(comparisonSentence(en, 'en', { ...base, ranked: [{ name: 'A', cell: cell(0.45, 0.35, 0.55) }, { name: 'B', cell: hidden }] })).toBeNull();
    const sentence = comparisonSentence(zh, 'zh', { ...base, benchmarkLabel: '全国', benchmark: hidden, ranked: [{ name: '深圳', cell: cell(0.45, 0.4, 0.5) }, { name: '兰州', cell: cell(0.12, 0.08, 0.16) }] });
    expect(sentence).toContain('深圳');
    expect(sentence).toContain('—');
  });

  test('never quotes a count under the threshold: a hidden cell is not quoted at all', () => {
    expect(cellPhrase(cell(0.45, 0.4, 0.5, 812), 'proportion', 'en', 30)).toBe('45.0% (40.0%–50.0%), n=812');
  });
});
