'use client';
// The numbers behind the chart: a sortable table of estimate, 95% CI, n and population share. Hidden cells say why
// in words (too few respondents, or protecting another cell) and arrive without numbers (lib/disclosure/publish.ts).
import { useMemo, useState } from 'react';

export interface IndicatorTableRow {
  key: string;
  href?: string;
  name: string;
  province: string;
  estimate: number | null;
  estimateText: string;
  ciText: string;
  n: number | null;
  nText: string;
  share: number | null;
  shareText: string;
  /** published, primary (too few respondents) or secondary (hidden to protect another cell). */
  status: 'published' | 'primary' | 'secondary' | 'unpublished';
  unreliable: boolean;
}

type SortKey = 'estimate' | 'name' | 'n' | 'share';

export function IndicatorTable({
  rows,
  caption,
  labels,
}: {
  rows: IndicatorTableRow[];
  caption: string;
  labels: { rank: string; city: string; province: string; estimate: string; ci: string; n: string; share: string; suppressed: string; secondary: string; sortBy: string };
}) {
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'estimate', descending: true });
  const sorted = useMemo(() => {
    const copy = [...rows];
    copy.sort((a, b) => {
      const direction = sort.descending ? -1 : 1;
      if (sort.key === 'name') return direction * a.name.localeCompare(b.name, 'zh-CN');
      const va = sort.key === 'estimate' ? a.estimate : sort.key === 'n' ? a.n : a.share;
      const vb = sort.key === 'estimate' ? b.estimate : sort.key === 'n' ? b.n : b.share;
      if (va === null && vb === null) return 0;
      if (va === null) return 1; // suppressed cells always last
      if (vb === null) return -1;
      return direction * (va - vb);
    });
    return copy;
  }, [rows, sort]);

  const header = (key: SortKey, label: string) => {
    const active = sort.key === key;
    return (
      <th scope="col" aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'} className="px-3 py-2 text-left font-medium">
        <button
          type="button"
          onClick={() => setSort({ key, descending: active ? !sort.descending : key !== 'name' })}
          className="inline-flex items-center gap-1 hover:underline"
          aria-label={labels.sortBy.replace('{column}', label)}
        >
          {label}
          <span aria-hidden>{active ? (sort.descending ? '▼' : '▲') : '↕'}</span>
        </button>
      </th>
    );
  };

  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-sm" data-testid="indicator-table">
        <caption className="px-3 py-2 text-left text-sm font-medium text-slate-700">{caption}</caption>
        <thead className="bg-slate-100 text-slate-700">
          <tr>
            <th scope="col" className="px-3 py-2 text-left font-medium">
              {labels.rank}
            </th>
            {header('name', labels.city)}
            <th scope="col" className="px-3 py-2 text-left font-medium">
              {labels.province}
            </th>
            {header('estimate', labels.estimate)}
            <th scope="col" className="px-3 py-2 text-left font-medium">
              {labels.ci}
            </th>
            {header('n', labels.n)}
            {header('share', labels.share)}
          </tr>
        </thead>
        <tbody>
          {sorted.map((row, index) => (
            <tr key={row.key} data-city={row.key} className="border-t border-slate-100">
              <td className="px-3 py-1.5 text-slate-500">{row.status !== 'published' ? '—' : index + 1}</td>
              <td className="px-3 py-1.5 font-medium">{row.href ? <a href={row.href} className="text-accent-strong hover:underline">{row.name}</a> : row.name}</td>
              <td className="px-3 py-1.5 text-slate-600">{row.province}</td>
              {row.status !== 'published' ? (
                <td colSpan={2} className="px-3 py-1.5 italic text-slate-500" data-testid="suppressed-cell" data-status={row.status === 'primary' ? 'primary' : 'secondary'}>
                  {row.status === 'primary' ? labels.suppressed : labels.secondary}
                </td>
              ) : (
                <>
                  <td className="px-3 py-1.5 tabular-nums" data-testid="estimate" data-unreliable={row.unreliable ? 'true' : undefined}>{row.estimateText}</td>
                  <td className="px-3 py-1.5 tabular-nums text-slate-600" data-testid="ci">{row.ciText}</td>
                </>
              )}
              <td className="px-3 py-1.5 tabular-nums" data-testid="n">{row.nText}</td>
              <td className="px-3 py-1.5 tabular-nums text-slate-600">{row.shareText}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
