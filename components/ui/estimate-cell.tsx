// One estimate as people should read it: "31.2% (29.8%–32.7%) n=1,234", "(31.2%) …" when flagged unreliable, or the
// reason it is hidden (too few respondents, or protecting another cell) — never a number for a hidden cell.
import { formatEstimate, formatInterval, formatSampleSize } from '@/lib/indicators/format';
import type { IndicatorKind } from '@/lib/indicators/catalogue';

export interface EstimateCellValue {
  estimate: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  n: number | null;
  nBand: 'under_min' | null;
  status: 'published' | 'primary' | 'secondary' | 'unpublished';
  unreliable: boolean;
}

export interface SuppressionTexts {
  /** "suppressed (n < 30)" */
  primary: string;
  /** "hidden to protect another cell" */
  secondary: string;
}

export function EstimateCell({
  cell,
  kind,
  locale,
  texts,
  minN,
  emptyText = '—',
}: {
  cell: EstimateCellValue | null | undefined;
  kind: IndicatorKind;
  locale: 'zh' | 'en';
  texts: SuppressionTexts;
  minN: number;
  emptyText?: string;
}) {
  if (!cell) return <span className="text-muted">{emptyText}</span>;
  if (cell.status !== 'published' || cell.estimate === null) {
    return cell.status === 'primary' ? (
      <span className="italic text-slate-500" data-testid="suppressed-cell" data-status="primary">
        {texts.primary}
      </span>
    ) : (
      <span className="italic text-slate-500" data-testid="suppressed-cell" data-status="secondary">
        {texts.secondary}
      </span>
    );
  }
  return (
    <span className="tabular-nums whitespace-nowrap" data-unreliable={cell.unreliable ? 'true' : undefined}>
      <span className={cell.unreliable ? 'font-medium text-slate-600' : 'font-medium text-slate-900'}>{formatEstimate(cell.estimate, kind, locale, cell.unreliable)}</span>{' '}
      <span className="text-xs text-slate-500">
        ({formatInterval(cell.ciLow, cell.ciHigh, kind, locale)}) n={formatSampleSize(cell, locale, minN)}
      </span>
    </span>
  );
}
