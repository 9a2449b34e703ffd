// The numbers behind the map: each province (or the open province's cities) with estimate, 95% CI and n; suppressed
// rows say so in words, with no number.
import Link from 'next/link';
import { HATCH } from './province-tile-map';

export interface MapTableRow {
  key: string;
  name: string;
  href: string | null;
  estimateText: string | null;
  /** A hidden province shown as a range ("20–30%"): printed in the estimate column, the reason beside it. */
  rangeText?: string | null;
  ciText: string | null;
  nText: string | null;
  suppressed: boolean;
  /** Why a suppressed row is hidden, in words (defaults to labels.suppressed). */
  hiddenText?: string;
  selected?: boolean;
}

export function MapTable({ caption, rows, labels }: { caption: string; rows: MapTableRow[]; labels: { name: string; estimate: string; ci: string; n: string; suppressed: string } }) {
  return (
    <table className="w-full border-collapse text-sm" data-testid="map-table">
      <caption className="mb-2 text-left text-sm font-medium">{caption}</caption>
      <thead>
        <tr className="border-b border-slate-300 text-left text-xs text-slate-600">
          <th scope="col" className="py-1 pr-2 font-medium">{labels.name}</th>
          <th scope="col" className="py-1 pr-2 text-right font-medium">{labels.estimate}</th>
          <th scope="col" className="py-1 pr-2 text-right font-medium">{labels.ci}</th>
          <th scope="col" className="py-1 text-right font-medium">{labels.n}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} className={`border-b border-slate-100 ${row.selected ? 'bg-accent-soft' : ''}`} data-testid={`map-row-${row.key}`}>
            <th scope="row" className="py-1 pr-2 text-left font-normal">
              {row.href ? (
                <Link href={row.href} scroll={false} className="text-accent underline-offset-2 hover:underline">
                  {row.name}
                </Link>
              ) : (
                row.name
              )}
            </th>
            {row.suppressed && row.rangeText ? (
              <>
                <td className="whitespace-nowrap py-1 pr-2 text-right italic tabular-nums">{row.rangeText}</td>
                <td colSpan={2} className="py-1 text-right text-xs italic text-slate-500">
                  {row.hiddenText}
                </td>
              </>
            ) : row.suppressed ? (
              <td colSpan={3} className="py-1 text-right italic text-slate-500">
                <span className="mr-1 inline-block h-3 w-3 align-middle" style={{ background: '#f1f5f9', backgroundImage: HATCH }} />
                {row.hiddenText ?? labels.suppressed}
              </td>
            ) : (
              <>
                <td className="py-1 pr-2 text-right tabular-nums">{row.estimateText ?? '—'}</td>
                <td className="whitespace-nowrap py-1 pr-2 text-right text-xs tabular-nums text-slate-600">{row.ciText ?? '—'}</td>
                <td className="py-1 text-right text-xs tabular-nums text-slate-600">{row.nText ?? '—'}</td>
              </>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
