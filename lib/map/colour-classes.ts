// Colour classes of the map: equal-width classes on rounded breaks spanning the shown estimates, and a sequential
// palette (ColorBrewer Blues, colour-blind safe) that says "more" darker, whichever direction is better.
// ColorBrewer Blues; the fourth class is Blues-7's #2171b5 (not Blues-5's #3182bd), so that white text on it reaches
// WCAG AA's 4.5:1 (5.0:1 against 4.2:1).
export const CLASS_COLOURS = ['#eff3ff', '#bdd7e7', '#6baed6', '#2171b5', '#08519c'] as const;
/** Text colour readable on each class colour. */
export const CLASS_TEXT = ['#0f172a', '#0f172a', '#0f172a', '#ffffff', '#ffffff'] as const;

export interface ColourScale {
  /** Class boundaries, ascending: classes.length + 1 values; class i covers [breaks[i], breaks[i+1]). */
  breaks: number[];
  classOf(value: number): number;
}

const NICE_STEPS = [0.001, 0.002, 0.0025, 0.005, 0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100];

/** Up to five classes of a nice step that cover every value; null when there is nothing to classify. */
export function colourScale(values: readonly number[], classes = CLASS_COLOURS.length): ColourScale | null {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return null;
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const span = Math.max(max - min, 1e-9);
  const step = NICE_STEPS.find((s) => Math.floor(min / s) * s + classes * s > max) ?? NICE_STEPS[NICE_STEPS.length - 1]!;
  // Start on a multiple of the step, then centre the unused classes so both ends keep a little room.
  let start = Math.floor(min / step) * step;
  const used = Math.ceil((max - start) / step + 1e-9) || 1;
  start -= Math.floor((classes - Math.min(used, classes)) / 2) * step;
  if (span > 0 && start < 0 && min >= 0) start = 0;
  const breaks = Array.from({ length: classes + 1 }, (_, i) => Number((start + i * step).toFixed(6)));
  return {
    breaks,
    classOf(value: number) {
      const index = Math.floor((value - start) / step + 1e-9);
      return Math.min(Math.max(index, 0), classes - 1);
    },
  };
}
