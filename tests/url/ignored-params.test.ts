// Bad URL parameters are named, not swallowed (issue 16, defect 7): each page compares what its URL said with the
// filters its zod schema produced, and a wave the dataset lacks falls back with a reason.
import { describe, expect, test } from 'vitest';
import { parseComparisonFilters } from '@/lib/indicators/filters';
import { findIgnoredParams, resolveWave } from '@/lib/url/ignored-params';
import { cityProfileHref } from '@/lib/url/profile-href';

describe('ignored URL parameters', () => {
  test('/compare?hukou=martian&indicator=nope&wave=1999 names all three and the values used', () => {
    const raw = { hukou: 'martian', indicator: 'nope', wave: '1999', range: 'inter_city' };
    const ignored = findIgnoredParams(raw, parseComparisonFilters(raw), ['indicator', 'wave', 'hukou', 'range', 'region', 'tier']);
    expect(ignored).toEqual([
      { name: 'indicator', given: 'nope', used: 'health_record' },
      { name: 'wave', given: '1999', used: '2017' },
      { name: 'hukou', given: 'martian', used: 'all' },
    ]);
  });

  test('valid and absent parameters are not reported; long values are cut', () => {
    const raw = { hukou: 'rural', wave: '2016', tier: 'x'.repeat(200) };
    const ignored = findIgnoredParams(raw, parseComparisonFilters(raw), ['indicator', 'wave', 'hukou', 'tier']);
    expect(ignored).toHaveLength(1);
    expect(ignored[0]).toMatchObject({ name: 'tier', used: null });
    expect(ignored[0]!.given.length).toBeLessThanOrEqual(40);
  });

  test('a well-formed wave the dataset lacks falls back to 2017 with reason "absent"', () => {
    const ignored: ReturnType<typeof findIgnoredParams> = [];
    expect(resolveWave(2010, [2014, 2015, 2016, 2017, 2018], ignored)).toBe(2017);
    expect(ignored).toEqual([{ name: 'wave', given: '2010', used: '2017', reason: 'absent' }]);
    expect(resolveWave(2016, [2014, 2015, 2016, 2017, 2018], ignored)).toBe(2016);
    expect(resolveWave(2010, [2014, 2015], [])).toBe(2015);
  });
});

test('a profile link carries the wave and the active hukou and range, leaving out "all"', () => {
  expect(cityProfileHref('440300', { wave: 2017, hukou: 'rural', range: 'inter_province' })).toBe('/cities/440300?wave=2017&hukou=rural&range=inter_province');
  expect(cityProfileHref('440300', { wave: 2016, hukou: 'all', range: 'all' })).toBe('/cities/440300?wave=2016');
});
