// How equity measures are shown: the display scale and decimals of each measure, applied to the estimate, SE and CI
// alike (HEAT scaled Theil and MLD but not their SEs), and whether a CI excludes "no difference".
import { scaleMeasure, type Measure, type MeasureName } from '@/lib/stats/inequality';
import type { IndicatorKind } from './catalogue';

export type EquityUnit = 'points' | 'indicator' | 'ratio' | 'percent' | 'per_thousand';

export interface DisplayScale {
  factor: number;
  decimals: number;
  unit: EquityUnit;
}

/** The scale a measure is shown on, for an indicator of the given kind. */
export function displayScale(measure: MeasureName, kind: IndicatorKind): DisplayScale {
  switch (measure) {
    case 'R':
    case 'RII':
      return { factor: 1, decimals: 2, unit: 'ratio' };
    case 'IDISW':
    case 'COV':
    case 'RCI':
    case 'PAF':
      return { factor: 100, decimals: 1, unit: 'percent' };
    case 'TI':
    case 'MLD':
      return { factor: 1000, decimals: 2, unit: 'per_thousand' };
    default:
      // Differences in the indicator's own units: percentage points for proportions.
      return kind === 'proportion' ? { factor: 100, decimals: 1, unit: 'points' } : { factor: 1, decimals: 1, unit: 'indicator' };
  }
}

const round = (value: number, decimals: number) => Number(value.toFixed(decimals));

/** The measure on its display scale, rounded to the shown precision (what may leave the server). */
export function toDisplay(measure: Measure, scale: DisplayScale): Measure {
  const scaled = scaleMeasure(measure, scale.factor);
  // The SE keeps two more decimals than the estimate: it is shown only in the table's "SE" column.
  return { estimate: round(scaled.estimate, scale.decimals), se: round(scaled.se, scale.decimals + 2), ci: [round(scaled.ci[0], scale.decimals), round(scaled.ci[1], scale.decimals)] };
}

/** True when the 95% CI excludes no difference: 0 for differences and indices, 1 for ratios. */
export function isClearDifference(measure: Measure, name: MeasureName): boolean {
  const none = name === 'R' || name === 'RII' ? 1 : 0;
  return measure.ci[0] > none || measure.ci[1] < none;
}

export function formatNumber(value: number, decimals: number, locale: 'zh' | 'en'): string {
  return value.toLocaleString(locale === 'zh' ? 'zh-CN' : 'en-GB', { minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: false }).replace('-', '−');
}

/** A CI of a signed quantity: "−3.4 to 6.1" (an en dash between two signed numbers would read as a minus). */
export function formatRange(low: number, high: number, decimals: number, locale: 'zh' | 'en'): string {
  return `${formatNumber(low, decimals, locale)} ${locale === 'zh' ? '至' : 'to'} ${formatNumber(high, decimals, locale)}`;
}
