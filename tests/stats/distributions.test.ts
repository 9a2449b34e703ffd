// The distribution functions against R's pnorm, qnorm, pt, qt and pchisq (tests/fixtures/r/distributions.R),
// including extreme arguments: tails down to 1e-300 keep their relative precision, as p-values in the app need.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { chiSquareUpperTail, normalCdf, normalQuantile, normalTwoSidedP, studentTCdf, studentTQuantile, studentTTwoSidedP } from '@/lib/stats/distributions';

const r = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'r', 'distributions.json'), 'utf8'));
const relative = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.abs(b));

function worst<T>(rows: T[], got: (row: T) => number, want: (row: T) => number): number {
  return Math.max(...rows.map((row) => relative(got(row), want(row))));
}

describe('normal', () => {
  type Row = { x: number; cdf: number; two_sided: number };
  test('pnorm and two-sided p from -37.5 to 8.3 within 1e-12 relative', () => {
    expect(worst(r.normal as Row[], (row) => normalCdf(row.x), (row) => row.cdf)).toBeLessThan(1e-12);
    expect(worst(r.normal as Row[], (row) => normalTwoSidedP(row.x), (row) => row.two_sided)).toBeLessThan(1e-12);
  });
  test('qnorm from p = 1e-300 to 1 - 1e-10 within 1e-12 relative', () => {
    expect(worst(r.normal_quantile as Array<{ p: number; q: number }>, (row) => normalQuantile(row.p), (row) => row.q)).toBeLessThan(1e-12);
  });
});

// Up to df = 19,983 (the oracle's OLS) within 5e-12; at df = 1e6 within 1e-10 (R's pbeta and ours both lose a few
// digits there; the t is then the normal to 1e-6 anyway).
describe('Student t', () => {
  type Row = { t: number; df: number; cdf: number; two_sided: number };
  type QuantileRow = { p: number; df: number; q: number };
  const moderate = <T extends { df: number }>(rows: T[]) => rows.filter((row) => row.df <= 2e4);
  const huge = <T extends { df: number }>(rows: T[]) => rows.filter((row) => row.df > 2e4);
  test('pt and two-sided p for df 1 to 19,983 and |t| up to 50 within 5e-12 relative; df = 1e6 within 1e-10', () => {
    expect(worst(moderate(r.t as Row[]), (row) => studentTCdf(row.t, row.df), (row) => row.cdf)).toBeLessThan(5e-12);
    expect(worst(moderate(r.t as Row[]), (row) => studentTTwoSidedP(row.t, row.df), (row) => row.two_sided)).toBeLessThan(5e-12);
    expect(worst(huge(r.t as Row[]), (row) => studentTCdf(row.t, row.df), (row) => row.cdf)).toBeLessThan(1e-10);
    expect(worst(huge(r.t as Row[]), (row) => studentTTwoSidedP(row.t, row.df), (row) => row.two_sided)).toBeLessThan(1e-10);
  });
  test('qt for p from 1e-10 to 1 - 1e-6: df 1 to 19,983 within 5e-12 relative, df = 1e6 within 1e-10', () => {
    expect(worst(moderate(r.t_quantile as QuantileRow[]), (row) => studentTQuantile(row.p, row.df), (row) => row.q)).toBeLessThan(5e-12);
    expect(worst(huge(r.t_quantile as QuantileRow[]), (row) => studentTQuantile(row.p, row.df), (row) => row.q)).toBeLessThan(1e-10);
  });
});

test('pchisq upper tail for x up to 800 and df 1 to 100 within 1e-12 relative', () => {
  expect(worst(r.chisq as Array<{ x: number; df: number; upper: number }>, (row) => chiSquareUpperTail(row.x, row.df), (row) => row.upper)).toBeLessThan(1e-12);
});
