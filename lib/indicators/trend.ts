// Trends across survey waves: the change between two waves with its design-based CI (independent samples, so
// var = var1 + var2), and the series split into segments wherever the question changed.
import { questionVersion, sameQuestion, type IndicatorDefinition } from './catalogue';

export interface TrendPointInput {
  wave: number;
  estimate: number | null;
  se: number | null;
  suppressed: boolean;
}

export interface WaveChange {
  difference: number;
  se: number;
  ciLow: number;
  ciHigh: number;
  /** The 95% CI excludes 0. */
  clear: boolean;
}

const Z_975 = 1.959963984540054;

/**
 * Change from wave A to wave B; null when either cell is suppressed or missing, or the question changed between them.
 * The waves are independent samples, so the variances add; the normal quantile is used because every national-design
 * domain shown has far more PSUs than strata.
 */
export function waveChange(definition: IndicatorDefinition, a: TrendPointInput | undefined, b: TrendPointInput | undefined): WaveChange | null {
  if (!a || !b || a.suppressed || b.suppressed || a.estimate === null || b.estimate === null || a.se === null || b.se === null) return null;
  if (!sameQuestion(definition, a.wave, b.wave)) return null;
  const difference = b.estimate - a.estimate;
  const se = Math.sqrt(a.se * a.se + b.se * b.se);
  const ciLow = difference - Z_975 * se;
  const ciHigh = difference + Z_975 * se;
  return { difference, se, ciLow, ciHigh, clear: ciLow > 0 || ciHigh < 0 };
}

/** Consecutive points asked the same way form a segment; a segment ends where the question changed. */
export function trendSegments<T extends { wave: number }>(definition: IndicatorDefinition, points: readonly T[]): T[][] {
  const sorted = [...points].sort((x, y) => x.wave - y.wave);
  const segments: T[][] = [];
  for (const point of sorted) {
    const current = segments[segments.length - 1];
    const previous = current?.[current.length - 1];
    if (current && previous && sameQuestion(definition, previous.wave, point.wave)) current.push(point);
    else segments.push([point]);
  }
  return segments;
}

/** Waves at which the question changed from the wave before (within the given waves). */
export function questionBreaks(definition: IndicatorDefinition, waves: readonly number[]): Array<{ wave: number; zh: string; en: string }> {
  const sorted = [...waves].sort((x, y) => x - y);
  return sorted.slice(1).flatMap((wave, i) => {
    if (sameQuestion(definition, sorted[i]!, wave)) return [];
    const version = questionVersion(definition, wave);
    return [{ wave, zh: version?.zh ?? '', en: version?.en ?? '' }];
  });
}
