// The bootstrap refit engine: refitting with counts on a gathered resample gives what fitting the explicitly resampled
// rows gives (logit and OLS, nested models sharing one resample, prior weights), and the seeded streams behave.
import { describe, expect, test } from 'vitest';
import { fitGlm } from '@/lib/stats/glm';
import { buildModelFrame } from '@/lib/stats/model-frame';
import { drawBootstrapCounts, mulberry32, mulberry32At, normalGenerator, seededPermutation } from '@/lib/stats/random';
import { createResampleGatherer, createResampledGlmSolver, panelLinearPredictorPair, solveJointly } from '@/lib/stats/resampled-glm';
import type { DataTable, FitResult, ModelFrame } from '@/lib/stats/types';

function simulate(n: number): DataTable {
  const uniform = mulberry32(5);
  const normal = normalGenerator(6);
  const columns = new Map<string, Float64Array | (string | null)[]>();
  const x1 = Float64Array.from({ length: n }, () => normal());
  const x2 = Float64Array.from({ length: n }, () => (uniform() < 0.3 ? 1 : 0));
  const m = Float64Array.from(x1, (v, i) => 0.5 * v - 0.3 * x2[i]! + normal());
  const y = Float64Array.from(m, (v, i) => (uniform() < 1 / (1 + Math.exp(-(-0.2 + 0.7 * v + 0.4 * x1[i]! - 0.5 * x2[i]!))) ? 1 : 0));
  const w = Float64Array.from({ length: n }, () => 0.5 + uniform());
  for (const [name, values] of Object.entries({ x1, x2, m, y, w })) columns.set(name, values);
  return { nrow: n, columns };
}

/** The frame with row i repeated counts[i] times (what R's bootstrap fits). */
function expand(frame: ModelFrame, counts: Int32Array): ModelFrame {
  const rows: number[] = [];
  counts.forEach((c, i) => {
    for (let k = 0; k < c; k++) rows.push(i);
  });
  const X = new Float64Array(rows.length * frame.p);
  rows.forEach((row, i) => X.set(frame.X.subarray(row * frame.p, (row + 1) * frame.p), i * frame.p));
  return { ...frame, n: rows.length, X, y: Float64Array.from(rows, (r) => frame.y[r]!), weights: frame.weights ? Float64Array.from(rows, (r) => frame.weights![r]!) : null };
}

const estimates = (fit: FitResult, terms: string[]) => Float64Array.from(terms, (t) => fit.coef[t]!.estimate);
const table = simulate(3000);

describe.each([null, 'w'])('with prior weights = %s', (weights) => {
  const outcomeFrame = buildModelFrame(table, { family: 'binomial', outcome: 'y', predictors: ['x1', 'm', 'x2'], weights });
  const mediatorFrame = buildModelFrame(table, { family: 'gaussian', outcome: 'm', predictors: ['x1', 'x2'], weights });
  const outcomeFit = fitGlm(outcomeFrame, { family: 'binomial', tol: 1e-12 });
  const mediatorFit = fitGlm(mediatorFrame, { family: 'gaussian' });
  const columnIndex = Int32Array.from(mediatorFrame.terms, (t) => outcomeFrame.terms.indexOf(t));
  const outcomeSolver = createResampledGlmSolver(outcomeFrame, 'binomial', estimates(outcomeFit, outcomeFrame.terms));
  const mediatorSolver = createResampledGlmSolver(mediatorFrame, 'gaussian', estimates(mediatorFit, mediatorFrame.terms), { columnIndex });
  const gather = createResampleGatherer(outcomeFrame.X, outcomeFrame.n, outcomeFrame.p);
  const uniform = mulberry32(99);
  const counts = new Int32Array(outcomeFrame.n);

  test('refits agree with fits of the explicitly resampled rows within 2e-4 standard errors (the default tolerance is about 5e-5)', () => {
    for (let r = 0; r < 5; r++) {
      drawBootstrapCounts(uniform, outcomeFrame.n, counts);
      const [mediatorStar, outcomeStar] = solveJointly(gather(counts), [mediatorSolver, outcomeSolver]);
      const directOutcome = fitGlm(expand(outcomeFrame, counts), { family: 'binomial', tol: 1e-13 });
      const directMediator = fitGlm(expand(mediatorFrame, counts), { family: 'gaussian' });
      outcomeFrame.terms.forEach((term, k) => {
        const row = directOutcome.coef[term]!;
        expect(Math.abs(outcomeStar!.beta[k]! - row.estimate) / row.se, term).toBeLessThan(2e-4);
      });
      mediatorFrame.terms.forEach((term, k) => {
        const row = directMediator.coef[term]!;
        expect(Math.abs(mediatorStar!.beta[k]! - row.estimate) / row.se, term).toBeLessThan(2e-4);
      });
      expect(outcomeStar!.iterations).toBeLessThan(10);
    }
  });

  test('a tighter tolerance gets closer still', () => {
    const tight = createResampledGlmSolver(outcomeFrame, 'binomial', estimates(outcomeFit, outcomeFrame.terms), { tol: 1e-9 });
    drawBootstrapCounts(mulberry32(11), outcomeFrame.n, counts);
    const beta = tight.solve(gather(counts)).beta;
    const direct = fitGlm(expand(outcomeFrame, counts), { family: 'binomial', tol: 1e-13 });
    outcomeFrame.terms.forEach((term, k) => expect(Math.abs(beta[k]! - direct.coef[term]!.estimate) / direct.coef[term]!.se, term).toBeLessThan(1e-8));
  });

  test('a model solved alone gives the same refit as in lockstep', () => {
    drawBootstrapCounts(mulberry32(7), outcomeFrame.n, counts);
    const resample = gather(counts);
    const alone = outcomeSolver.solve(resample).beta;
    const together = solveJointly(resample, [mediatorSolver, outcomeSolver])[1]!.beta;
    alone.forEach((value, k) => expect(value).toBe(together[k]));
  });
});

test('mulberry32At jumps ahead to the sequential stream\'s values', () => {
  const sequential = mulberry32(20240601);
  const values = Array.from({ length: 5000 }, () => sequential());
  for (const position of [0, 1, 17, 4321]) expect(mulberry32At(20240601, position)()).toBe(values[position]);
});

test('normal draws have mean 0 and variance 1; permutations are permutations', () => {
  const normal = normalGenerator(3);
  const draws = Array.from({ length: 20000 }, () => normal());
  const mean = draws.reduce((s, v) => s + v, 0) / draws.length;
  const variance = draws.reduce((s, v) => s + (v - mean) ** 2, 0) / (draws.length - 1);
  expect(Math.abs(mean)).toBeLessThan(0.03);
  expect(Math.abs(variance - 1)).toBeLessThan(0.03);
  expect([...seededPermutation(50, 9)].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
});

test('the panel kernel gives both models\' linear predictors for any number of columns (blocks of eight and the rest)', () => {
  const uniform = mulberry32(11);
  for (let p = 1; p <= 19; p++) {
    const n = 37;
    const X = Float64Array.from({ length: n * p }, () => uniform() - 0.5);
    const counts = Int32Array.from({ length: n }, (_, i) => (i % 3 === 1 ? 0 : 1 + (i % 2)));
    const resample = createResampleGatherer(X, n, p)(counts);
    const betaA = Float64Array.from({ length: p }, () => uniform() * 4 - 2);
    const betaB = Float64Array.from({ length: p }, () => uniform() * 4 - 2);
    const offsets = Int32Array.from({ length: p }, (_, k) => k * resample.m); // one panel: m < PANEL_ROWS
    const etaA = new Float64Array(resample.m).fill(Number.NaN);
    const etaB = new Float64Array(resample.m).fill(Number.NaN);
    panelLinearPredictorPair(resample.data, offsets, p, resample.m, betaA, betaB, etaA, etaB);
    resample.rows.forEach((row, j) => {
      let a = 0;
      let b = 0;
      for (let k = 0; k < p; k++) {
        a += X[row * p + k]! * betaA[k]!;
        b += X[row * p + k]! * betaB[k]!;
      }
      expect(Math.abs(etaA[j]! - a), `p = ${p}, row ${row}`).toBeLessThan(1e-13);
      expect(Math.abs(etaB[j]! - b), `p = ${p}, row ${row}`).toBeLessThan(1e-13);
    });
  }
});
