// The comparison table on a phone: one card per city, two lines (name and province; estimate, CI and n), so nothing
// hides behind a horizontal scroll. The same rows as IndicatorTable, in the same order as the server sent them.
import type { IndicatorTableRow } from './indicator-table';

export function IndicatorCards({
  rows,
  label,
  labels,
  className = '',
}: {
  rows: IndicatorTableRow[];
  label: string;
  labels: { rank: string; ci: string; n: string; suppressed: string; secondary: string };
  className?: string;
}) {
  return (
    <ol aria-label={label} data-testid="indicator-cards" className={`divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white ${className}`}>
      {rows.map((row) => {
        // The indicator's rank (fixed by the server), as in the table, whatever the order of the rows.
        const published = row.status === 'published' && row.rank !== null;
        return (
          <li key={row.key} data-city={row.key} className="px-3 py-2 text-sm">
            <div className="flex items-baseline justify-between gap-2">
              <span className="min-w-0 font-medium">
                <span className="mr-1 text-slate-600 tabular-nums">{published ? `${row.rank}.` : '—'}</span>
                {row.href ? (
                  <a href={row.href} className="text-red-900 underline-offset-2 hover:underline">
                    {row.name}
                  </a>
                ) : (
                  row.name
                )}
              </span>
              <span className="shrink-0 text-xs text-slate-600">{row.province}</span>
            </div>
            <div className="mt-0.5 flex flex-wrap gap-x-3 text-slate-700">
              {published ? (
                <>
                  <span className="font-medium tabular-nums text-slate-900" data-unreliable={row.unreliable ? 'true' : undefined}>
                    {row.estimateText}
                  </span>
                  <span className="tabular-nums">
                    <span className="sr-only">{labels.ci} </span>({row.ciText})
                  </span>
                </>
              ) : (
                <span className="italic text-slate-600">{row.status === 'primary' ? labels.suppressed : labels.secondary}</span>
              )}
              <span className="tabular-nums">
                {labels.n} = {row.nText}
              </span>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
