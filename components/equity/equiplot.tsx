// HEAT's equiplot: one line per city, one dot per subgroup, the line's length is the gap. Plain HTML positioned in
// percent of a shared axis, so it reflows from a 1440 px screen to a phone; every dot names its value, CI and n.
export interface EquiplotGroup {
  key: string;
  label: string;
  colour: string;
}

export interface EquiplotRow {
  key: string;
  label: string;
  href?: string;
  /** One per group, in display units; null where the cell is suppressed. */
  dots: Array<{ group: string; value: number | null; title: string }>;
}

export function Equiplot({ title, rows, groups, unit, note }: { title: string; rows: EquiplotRow[]; groups: EquiplotGroup[]; unit: string; note: string }) {
  const values = rows.flatMap((r) => r.dots.map((d) => d.value).filter((v): v is number => v !== null));
  const raw = values.length ? [Math.min(...values), Math.max(...values)] : [0, 1];
  const span = Math.max((raw[1]! - raw[0]!) / 5, 1e-9);
  const magnitude = 10 ** Math.floor(Math.log10(span));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= span) ?? 10) * magnitude;
  const lower = Math.floor(raw[0]! / step) * step;
  const upper = Math.max(Math.ceil(raw[1]! / step) * step, lower + step);
  const position = (v: number) => `${((v - lower) / (upper - lower)) * 100}%`;
  const ticks: number[] = [];
  for (let v = lower; v <= upper + step / 2; v += step) ticks.push(Number(v.toFixed(6)));
  const colourOf = new Map(groups.map((g) => [g.key, g.colour]));
  return (
    <figure data-testid="equiplot" aria-label={title} className="rounded-lg border border-slate-200 bg-white p-4">
      <figcaption className="mb-2 text-sm font-medium text-slate-700">{title}</figcaption>
      <ul className="mb-3 flex flex-wrap gap-4 text-xs text-slate-700" aria-label="legend">
        {groups.map((g) => (
          <li key={g.key} className="flex items-center gap-1">
            <span aria-hidden className="inline-block h-3 w-3 rounded-full" style={{ background: g.colour }} />
            {g.label}
          </li>
        ))}
      </ul>
      <div className="space-y-1">
        {rows.map((row) => {
          const shown = row.dots.filter((d) => d.value !== null) as Array<{ group: string; value: number; title: string }>;
          const min = shown.length ? Math.min(...shown.map((d) => d.value)) : 0;
          const max = shown.length ? Math.max(...shown.map((d) => d.value)) : 0;
          return (
            <div key={row.key} className="grid grid-cols-[6.5rem_1fr] items-center gap-2 sm:grid-cols-[9rem_1fr]" data-equiplot-row={row.key}>
              <div className="truncate text-xs text-slate-700" title={row.label}>
                {row.href ? <a href={row.href} className="hover:underline">{row.label}</a> : row.label}
              </div>
              <div className="relative h-5">
                <div aria-hidden className="absolute inset-y-1/2 left-0 right-0 border-t border-dotted border-slate-200" />
                {shown.length > 1 && <div aria-hidden className="absolute top-1/2 h-0.5 -translate-y-1/2 bg-slate-400" style={{ left: position(min), width: `calc(${position(max)} - ${position(min)})` }} />}
                {row.dots.map((d) =>
                  d.value === null ? null : (
                    <span
                      key={d.group}
                      role="img"
                      aria-label={d.title}
                      title={d.title}
                      className="absolute top-1/2 h-3 w-3 -translate-x-1/2 -translate-y-1/2 rounded-full ring-1 ring-white"
                      style={{ left: position(d.value), background: colourOf.get(d.group) }}
                    />
                  ),
                )}
              </div>
            </div>
          );
        })}
      </div>
      <div className="mt-1 grid grid-cols-[6.5rem_1fr] gap-2 sm:grid-cols-[9rem_1fr]">
        <div className="text-right text-[10px] text-slate-500">{unit}</div>
        <div className="relative h-4 border-t border-slate-300 text-[10px] text-slate-500">
          {ticks.map((v) => (
            <span key={v} className="absolute -translate-x-1/2 pt-0.5 tabular-nums" style={{ left: position(v) }}>
              {v}
            </span>
          ))}
        </div>
      </div>
      <p className="mt-3 text-xs text-slate-500">{note}</p>
    </figure>
  );
}
