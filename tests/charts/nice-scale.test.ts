// The model plots' axes (issue 16, defect 4): more than two ticks, round values on a 1/2/5 step, zero included.
import { expect, test } from 'vitest';
import { niceScale } from '@/lib/charts/nice-scale';

test('a coefficient range from 0 to 6.94 gets round ticks 0, 2, 4, 6, 8', () => {
  expect(niceScale(0, 6.94).ticks).toEqual([0, 2, 4, 6, 8]);
});

test('a range across zero keeps zero as a tick and covers both ends', () => {
  const scale = niceScale(-6.0, 14.2);
  expect(scale.ticks).toContain(0);
  expect(scale.lower).toBeLessThanOrEqual(-6);
  expect(scale.upper).toBeGreaterThanOrEqual(14.2);
  expect(scale.ticks.length).toBeGreaterThanOrEqual(4);
  expect(scale.ticks.length).toBeLessThanOrEqual(8);
});

test('small coefficients get decimals that show the step', () => {
  const scale = niceScale(-0.031, 0.12);
  expect(scale.ticks.every((t) => Number(t.toFixed(scale.decimals)) === t)).toBe(true);
  expect(scale.ticks).toContain(0);
  expect(scale.decimals).toBeGreaterThan(0);
});

test('a degenerate range still has ticks', () => {
  expect(niceScale(0, 0).ticks.length).toBeGreaterThan(1);
});
