// The small-cell rule and what of a cell leaves the server: fewer than SUPPRESSION_MIN_N respondents, or no design
// degrees of freedom, hides a cell; a hidden cell carries only its status and, if small, the band "n < 30".
import { describe, expect, test } from 'vitest';
import { isPrimarySuppressed } from '@/lib/disclosure/indicator-cells';
import { publishCell, roundTo } from '@/lib/disclosure/publish';

const stored = { indicator: 'health_record', geoLevel: 'city', geoCode: '440300', hukou: 'urban', migrationRange: 'all', n: 120, weightedShare: 0.1234567, estimate: 0.4234567, ciLow: 0.3612345, ciHigh: 0.4898765, status: 'published' as const, unreliable: false };

describe('primary suppression', () => {
  test('suppresses cells with fewer than 30 respondents, and large cells without design degrees of freedom', () => {
    expect(isPrimarySuppressed(29, 14, 30)).toBe(true);
    expect(isPrimarySuppressed(30, 14, 30)).toBe(false);
    expect(isPrimarySuppressed(500, 0, 30)).toBe(true);
  });

  test('the threshold is a parameter (SUPPRESSION_MIN_N), not a constant', () => {
    expect(isPrimarySuppressed(40, 5, 50)).toBe(true);
    expect(isPrimarySuppressed(40, 5, 10)).toBe(false);
  });
});

describe('publishCell', () => {
  test('rounds a published proportion to 0.1 point, a mean to 0.1, a share to 0.1%', () => {
    expect(publishCell(stored, 'proportion', 30)).toMatchObject({ estimate: 0.423, ciLow: 0.361, ciHigh: 0.49, weightedShare: 0.123, n: 120, nBand: null, suppressed: false });
    expect(publishCell({ ...stored, estimate: 61.2549, ciLow: 59.95, ciHigh: 62.549 }, 'mean', 30)).toMatchObject({ estimate: 61.3, ciLow: 60, ciHigh: 62.5 });
    expect(roundTo(0.1769289354040198, 3)).toBe(0.177);
  });

  test('a primary cell under the threshold gives only "n < 30"; a secondary one gives no n; neither a number', () => {
    const primary = publishCell({ ...stored, n: 12, status: 'primary' }, 'proportion', 30);
    expect(primary).toMatchObject({ status: 'primary', suppressed: true, n: null, nBand: 'under_min', estimate: null, ciLow: null, ciHigh: null, weightedShare: null });
    const secondary = publishCell({ ...stored, status: 'secondary' }, 'proportion', 30);
    expect(secondary).toMatchObject({ status: 'secondary', suppressed: true, n: null, nBand: null, estimate: null, weightedShare: null });
    expect(JSON.stringify(secondary)).not.toContain('120');
  });

  test('keeps the reliability flag of a published cell', () => {
    expect(publishCell({ ...stored, unreliable: true }, 'proportion', 30).unreliable).toBe(true);
  });
});
