// Mediation against R (tests/fixtures/oracle/expected/mediate_*.json): paths and Sobel SE within 1e-6 relative;
// with the mulberry32 generator the bootstrap resamples, replicate by replicate, are R's.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readCsv } from '@/lib/stats/csv';
import { fitMediation, quantileType7 } from '@/lib/stats/mediation';
import type { MediationSpec } from '@/lib/stats/types';

const oracle = path.join(__dirname, '..', 'fixtures', 'oracle');
const table = readCsv(fs.readFileSync(path.join(oracle, 'data.csv'), 'utf8'));
const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const load = (name: string) => ({
  spec: JSON.parse(fs.readFileSync(path.join(oracle, 'specs', `${name}.json`), 'utf8')) as MediationSpec,
  expected: JSON.parse(fs.readFileSync(path.join(oracle, 'expected', `${name}.json`), 'utf8')),
});

for (const name of ['mediate_continuous', 'mediate_binary_mulberry']) {
  describe(`${name} agrees with R`, () => {
    const { spec, expected } = load(name);
    // 20 replicates keep the test quick; the full 1,000 run in the benchmark.
    const result = fitMediation(table, spec, { replicates: 20 });

    test('paths a, b, c and c\' (estimates and SEs) within 1e-6 relative', () => {
      for (const key of ['c_total', 'a', 'b', 'c_prime'] as const) {
        expect(relative(result.baron_kenny[key].estimate, expected.baron_kenny[key].estimate), `${key} estimate`).toBeLessThan(1e-6);
        expect(relative(result.baron_kenny[key].se, expected.baron_kenny[key].se), `${key} se`).toBeLessThan(1e-6);
      }
      expect(relative(result.baron_kenny.indirect_ab, expected.baron_kenny.indirect_ab)).toBeLessThan(1e-6);
    });

    test('Sobel, Aroian and Goodman SEs and CIs within 1e-6 relative', () => {
      for (const key of ['sobel', 'aroian', 'goodman'] as const) {
        expect(relative(result.indirect_tests[key].se, expected.indirect_tests[key].se), key).toBeLessThan(1e-6);
        expect(relative(result.indirect_tests[key].ci_lower, expected.indirect_tests[key].ci_lower), key).toBeLessThan(1e-6);
      }
    });
  });
}

test('with mulberry32, each bootstrap replicate reproduces R\'s value', () => {
  const { spec, expected } = load('mediate_binary_mulberry');
  const result = fitMediation(table, spec, { replicates: 20 });
  result.bootstrap.values.forEach((value, r) => expect(relative(value, expected.bootstrap.values[r]), `replicate ${r + 1}`).toBeLessThan(1e-6));
});

test("percentile CIs use R's quantile type 7", () => {
  expect(quantileType7([1, 2, 3, 4], 0.5)).toBe(2.5);
  expect(quantileType7([10, 20, 30, 40, 50], 0.025)).toBeCloseTo(11, 12);
});
