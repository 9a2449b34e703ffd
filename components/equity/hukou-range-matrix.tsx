// One city's indicator by hukou x migration range as a heat map (colour = level, CI and n on hover and focus) with the
// same numbers as a table below it. Suppressed cells say so and carry no number.
export interface MatrixCell {
  row: string;
  column: string;
  /** Display units, rounded on the server; null when suppressed. */
  value: number | null;
  text: string;
  ciText: string;
  nText: string;
}

export function HukouRangeMatrix({
  title,
  rows,
  columns,
  cells,
  suppressedText,
  labels,
}: {
  title: string;
  rows: Array<{ key: string; label: string }>;
  columns: Array<{ key: string; label: string }>;
  cells: MatrixCell[];
  suppressedText: string;
  labels: { group: string; estimate: string; ci: string; n: string };
}) {
  const values = cells.map((c) => c.value).filter((v): v is number => v !== null);
  const [min, max] = values.length ? [Math.min(...values), Math.max(...values)] : [0, 1];
  // Light to dark red: darker is higher. Text switches to white on the darker half.
  const shade = (v: number) => (max > min ? (v - min) / (max - min) : 0.5);
  const colour = (v: number) => `hsl(0 ${35 + 30 * shade(v)}% ${94 - 52 * shade(v)}%)`;
  const find = (row: string, column: string) => cells.find((c) => c.row === row && c.column === column);
  return (
    <section data-testid="hukou-range-matrix" aria-label={title} className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 className="mb-3 text-sm font-medium text-slate-700">{title}</h2>
      <div tabIndex={0} className="overflow-x-auto">
        <div className="grid gap-1" style={{ gridTemplateColumns: `minmax(4rem, 9rem) repeat(${columns.length}, minmax(0, 1fr))` }}>
          <div />
          {columns.map((c) => (
            <div key={c.key} className="px-0.5 text-center text-[11px] font-medium leading-tight text-slate-600 sm:text-xs">
              {c.label}
            </div>
          ))}
          {rows.map((r) => (
            <div key={r.key} className="contents">
              <div className="flex items-center text-[11px] font-medium leading-tight text-slate-600 sm:text-xs">{r.label}</div>
              {columns.map((c) => {
                const cell = find(r.key, c.key);
                const title = cell ? (cell.value === null ? `${r.label} · ${c.label}: ${suppressedText}` : `${r.label} · ${c.label}: ${cell.text} (95% CI ${cell.ciText}), n=${cell.nText}`) : '';
                return (
                  <div
                    key={c.key}
                    tabIndex={0}
                    title={title}
                    aria-label={title}
                    data-matrix-cell={`${r.key}:${c.key}`}
                    className="flex h-12 flex-col items-center justify-center rounded text-center text-xs tabular-nums sm:h-14 sm:text-sm focus:outline focus:outline-2 focus:outline-slate-800"
                    style={cell?.value != null ? { background: colour(cell.value), color: shade(cell.value) > 0.55 ? 'white' : '#0f172a' } : { background: '#f1f5f9', color: '#475569' }}
                  >
                    {cell?.value != null ? (
                      <>
                        <span className="font-medium">{cell.text}</span>
                        <span className="hidden text-[10px] opacity-80 sm:block">{cell.ciText}</span>
                      </>
                    ) : (
                      <span className="max-w-full px-0.5 text-[10px] italic leading-tight break-words hyphens-auto">{cell ? suppressedText : '—'}</span>
                    )}
                  </div>
                );
              })}
            </div>
          ))}
        </div>
      </div>
      <div tabIndex={0} className="mt-4 overflow-x-auto">
        <table className="w-full text-sm" data-testid="matrix-table">
          <thead className="bg-slate-100 text-slate-700">
            <tr>
              <th scope="col" className="px-3 py-2 text-left font-medium">{labels.group}</th>
              <th scope="col" className="px-3 py-2 text-left font-medium">{labels.estimate}</th>
              <th scope="col" className="px-3 py-2 text-left font-medium">{labels.ci}</th>
              <th scope="col" className="px-3 py-2 text-left font-medium">{labels.n}</th>
            </tr>
          </thead>
          <tbody>
            {rows.flatMap((r) =>
              columns.map((c) => {
                const cell = find(r.key, c.key);
                return (
                  <tr key={`${r.key}:${c.key}`} className="border-t border-slate-100">
                    <th scope="row" className="px-3 py-1.5 text-left font-normal">
                      {r.label} · {c.label}
                    </th>
                    {cell?.value != null ? (
                      <>
                        <td className="px-3 py-1.5 tabular-nums">{cell.text}</td>
                        <td className="px-3 py-1.5 tabular-nums text-slate-600">{cell.ciText}</td>
                        <td className="px-3 py-1.5 tabular-nums">{cell.nText}</td>
                      </>
                    ) : (
                      <td colSpan={3} className="px-3 py-1.5 italic text-slate-500">
                        {cell ? suppressedText : '—'}
                      </td>
                    )}
                  </tr>
                );
              }),
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
