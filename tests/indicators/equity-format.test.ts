// Display of equity measures: one scale for estimate, SE and CI; rounding to the shown precision; the plain-language
// sentence in both languages, with "no clear difference" when the 95% CI includes no difference.
import { describe, expect, test } from 'vitest';
import { displayScale, formatNumber, isClearDifference, toDisplay } from '@/lib/indicators/equity-format';
import { equitySentence } from '@/lib/indicators/equity-sentence';
import { translator } from '@/lib/i18n/messages';

describe('equity display scale', () => {
  test('a proportion gap is shown in percentage points: estimate, SE and CI multiplied by 100 alike, then rounded', () => {
    const scale = displayScale('D', 'proportion');
    expect(scale).toEqual({ factor: 100, decimals: 1, unit: 'points' });
    const shown = toDisplay({ estimate: -0.12345, se: 0.012346, ci: [-0.1476, -0.0993] }, scale);
    expect(shown).toEqual({ estimate: -12.3, se: 1.235, ci: [-14.8, -9.9] });
  });

  test('MLD is shown per thousand with its SE on the same scale (HEAT scaled only the estimate)', () => {
    const shown = toDisplay({ estimate: 0.00289448, se: 0.00056288, ci: [0.0017913, 0.0039977] }, displayScale('MLD', 'proportion'));
    expect(shown.estimate).toBe(2.89);
    expect(shown.se).toBe(0.5629);
    expect(shown.ci).toEqual([1.79, 4]);
  });

  test('ratios keep their scale; a difference is clear only when the CI excludes 0 (1 for ratios)', () => {
    expect(displayScale('R', 'proportion').factor).toBe(1);
    expect(isClearDifference({ estimate: 0.02, se: 0.016, ci: [-0.007, 0.056] }, 'D')).toBe(false);
    expect(isClearDifference({ estimate: -0.1, se: 0.01, ci: [-0.12, -0.08] }, 'D')).toBe(true);
    expect(isClearDifference({ estimate: 1.06, se: 0.04, ci: [0.98, 1.15] }, 'R')).toBe(false);
    expect(formatNumber(-3.14, 1, 'en')).toBe('−3.1');
  });
});

describe('the plain-language sentence', () => {
  const format = (v: number, d: number) => formatNumber(v, d, 'en');
  const national = { estimate: -3.1, low: -4, high: -2.2, clear: true, scale: { decimals: 1 } };

  test('a clear shortfall of rural-hukou migrants, with the CI as magnitudes and the national gap', () => {
    const t = translator('en');
    const text = equitySentence(t, { view: 'gap', city: 'Shenzhen', indicator: 'health record established', unit: 'percentage points', figure: { estimate: -12.3, low: -14.9, high: -9.8, clear: true, scale: { decimals: 1 } }, national, format });
    expect(text).toBe('In Shenzhen, health record established among rural-hukou migrants is 12.3 percentage points lower (95% CI 9.8 to 14.9) than among urban-hukou migrants; the national gap is −3.1 percentage points.');
  });

  test('a CI that includes 0 reads "no clear difference", in English and in Chinese', () => {
    const figure = { estimate: 2.5, low: -0.7, high: 5.6, clear: false, scale: { decimals: 1 } };
    const en = equitySentence(translator('en'), { view: 'gap', city: 'Shenzhen', indicator: 'health records', unit: 'percentage points', figure, national, format });
    expect(en).toContain('no clear difference');
    expect(en).toContain('2.5 percentage points (95% CI −0.7 to 5.6)');
    const zh = equitySentence(translator('zh'), { view: 'gap', city: '深圳', indicator: '建立居民健康档案', unit: '个百分点', figure, national, format: (v, d) => formatNumber(v, d, 'zh') });
    expect(zh).toContain('无明确差异');
    expect(zh).toContain('深圳');
  });

  test('in the eight-city module wave the reference is the module total, not the nation', () => {
    const figure = { estimate: -5.2, low: -8.1, high: -2.3, clear: true, scale: { decimals: 1 } };
    const text = equitySentence(translator('en'), { view: 'gap', city: 'Xiamen', indicator: 'identifies as local', unit: 'percentage points', figure, national, moduleWave: true, format });
    expect(text).toContain("the eight-city module's gap is −3.1 percentage points");
    expect(text).not.toContain('national');
  });
});
