'use client';
// The numbers behind the chart: a sortable table of estimate, 95% CI, n and population share. Hidden cells say why
// in words (too few respondents, or protecting another cell) and arrive without numbers (lib/disclosure/publish.ts).
// Rank is the indicator's rank (fixed by the server), whatever the sort; the sort lives in the URL (sort, dir).
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMemo } from 'react';

export interface IndicatorTableRow {
  key: string;
  /** The city's rank on the indicator (1 = highest estimate); null when its cell is hidden. */
  rank: number | null;
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

export const SORT_KEYS = ['estimate', 'name', 'n', 'share'] as const;
type SortKey = (typeof SORT_KEYS)[number];

/** The table's sort as read from the URL; anything unknown falls back to the ranking order. */
export function readTableSort(params: { get(name: string): string | null }): { key: SortKey; descending: boolean } {
  const raw = params.get('sort');
  const key: SortKey = (SORT_KEYS as readonly string[]).includes(raw ?? '') ? (raw as SortKey) : 'estimate';
  const dir = params.get('dir');
  return { key, descending: dir === 'asc' ? false : dir === 'desc' ? true : key !== 'name' };
}

export function IndicatorTable({
  rows,
  caption,
  labels,
}: {
  rows: IndicatorTableRow[];
  caption: string;
  labels: { rank: string; city: string; province: string; estimate: string; ci: string; n: string; share: string; suppressed: string; secondary: string; sortBy: string };
}) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const sort = readTableSort(searchParams);
  const setSort = (next: { key: SortKey; descending: boolean }) => {
    const params = new URLSearchParams(searchParams.toString());
    if (next.key === 'estimate' && next.descending) {
      params.delete('sort');
      params.delete('dir');
    } else {
      params.set('sort', next.key);
      params.set('dir', next.descending ? 'desc' : 'asc');
    }
    router.replace(`${pathname}?${params.toString()}`, { scroll: false });
  };
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
  }, [rows, sort.key, sort.descending]);

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
    <div tabIndex={0} className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
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
          {sorted.map((row) => (
            <tr key={row.key} data-city={row.key} className="border-t border-slate-100">
              <td className="px-3 py-1.5 text-slate-500">{row.status !== 'published' || row.rank === null ? '—' : row.rank}</td>
              <td className="px-3 py-1.5 font-medium">{row.href ? <a href={row.href} className="text-red-900 hover:underline">{row.name}</a> : row.name}</td>
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
