// A generated dataset at the scale of a full CMDS wave (170,000 respondents, 30 covariates, 300 cities) for the
// statistics benchmark: deterministic from its seed, with a treatment, a mediator and outcomes whose effects are known.
import { mulberry32, normalGenerator } from '../../lib/stats/random';
import type { DataTable } from '../../lib/stats/types';

export interface SyntheticWaveOptions {
  rows?: number;
  covariates?: number;
  cities?: number;
  seed?: number;
}

export const SYNTHETIC_TRUTH = {
  /** Log-odds of receiving services per unit of the first three covariates (confounding for the PSM). */
  treatmentLogit: [0.4, -0.3, 0.25],
  mediatorOnTreatment: 0.5,
  outcomeOnMediator: 0.4,
  outcomeOnTreatment: 0.3,
  cityInterceptSd: 0.6,
  /** Effect of services on integration_score: 5 x (0.3 + 0.4 x 0.5), direct plus through health. */
  scoreEffectOfServices: 2.5,
} as const;

const logistic = (eta: number) => 1 / (1 + Math.exp(-eta));

/**
 * Columns: `city` (300 levels, string), `region` (6 levels), `x1`..`x30` (every third binary, the rest standard
 * normal), `services` (binary treatment, confounded by x1..x3), `health` (continuous mediator), `integration`
 * (binary outcome from a random-intercept logit) and `integration_score` (continuous, random-intercept linear).
 */
export function generateSyntheticWave(options: SyntheticWaveOptions = {}): DataTable {
  const n = options.rows ?? 170_000;
  const p = options.covariates ?? 30;
  const cities = options.cities ?? 300;
  const seed = options.seed ?? 20_170_300;
  const uniform = mulberry32(seed);
  const normal = normalGenerator(seed + 1);
  const truth = SYNTHETIC_TRUTH;
  const cityEffect = Float64Array.from({ length: cities }, () => truth.cityInterceptSd * normal());
  const cityLabels = Array.from({ length: cities }, (_, c) => `c${String(c + 1).padStart(3, '0')}`);
  const regionLabels = ['east', 'north', 'northeast', 'central', 'south', 'west'];

  const city: string[] = new Array(n);
  const region: string[] = new Array(n);
  const covariates = Array.from({ length: p }, () => new Float64Array(n));
  const services = new Float64Array(n);
  const health = new Float64Array(n);
  const integration = new Float64Array(n);
  const integrationScore = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(uniform() * cities);
    city[i] = cityLabels[c] as string;
    region[i] = regionLabels[c % regionLabels.length] as string;
    let covariateEta = 0;
    // Treatment depends on observed covariates only, so matching on them can recover its effect.
    let treatmentEta = -0.9;
    for (let k = 0; k < p; k++) {
      const value = k % 3 === 2 ? (uniform() < 0.4 ? 1 : 0) : normal();
      covariates[k]![i] = value;
      covariateEta += (k % 2 === 0 ? 0.08 : -0.05) * value;
      if (k < truth.treatmentLogit.length) treatmentEta += (truth.treatmentLogit[k] as number) * value;
    }
    const treated = uniform() < logistic(treatmentEta) ? 1 : 0;
    services[i] = treated;
    const mediator = truth.mediatorOnTreatment * treated + 0.5 * covariateEta + normal();
    health[i] = mediator;
    const eta = -0.5 + (cityEffect[c] as number) + truth.outcomeOnTreatment * treated + truth.outcomeOnMediator * mediator + covariateEta;
    integration[i] = uniform() < logistic(eta) ? 1 : 0;
    integrationScore[i] = 50 + 5 * eta + 5 * normal();
  }
  const columns = new Map<string, Float64Array | (string | null)[]>();
  columns.set('city', city);
  columns.set('region', region);
  covariates.forEach((values, k) => columns.set(`x${k + 1}`, values));
  columns.set('services', services);
  columns.set('health', health);
  columns.set('integration', integration);
  columns.set('integration_score', integrationScore);
  return { nrow: n, columns };
}
