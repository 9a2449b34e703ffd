// How estimates are written for people: proportions as percentages with one decimal, means with one decimal, and
// the 95% CI and n beside every estimate.
import type { IndicatorDefinition } from './catalogue';

// One formatter per locale, made once: Number#toLocaleString builds a new one on every call, which cost tens of
// microseconds each and most of a 300-city page's render time.
const ONE_DECIMAL = { zh: new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 1, maximumFractionDigits: 1 }), en: new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 }) };
const COUNT = { zh: new Intl.NumberFormat('zh-CN'), en: new Intl.NumberFormat('en-GB') };

export function formatValue(value: number | null | undefined, kind: IndicatorDefinition['kind'], locale: 'zh' | 'en'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (kind === 'proportion') return `${(value * 100).toFixed(1)}%`;
  return ONE_DECIMAL[locale].format(value);
}

export function formatInterval(low: number | null | undefined, high: number | null | undefined, kind: IndicatorDefinition['kind'], locale: 'zh' | 'en'): string {
  if (low === null || low === undefined || high === null || high === undefined) return '—';
  return `${formatValue(low, kind, locale)}–${formatValue(high, kind, locale)}`;
}

export function formatCount(n: number, locale: 'zh' | 'en'): string {
  return COUNT[locale].format(n);
}

export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined) return '—';
  return `${(share * 100).toFixed(1)}%`;
}

/** An estimate as printed: in parentheses when flagged unreliable (DHS: 30-49 cases or a CV above 30%). */
export function formatEstimate(value: number | null | undefined, kind: IndicatorDefinition['kind'], locale: 'zh' | 'en', unreliable: boolean): string {
  const text = formatValue(value, kind, locale);
  return unreliable && text !== '—' ? `(${text})` : text;
}

/** n as printed: the exact count of a published cell, "n < 30" for a small hidden one, nothing for a secondary one. */
export function formatSampleSize(cell: { n: number | null; nBand: 'under_min' | null }, locale: 'zh' | 'en', minN: number): string {
  if (cell.n !== null) return formatCount(cell.n, locale);
  return cell.nBand === 'under_min' ? `< ${formatCount(minN, locale)}` : '—';
}

/** A range a hidden province is shown as (partial suppression): "20–30%" for a proportion, "4.5–5.4" for a mean. */
export function formatBand(band: readonly [number, number], kind: IndicatorDefinition['kind'], locale: 'zh' | 'en'): string {
  if (kind === 'proportion') return `${Math.round(band[0] * 100)}–${Math.round(band[1] * 100)}%`;
  return `${ONE_DECIMAL[locale].format(band[0])}–${ONE_DECIMAL[locale].format(band[1])}`;
}
