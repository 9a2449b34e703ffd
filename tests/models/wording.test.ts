// Wording of the plain-language sentences (issue 16, defect 11 and the heterogeneity item of defect 4): a 0/1 key
// variable reads as the contrast it is, the subgroup test says exactly what the Wald test says, and the city summary
// counts read correctly for 0, 1 and many.
import { describe, expect, test } from 'vitest';
import { coefficientSentence, heterogeneitySentence } from '@/lib/models/interpret';
import { profileSummarySentence } from '@/lib/indicators/profile-summary';
import { translator } from '@/lib/i18n/messages';

const row = { estimate: 0.4, ci_lower: 0.1, ci_upper: 0.7, p: 0.01 };

describe('coefficient sentence', () => {
  test('a 0/1 key variable is read as having it, not as "each unit of"', () => {
    const en = coefficientSentence({ locale: 'en', key: 'health_record', outcome: 'long_term_residence', family: 'binomial', row, n: 1200 });
    expect(en).toContain('having a health record (compared with not having one) goes with higher odds');
    expect(en).not.toContain('each unit');
    const zh = coefficientSentence({ locale: 'zh', key: 'health_record', outcome: 'long_term_residence', family: 'binomial', row, n: 1200 });
    expect(zh).toContain('建立了居民健康档案的受访者（与未建立者相比）');
    expect(zh).not.toContain('每增加一个单位');
  });

  test('a continuous key variable keeps "each unit of"', () => {
    const en = coefficientSentence({ locale: 'en', key: 'bphs_index', outcome: 'integration_index', family: 'gaussian', row, n: 1200 });
    expect(en).toContain('each unit of BPHS index goes with a 0.40-point higher');
  });
});

describe('heterogeneity sentence', () => {
  const groups = [
    { level: 'east', estimate: -0.2 },
    { level: 'west', estimate: 4.1 },
  ];
  const labels = { east: 'East', west: 'West' };

  test('a small p rejects equal effects jointly and names no group as different', () => {
    const en = heterogeneitySentence({ locale: 'en', key: 'health_record', groups, test: { statistic: 9.87, df: 3, p: 0.0197 }, labels });
    expect(en).toContain('joint hypothesis that the effect is equal in every group');
    expect(en).toContain('χ²(3) = 9.87, p = 0.020');
    expect(en).toContain('does not say which groups differ');
    expect(en).not.toMatch(/beyond chance/);
    const zh = heterogeneitySentence({ locale: 'zh', key: 'health_record', groups, test: { statistic: 9.87, df: 3, p: 0.0197 }, labels });
    expect(zh).toContain('χ²(3) = 9.87');
    expect(zh).toContain('不说明具体哪些组');
  });

  test('a large p says the data are consistent with equal effects', () => {
    const en = heterogeneitySentence({ locale: 'en', key: 'health_record', groups, test: { statistic: 1.2, df: 1, p: 0.27 }, labels });
    expect(en).toContain('consistent with the same effect in every group');
  });
});

describe('city profile summary', () => {
  const en = translator('en');
  test('one comparable indicator and no difference is said in the singular, without "on 0"', () => {
    const text = profileSummarySentence(en, { city: 'Shenzhen', wave: 2017, total: 1, above: 0, below: 0, benchmark: 'national' });
    expect(text).toContain('only 1 indicator can be compared');
    expect(text).not.toMatch(/\b1 indicators\b|on 0\b/);
  });
  test('counts agree in number and zero counts are left out', () => {
    const text = profileSummarySentence(en, { city: 'Shenzhen', wave: 2017, total: 11, above: 1, below: 0, benchmark: 'national' });
    expect(text).toBe(
      'Of the 11 indicators comparable in 2017, Shenzhen is clearly above the national figure on 1 indicator (the 95% CIs do not overlap); on the other 10 indicators the difference from the national figure is within sampling error. For every indicator, higher is better.',
    );
    const none = profileSummarySentence(en, { city: 'Shenzhen', wave: 2017, total: 11, above: 0, below: 0, benchmark: 'national' });
    expect(none).toContain('not clearly above or below the national figure on any of the 11 indicators');
  });
});
