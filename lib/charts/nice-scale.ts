// Axis scales that read like a printed chart: round ends and a 1/2/5 step (−2, 0, 2, 4 … not −1.73 and 6.94).
// Pure: used by the model page's coefficient and subgroup plots.

export interface NiceScale {
  lower: number;
  upper: number;
  step: number;
  ticks: number[];
  /** Decimals a tick label needs to show the step. */
  decimals: number;
}

export function niceScale(min: number, max: number, targetTicks = 5): NiceScale {
  let [low, high] = [Math.min(min, max), Math.max(min, max)];
  if (!Number.isFinite(low) || !Number.isFinite(high)) [low, high] = [0, 1];
  if (high - low < 1e-12) {
    const pad = Math.abs(high) > 0 ? Math.abs(high) * 0.1 : 1;
    [low, high] = [low - pad, high + pad];
  }
  const raw = (high - low) / Math.max(1, targetTicks - 1);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const lower = Math.floor(low / step + 1e-9) * step;
  const upper = Math.ceil(high / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = lower; v <= upper + step / 2; v += step) ticks.push(Number(v.toFixed(10)) === 0 ? 0 : Number(v.toFixed(10)));
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9) + (Math.round(step / magnitude) === 2.5 ? 1 : 0));
  return { lower, upper, step, ticks, decimals };
}
