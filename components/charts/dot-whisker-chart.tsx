'use client';
// Cities ranked with their estimate (dot) and 95% CI (whisker), a dashed national benchmark, and the CI and n in the
// tooltip. Drawn with Recharts as SVG.
import { CartesianGrid, ComposedChart, ErrorBar, ReferenceLine, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from 'recharts';

export interface DotWhiskerPoint {
  label: string;
  estimate: number;
  low: number;
  high: number;
  n: number;
  display: string;
}

export function DotWhiskerChart({
  points,
  benchmark,
  benchmarkLabel,
  percent,
  title,
}: {
  points: DotWhiskerPoint[];
  benchmark: number | null;
  benchmarkLabel: string;
  percent: boolean;
  title: string;
}) {
  const scale = percent ? 100 : 1;
  const data = points.map((p) => ({
    ...p,
    value: p.estimate * scale,
    error: [(p.estimate - p.low) * scale, (p.high - p.estimate) * scale] as [number, number],
  }));
  const height = Math.max(240, 26 * data.length + 90);
  // Round axis ends and 4-6 ticks at a 1/2/5 step, so the scale reads like a printed chart (60, 65, 70 … not 66, 72).
  const values = data.flatMap((d) => [d.value - d.error[0], d.value + d.error[1]]);
  if (benchmark !== null) values.push(benchmark * scale);
  const [min, max] = values.length ? [Math.min(...values), Math.max(...values)] : [0, 1];
  const raw = Math.max((max - min) / 5, 1e-9);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const lower = Math.max(percent ? 0 : -Infinity, Math.floor(min / step) * step);
  const upper = Math.min(percent ? 100 : Infinity, Math.ceil(max / step) * step);
  const ticks: number[] = [];
  for (let v = lower; v <= upper + step / 2; v += step) ticks.push(Number(v.toFixed(6)));
  const decimals = step < 1 ? 1 : 0;
  const format = (v: number) => (percent ? `${v.toFixed(decimals)}%` : v.toFixed(decimals));
  // A long ranking (72 cities is 1,900 px) repeats its axis at the top, so the scale is in view at either end.
  const axisOnTop = data.length > 12;
  return (
    <figure aria-label={title} data-testid="dot-whisker-chart" className="rounded-lg border border-slate-200 bg-white p-4">
      <figcaption className="mb-2 text-sm font-medium text-slate-700">{title}</figcaption>
      <div style={{ height }}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart layout="vertical" data={data} margin={{ top: axisOnTop ? 8 : 26, right: 30, bottom: 10, left: 10 }}>
            <CartesianGrid horizontal={false} stroke="#e2e8f0" />
            <XAxis type="number" domain={[lower, upper]} ticks={ticks} tickFormatter={format} />
            {axisOnTop && <XAxis xAxisId="top" orientation="top" type="number" domain={[lower, upper]} ticks={ticks} tickFormatter={format} allowDataOverflow />}
            <YAxis type="category" dataKey="label" width={120} tick={{ fontSize: 12 }} interval={0} padding={{ top: 12, bottom: 12 }} />
            <Tooltip
              cursor={{ fill: '#f1f5f9' }}
              content={({ active, payload }) => {
                const point = active ? (payload?.[0]?.payload as (typeof data)[number] | undefined) : undefined;
                if (!point) return null;
                return (
                  <div className="rounded border border-slate-200 bg-white px-3 py-2 text-xs shadow">
                    <div className="font-medium">{point.label}</div>
                    <div>{point.display}</div>
                  </div>
                );
              }}
            />
            {benchmark !== null && (
              <ReferenceLine x={benchmark * scale} stroke="#b91c1c" strokeDasharray="4 4" label={{ value: benchmarkLabel, position: axisOnTop ? 'insideBottomRight' : 'top', fill: '#b91c1c', fontSize: 12 }} />
            )}
            <Scatter dataKey="value" fill="#1e293b" isAnimationActive={false}>
              <ErrorBar dataKey="error" direction="x" width={4} stroke="#475569" />
            </Scatter>
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
