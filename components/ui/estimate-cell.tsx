// One estimate as people should read it: "31.2% (29.8%–32.7%) n=1,234", or the suppression notice and its n — never a
// number for a suppressed cell. Server-renderable; the strings are formatted by lib/indicators/format.ts.
import { formatCount, formatInterval, formatValue } from '@/lib/indicators/format';
import type { IndicatorKind } from '@/lib/indicators/catalogue';

export interface EstimateCellValue {
  estimate: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  n: number;
  suppressed: boolean;
}

export function EstimateCell({
  cell,
  kind,
  locale,
  suppressedText,
  emptyText = '—',
}: {
  cell: EstimateCellValue | null | undefined;
  kind: IndicatorKind;
  locale: 'zh' | 'en';
  suppressedText: string;
  emptyText?: string;
}) {
  if (!cell) return <span className="text-slate-400">{emptyText}</span>;
  if (cell.suppressed || cell.estimate === null) {
    return (
      <span className="italic text-slate-500" data-testid="suppressed-cell">
        {suppressedText} · n={formatCount(cell.n, locale)}
      </span>
    );
  }
  return (
    <span className="tabular-nums whitespace-nowrap">
      <span className="font-medium text-slate-900">{formatValue(cell.estimate, kind, locale)}</span>{' '}
      <span className="text-xs text-slate-500">
        ({formatInterval(cell.ciLow, cell.ciHigh, kind, locale)}) n={formatCount(cell.n, locale)}
      </span>
    </span>
  );
}
