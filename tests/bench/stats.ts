// `npm run bench:stats`: the statistics engine at the scale of a full CMDS wave (170,000 rows, 30 covariates, 300
// cities) on generated data with a fixed seed. Prints each time and the peak memory; a missing module prints a line.
import { generateSyntheticWave } from './synthetic-wave';
import type { DataTable, FitResult, ModelFrame, ModelSpec } from '../../lib/stats/types';

const ROWS = 170_000;
const COVARIATES = 30;
const CITIES = 300;
const LABEL_WIDTH = 52;

function report(label: string, seconds: number, note = ''): void {
  console.log(`${label.padEnd(LABEL_WIDTH)} ${seconds.toFixed(2).padStart(8)} s${note ? `  ${note}` : ''}`);
}

function time<T>(label: string, work: () => T, note?: (result: T) => string): T {
  const started = performance.now();
  const result = work();
  report(label, (performance.now() - started) / 1000, note?.(result) ?? '');
  return result;
}

/** Runs one benchmark line; a module another part of the engine has not delivered yet prints "not available". */
async function line(label: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    // A module not written yet, or one that says it does not offer this fit yet.
    const missing = error instanceof Error && /Cannot find module|is not a function|does not provide an export|available in this version/.test(error.message);
    const message = error instanceof Error ? error.message : String(error);
    console.log(`${label.padEnd(LABEL_WIDTH)} ${missing ? `not available (${message})` : `failed: ${message}`}`);
  }
}

const coefficientOf = (fit: FitResult, term: string) => (fit.coef[term] ? fit.coef[term].estimate.toFixed(3) : 'NA');

async function main(): Promise<void> {
  console.log(`statistics engine benchmark: ${ROWS.toLocaleString('en')} rows x ${COVARIATES} covariates x ${CITIES} cities (Node ${process.version})`);
  const table: DataTable = time('generate the synthetic wave', () => generateSyntheticWave({ rows: ROWS, covariates: COVARIATES, cities: CITIES }));
  const covariates = Array.from({ length: COVARIATES }, (_, k) => `x${k + 1}`);
  const predictors = ['services', ...covariates];
  const { buildModelFrame } = await import('../../lib/stats/model-frame');
  const frameOf = (spec: ModelSpec): ModelFrame => buildModelFrame(table, spec);

  await line('logit, city-clustered SEs', async () => {
    const { fitGlm } = await import('../../lib/stats/glm');
    const frame = time('  model frame (31 terms + intercept)', () => frameOf({ family: 'binomial', outcome: 'integration', predictors, cluster: 'city', se: 'cluster' }));
    time('logit, city-clustered SEs', () => fitGlm(frame, { family: 'binomial', se: 'cluster', allVariants: false }), (fit) => `services = ${coefficientOf(fit, 'services')}`);
  });
  let glmmFrame: ModelFrame | null = null;
  // The frame is timed on its own line, as for the logit: the fit lines time the fits.
  const randomInterceptFrame = () => (glmmFrame ??= time('  model frame (random intercept by city)', () => frameOf({ family: 'binomial', outcome: 'integration', predictors, random_intercept: 'city' })));
  await line('random-intercept logit, Laplace', async () => {
    const { fitRandomInterceptLogit } = await import('../../lib/stats/glmm');
    const frame = randomInterceptFrame();
    time('random-intercept logit, Laplace', () => fitRandomInterceptLogit(frame, { nAGQ: 1 }), (fit) => `variance = ${fit.random_intercept?.variance.toFixed(3)} (true 0.36)`);
  });
  await line('random-intercept logit, nAGQ = 10', async () => {
    const { fitRandomInterceptLogit } = await import('../../lib/stats/glmm');
    const frame = randomInterceptFrame();
    time('random-intercept logit, nAGQ = 10', () => fitRandomInterceptLogit(frame, { nAGQ: 10 }), (fit) => `variance = ${fit.random_intercept?.variance.toFixed(3)}`);
  });
  await line('random-intercept linear model (ML)', async () => {
    const { fitLinearMixedModel } = await import('../../lib/stats/lmm');
    const frame = frameOf({ family: 'gaussian', outcome: 'integration_score', predictors, random_intercept: 'city' });
    time('random-intercept linear model (ML)', () => fitLinearMixedModel(frame, { reml: false }), (fit) => `variance = ${fit.random_intercept?.variance.toFixed(2)} (true 9)`);
  });
  await line('mediation, 1,000 bootstrap replicates', async () => {
    const { fitMediation } = await import('../../lib/stats/mediation');
    const { createParallelReplicateRunner } = await import('../../lib/models/parallel-bootstrap');
    const { workerFile } = await import('../../lib/jobs/worker-files');
    const spec = { treatment: 'services', mediator: 'health', outcome: 'integration', covariates, outcome_family: 'binomial' as const, mediator_family: 'gaussian' as const, boot_B: 1000, seed: 20240601, rng: 'mulberry32' };
    const note = (result: ReturnType<typeof fitMediation>) => `bootstrap ${result.bootstrap.time_s.toFixed(1)} s; a·b = ${result.baron_kenny.indirect_ab.toFixed(4)} [${result.bootstrap.ci_lower.toFixed(4)}, ${result.bootstrap.ci_upper.toFixed(4)}]`;
    // As the app's model workers run it: replicates split over two threads (identical values to one thread).
    const replicateRunner = createParallelReplicateRunner(workerFile('bootstrap'));
    time('mediation, 1,000 bootstrap replicates, 2 threads (target < 60 s)', () => fitMediation(table, spec, { replicateRunner }), note);
    if (process.env.BENCH_SEQUENTIAL === '1') time('mediation, 1,000 bootstrap replicates, 1 thread', () => fitMediation(table, spec), note);
  });
  await line('propensity-score matching', async () => {
    const { matchPropensity } = await import('../../lib/stats/psm');
    for (const replacement of [false, true]) {
      time(`propensity-score matching, ${replacement ? 'with' : 'without'} replacement`, () => matchPropensity(table, { treatment: 'services', covariates, outcome: 'integration_score', replacement }), (result) => `ATT = ${result.att.estimate.toFixed(3)} (SE ${result.att.se.toFixed(3)}; true 2.5); ${result.counts.matched_treated.toLocaleString('en')} pairs; max |SMD| after ${result.max_abs_smd_after.toFixed(3)}`);
    }
  });
  await line('heterogeneity by region (6 logits + Wald test)', async () => {
    const { fitHeterogeneity } = await import('../../lib/stats/heterogeneity');
    time('heterogeneity by region (6 logits + Wald test)', () => fitHeterogeneity(table, { spec: { family: 'binomial', outcome: 'integration', predictors, se: 'classical' }, key: 'services', groupBy: 'region' }), (result) => `Wald chi2(${result.interaction_test?.df}) = ${result.interaction_test?.statistic.toFixed(2)}, p = ${result.interaction_test?.p.toFixed(3)}`);
  });

  const memory = process.memoryUsage();
  console.log(`peak resident memory (maxRSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; heap now ${(memory.heapUsed / 1024 / 1024).toFixed(0)} MB, array buffers ${(memory.arrayBuffers / 1024 / 1024).toFixed(0)} MB`);
}

void main();
