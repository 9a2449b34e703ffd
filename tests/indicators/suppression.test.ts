// The small-cell rule: fewer than SUPPRESSION_MIN_N respondents, or no design degrees of freedom for a variance,
// hides the estimate, SE and CI but keeps n, so a reader can see why the cell is empty.
import { describe, expect, test } from 'vitest';
import { isSmallCell, suppressSmallCells } from '@/lib/indicators/suppression';

const cell = { n: 120, df: 14, estimate: 0.42, se: 0.03, ciLow: 0.36, ciHigh: 0.48 };

describe('suppressSmallCells', () => {
  test('suppresses cells with fewer than 30 respondents and keeps their n', () => {
    const published = suppressSmallCells({ ...cell, n: 29 }, 30);
    expect(published).toMatchObject({ n: 29, estimate: null, se: null, ciLow: null, ciHigh: null, suppressed: true });
  });

  test('publishes a cell of exactly the threshold unchanged', () => {
    expect(suppressSmallCells({ ...cell, n: 30 }, 30)).toEqual({ ...cell, n: 30, suppressed: false });
  });

  test('suppresses a large cell whose domain leaves no degrees of freedom (fewer than two PSUs)', () => {
    const published = suppressSmallCells({ ...cell, n: 500, df: 0 }, 30);
    expect(published.suppressed).toBe(true);
    expect(published.estimate).toBeNull();
    expect(published.n).toBe(500);
  });

  test('the threshold is a parameter (SUPPRESSION_MIN_N), not a constant', () => {
    expect(isSmallCell(40, 5, 50)).toBe(true);
    expect(isSmallCell(40, 5, 10)).toBe(false);
  });

  test('keeps extra fields of the cell', () => {
    const published = suppressSmallCells({ ...cell, n: 3, indicator: 'health_record' }, 30);
    expect(published.indicator).toBe('health_record');
  });
});
