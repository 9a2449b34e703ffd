// Summary measures of inequality against R (survey::svyby with covmat = TRUE plus the delta method), through
// `npm run fit` on every inequality spec of the oracle, to 1e-6 relative; and display scaling of estimate and SE.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readCsv } from '@/lib/stats/csv';
import { createSurveyDesign, surveyMean, varianceOfTotal } from '@/lib/stats/survey';
import { designCovariance, estimateSubgroups, runInequalitySpec, subgroupCovariance, scaleMeasure, type InequalitySpec } from '@/lib/stats/inequality';

const root = path.resolve(__dirname, '..', '..');
const oracle = path.join(root, 'tests', 'fixtures', 'oracle');
const specNames = fs
  .readdirSync(path.join(oracle, 'specs'))
  .filter((f) => f.startsWith('inequality_'))
  .sort();

interface Measure {
  estimate: number;
  se: number;
  ci: [number, number];
}
interface Result {
  subgroups: Array<{ group: string; estimate: number; se: number; share: number; n: number }>;
  best: string;
  reference: string;
  measures: Record<string, Measure>;
}

function expectClose(actual: number, wanted: number, label: string, relative = 1e-6) {
  expect(Math.abs(actual - wanted), `${label}: ${actual} vs R ${wanted}`).toBeLessThanOrEqual(relative * Math.max(Math.abs(wanted), 1e-12));
}

describe('inequality measures agree with R survey 4.1-1 through npm run fit', () => {
  test('the oracle has the three inequality cases', () => {
    expect(specNames).toEqual(['inequality_city_rural.json', 'inequality_scope.json', 'inequality_trust_mean.json']);
  });

  for (const name of specNames) {
    test(`${name}: every subgroup estimate, SE, share and n, and every measure's estimate, SE and CI within 1e-6`, () => {
      const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fit-ineq-')), 'out.json');
      const run = spawnSync('npx', ['tsx', 'lib/stats/cli/fit.ts', '--data', path.join(oracle, 'data.csv'), '--spec', path.join(oracle, 'specs', name), '--out', out], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      const got = JSON.parse(fs.readFileSync(out, 'utf8')) as Result;
      const want = JSON.parse(fs.readFileSync(path.join(oracle, 'expected', name), 'utf8')) as Result;
      expect(got.subgroups.map((s) => s.group)).toEqual(want.subgroups.map((s) => s.group));
      want.subgroups.forEach((w, k) => {
        const g = got.subgroups[k]!;
        expect(g.n).toBe(w.n);
        expectClose(g.estimate, w.estimate, `${w.group} estimate`);
        expectClose(g.se, w.se, `${w.group} se`);
        expectClose(g.share, w.share, `${w.group} share`);
      });
      expect(got.best).toBe(want.best);
      expect(got.reference).toBe(want.reference);
      expect(Object.keys(got.measures).sort()).toEqual(Object.keys(want.measures).sort());
      for (const [measure, w] of Object.entries(want.measures)) {
        const g = got.measures[measure]!;
        expectClose(g.estimate, w.estimate, `${measure} estimate`);
        expectClose(g.se, w.se, `${measure} se`);
        expectClose(g.ci[0], w.ci[0], `${measure} ci lower`);
        expectClose(g.ci[1], w.ci[1], `${measure} ci upper`);
      }
    }, 60_000);
  }
});

describe('display scaling and the design covariance', () => {
  const table = readCsv(fs.readFileSync(path.join(oracle, 'data.csv'), 'utf8'));
  const spec = JSON.parse(fs.readFileSync(path.join(oracle, 'specs', 'inequality_scope.json'), 'utf8')) as InequalitySpec;
  const result = runInequalitySpec(table, spec);

  test('a display ×100 or ×1000 multiplies the estimate, the SE and the CI alike (HEAT scaled Theil and MLD but not their SEs)', () => {
    const mld = result.measures.MLD!;
    const shown = scaleMeasure(mld, 1000);
    expect(shown.estimate).toBeCloseTo(mld.estimate * 1000, 12);
    expect(shown.se).toBeCloseTo(mld.se * 1000, 12);
    expect(shown.se / shown.estimate).toBeCloseTo(mld.se / mld.estimate, 12);
    const d = scaleMeasure(result.measures.D!, 100);
    expect(d.se).toBeCloseTo(result.measures.D!.se * 100, 12);
    expect(d.ci[1] - d.ci[0]).toBeCloseTo((result.measures.D!.ci[1] - result.measures.D!.ci[0]) * 100, 10);
    // The z-statistic is unchanged by scaling, so significance cannot depend on the display unit.
    expect(shown.estimate / shown.se).toBeCloseTo(mld.estimate / mld.se, 10);
  });

  test('each subgroup variance equals the domain estimate of survey.ts, and covariances are not zero', () => {
    const design = createSurveyDesign(table.columns.get('w') as Float64Array, table.columns.get('stratum') as Float64Array, table.columns.get('psu') as Float64Array);
    const scope = table.columns.get('scope') as string[];
    const y = table.columns.get('y') as Float64Array;
    const levels = ['inter_prov', 'intra_city', 'intra_prov'];
    const groupOf = Int32Array.from(scope, (s) => levels.indexOf(s));
    const sub = estimateSubgroups(design, y, groupOf, 3);
    const covariance = subgroupCovariance(design, sub);
    levels.forEach((level, k) => {
      const alone = surveyMean(design, y, (i) => scope[i] === level);
      expectClose(sub.estimates[k]!, alone.estimate, `${level} mean`, 1e-12);
      expectClose(Math.sqrt(covariance[k * 3 + k]!), alone.se, `${level} se`, 1e-10);
    });
    expect(Math.abs(covariance[1]!)).toBeGreaterThan(0);
  });

  test('the sparse covariance applies the lonely-PSU rule as the dense variance does', () => {
    // Strata with a single PSU (one scored, one not: both centred at the grand mean), one untouched, one scored.
    const design = createSurveyDesign([1, 1, 1, 1, 1, 1], ['a', 'b', 'b', 'c', 'c', 'd'], ['1', '2', '3', '4', '5', '6']);
    const dense = Float64Array.from([0.7, 0, 0, -0.2, 0.5, 0]);
    const sparse = designCovariance(design, 1, [0, 3, 4], Float64Array.from([0.7, -0.2, 0.5]));
    expectClose(sparse[0]!, varianceOfTotal(design, dense), 'variance', 1e-12);
  });
});
