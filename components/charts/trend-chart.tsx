// Trend chart: the estimate per wave with its 95% CI band and n under each point, as a server-rendered SVG. Lines
// break where the question changed (a dashed rule marks it); reference series (tier, nation) are dashed lines.
export interface TrendChartPoint {
  wave: number;
  estimate: number;
  low: number;
  high: number;
  nText: string;
  description: string;
}

export interface TrendChartSeries {
  key: string;
  label: string;
  /** Segments of consecutive waves asked the same way; suppressed waves are left out. */
  segments: TrendChartPoint[][];
  reference: boolean;
}

const COLOURS = { main: '#991b1b', band: 'rgba(153, 27, 27, 0.15)', reference: ['#334155', '#64748b'] };

export function TrendChart({ title, series, waves, breaks, percent, breakLabel }: { title: string; series: TrendChartSeries[]; waves: number[]; breaks: number[]; percent: boolean; breakLabel: string }) {
  // A narrow drawing with large type, so that it stays readable when a phone scales it to 340 px.
  const width = 480;
  const height = 280;
  const margin = { top: 22, right: 34, bottom: 50, left: 50 };
  const all = series.flatMap((s) => s.segments.flat());
  if (all.length === 0 || waves.length === 0) return null;
  const lowest = Math.min(...all.map((p) => (series.find((s) => !s.reference)?.segments.flat().includes(p) ? p.low : p.estimate)));
  const highest = Math.max(...all.map((p) => (series.find((s) => !s.reference)?.segments.flat().includes(p) ? p.high : p.estimate)));
  const pad = Math.max((highest - lowest) * 0.15, percent ? 0.01 : 0.5);
  const yMin = Math.max(percent ? 0 : -Infinity, lowest - pad);
  const yMax = Math.min(percent ? 1 : Infinity, highest + pad);
  const sortedWaves = [...waves].sort((a, b) => a - b);
  const first = sortedWaves[0]!;
  const last = sortedWaves[sortedWaves.length - 1]!;
  const innerWidth = width - margin.left - margin.right;
  const innerHeight = height - margin.top - margin.bottom;
  const x = (wave: number) => margin.left + (last === first ? innerWidth / 2 : ((wave - first) / (last - first)) * innerWidth);
  const y = (value: number) => margin.top + (1 - (value - yMin) / (yMax - yMin || 1)) * innerHeight;
  const ticks = Array.from({ length: 5 }, (_, i) => yMin + ((yMax - yMin) * i) / 4);
  const fine = (yMax - yMin) * (percent ? 100 : 1) < 8;
  const tickText = (v: number) => (percent ? `${(v * 100).toFixed(fine ? 1 : 0)}%` : v.toFixed(fine ? 1 : 0));
  return (
    <figure className="max-w-3xl rounded-lg border border-slate-200 bg-white p-3">
      <figcaption className="mb-2 text-sm font-medium">{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} className="h-auto w-full" role="img" aria-label={title} data-testid="trend-chart">
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={margin.left} x2={width - margin.right} y1={y(tick)} y2={y(tick)} stroke="#e2e8f0" />
            <text x={margin.left - 6} y={y(tick) + 4} textAnchor="end" fontSize="13" fill="#475569">
              {tickText(tick)}
            </text>
          </g>
        ))}
        {sortedWaves.map((wave) => (
          <text key={wave} x={x(wave)} y={height - margin.bottom + 18} textAnchor="middle" fontSize="14" fill="#0f172a">
            {wave}
          </text>
        ))}
        {breaks.map((wave) => {
          const before = sortedWaves.filter((w) => w < wave).pop() ?? wave;
          const at = (x(before) + x(wave)) / 2;
          return (
            <g key={`break-${wave}`} data-testid={`trend-break-${wave}`}>
              <line x1={at} x2={at} y1={margin.top} y2={height - margin.bottom} stroke="#b45309" strokeDasharray="4 3" />
              <text x={at} y={margin.top - 6} textAnchor="middle" fontSize="12" fill="#b45309">
                {breakLabel}
              </text>
            </g>
          );
        })}
        {series.map((s, index) =>
          s.segments.map((segment, j) => {
            const colour = s.reference ? COLOURS.reference[index % 2]! : COLOURS.main;
            const band = `${segment.map((p) => `${x(p.wave)},${y(p.high)}`).join(' ')} ${[...segment].reverse().map((p) => `${x(p.wave)},${y(p.low)}`).join(' ')}`;
            return (
              <g key={`${s.key}-${j}`} data-testid={s.reference ? undefined : 'trend-segment'}>
                {!s.reference && segment.length > 1 && <polygon points={band} fill={COLOURS.band} data-testid="trend-band" />}
                {!s.reference &&
                  segment.map((p) => <line key={`ci-${p.wave}`} x1={x(p.wave)} x2={x(p.wave)} y1={y(p.low)} y2={y(p.high)} stroke={colour} strokeWidth={1.5} />)}
                <polyline points={segment.map((p) => `${x(p.wave)},${y(p.estimate)}`).join(' ')} fill="none" stroke={colour} strokeWidth={s.reference ? 1.5 : 2.5} strokeDasharray={s.reference ? '5 4' : undefined} />
                {segment.map((p) => (
                  <circle key={p.wave} cx={x(p.wave)} cy={y(p.estimate)} r={s.reference ? 3 : 4.5} fill={s.reference ? '#ffffff' : colour} stroke={colour} strokeWidth={1.5} data-testid={s.reference ? undefined : `trend-point-${p.wave}`}>
                    <title>{p.description}</title>
                  </circle>
                ))}
              </g>
            );
          }),
        )}
        {series
          .filter((s) => !s.reference)
          .flatMap((s) => s.segments.flat())
          .map((p) => (
            <text key={`n-${p.wave}`} x={x(p.wave)} y={height - margin.bottom + 36} textAnchor="middle" fontSize="12" fill="#475569">
              n={p.nText}
            </text>
          ))}
      </svg>
      <ul className="mt-2 flex flex-wrap gap-4 text-xs text-slate-700">
        {series.map((s, index) => (
          <li key={s.key} className="flex items-center gap-1">
            <svg width="22" height="8" aria-hidden="true">
              <line x1="0" x2="22" y1="4" y2="4" stroke={s.reference ? COLOURS.reference[index % 2] : COLOURS.main} strokeWidth={2} strokeDasharray={s.reference ? '5 4' : undefined} />
            </svg>
            {s.label}
          </li>
        ))}
      </ul>
    </figure>
  );
}
