// The overview's small multiples: one panel per headline indicator, one row per city tier, a dot for the estimate and
// a whisker for its 95% CI. Only published cells are drawn; a hidden cell says why, without a figure. Plain SVG drawn
// on the server (no client JavaScript), each panel on its own scale with its ends labelled.

export interface TierPoint {
  tier: string;
  estimate: number | null;
  low: number | null;
  high: number | null;
  /** "45.3%" or "(45.3%)" when unreliable */
  text: string;
  /** "45.3% (43.1%–47.5%), n=1,234", for the tooltip */
  display: string;
  /** why the cell is hidden, or null when published */
  hidden: string | null;
}

export interface TierPanel {
  key: string;
  title: string;
  percent: boolean;
  points: TierPoint[];
}

const WIDTH = 260;
const ROW = 26;
const LEFT = 78;
const RIGHT = 196;

function niceDomain(values: number[], percent: boolean): [number, number] {
  if (!values.length) return [0, 1];
  const [min, max] = [Math.min(...values), Math.max(...values)];
  const step = percent ? 0.05 : Math.max(0.5, 10 ** Math.floor(Math.log10(Math.max(max - min, 1e-9))));
  const lower = Math.floor(min / step) * step;
  const upper = Math.ceil(max / step) * step;
  return percent ? [Math.max(0, lower), Math.min(1, upper === lower ? lower + step : upper)] : [lower, upper === lower ? lower + step : upper];
}

export function TierSmallMultiples({ panels, title, id }: { panels: TierPanel[]; title: string; id: string }) {
  return (
    <figure id={id} aria-label={title} data-testid="tier-small-multiples" className="rounded-lg border border-slate-200 bg-white p-4">
      <figcaption className="mb-3 text-sm font-medium text-slate-700">{title}</figcaption>
      <div className="grid grid-cols-1 gap-x-8 gap-y-4 sm:grid-cols-2 lg:grid-cols-3">
        {panels.map((panel) => {
          const published = panel.points.filter((p) => p.hidden === null && p.low !== null && p.high !== null && p.estimate !== null);
          const [lower, upper] = niceDomain(published.flatMap((p) => [p.low as number, p.high as number]), panel.percent);
          const x = (v: number) => LEFT + ((v - lower) / (upper - lower || 1)) * (RIGHT - LEFT);
          const end = (v: number) => (panel.percent ? `${Math.round(v * 100)}%` : v.toFixed(1));
          const height = panel.points.length * ROW + 34;
          return (
            <div key={panel.key} data-indicator={panel.key}>
              <h3 className="mb-1 text-sm font-medium text-slate-800">{panel.title}</h3>
              <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-label={panel.title} className="block h-auto w-full max-w-[320px]" fontSize="11">
                <line x1={LEFT} x2={LEFT} y1={4} y2={height - 28} stroke="#cbd5e1" />
                <line x1={RIGHT} x2={RIGHT} y1={4} y2={height - 28} stroke="#cbd5e1" />
                {panel.points.map((point, index) => {
                  const y = 16 + index * ROW;
                  return (
                    <g key={point.tier} data-tier={point.tier}>
                      <text x={0} y={y + 4} fill="#334155">
                        {point.tier}
                      </text>
                      {point.hidden !== null || point.estimate === null || point.low === null || point.high === null ? (
                        <text x={LEFT + 4} y={y + 4} fill="#475569" fontStyle="italic" fontSize="10">
                          {point.hidden ?? '—'}
                        </text>
                      ) : (
                        <>
                          <title>{`${point.tier}: ${point.display}`}</title>
                          <line x1={x(point.low)} x2={x(point.high)} y1={y} y2={y} stroke="#475569" strokeWidth={2} />
                          <line x1={x(point.low)} x2={x(point.low)} y1={y - 4} y2={y + 4} stroke="#475569" />
                          <line x1={x(point.high)} x2={x(point.high)} y1={y - 4} y2={y + 4} stroke="#475569" />
                          <circle cx={x(point.estimate)} cy={y} r={4} fill="#1e293b" />
                          <text x={RIGHT + 6} y={y + 4} fill="#0f172a" className="tabular-nums">
                            {point.text}
                          </text>
                        </>
                      )}
                    </g>
                  );
                })}
                <text x={LEFT} y={height - 12} fill="#475569" textAnchor="middle">
                  {end(lower)}
                </text>
                <text x={RIGHT} y={height - 12} fill="#475569" textAnchor="middle">
                  {end(upper)}
                </text>
              </svg>
            </div>
          );
        })}
      </div>
    </figure>
  );
}
