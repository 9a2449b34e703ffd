// Mediation by the product of coefficients (Baron & Kenny paths a, b, c, c'), the Sobel/Aroian/Goodman tests, a
// seeded percentile bootstrap of a·b, g-formula plug-in effects (ACME/ADE) and, for a binary outcome, the KHB
// decomposition. Seed 000's question: do basic public health services raise integration through self-rated health?
// The parts: mediation-paths.ts (the path models), mediation-effects.ts (plug-in effects), mediation-bootstrap.ts
// (replicates and intervals), mediation-types.ts (the shapes).
import { normalQuantile, normalTwoSidedP } from './distributions';
import { bootstrapIndirect, sequentialReplicates } from './mediation-bootstrap';
import { economicalRule, effectsFromMeans, fullSampleMeans } from './mediation-effects';
import { fitPath, linearMediatorPath, linearPredictor, pathRowOf, withoutColumn } from './mediation-paths';
import type { IndirectTest, KhbDecomposition, MediationOptions, MediationResult, PathFit, PluginEffects, PluginModel } from './mediation-types';
import { buildModelFrame, subsetRows } from './model-frame';
import { gaussHermite } from './quadrature';
import { type DataTable, type Family, type MediationSpec, ModelError, type ModelFrame, type ModelSpec, type SeType } from './types';

export { quantileType7, REPLICATE_STRIDE, runBootstrapReplicates } from './mediation-bootstrap';
export { EFFECT_KEYS } from './mediation-types';
export type { BootstrapPlan, MediationResult, ReplicateRunner } from './mediation-types';

/**
 * KHB: the outcome logit with the mediator replaced by its OLS residual on the treatment and covariates. That model is
 * a reparametrisation of the full one (the residual is M minus a combination of the other columns), so its treatment
 * coefficient is exactly c' + gamma_T b, gamma_T being the treatment's OLS coefficient for the mediator, and its SE
 * comes from the full model's covariance: Var(c') + gamma_T^2 Var(b) + 2 gamma_T Cov(c', b). No refit is needed.
 */
function khbDecomposition(spec: MediationSpec, outcomeFit: PathFit, linearA: { estimate: number; se: number }, naiveTotal: number): KhbDecomposition {
  const t = outcomeFit.frame.terms.indexOf(spec.treatment);
  const m = outcomeFit.frame.terms.indexOf(spec.mediator);
  const p = outcomeFit.frame.p;
  const V = outcomeFit.vcov;
  const gamma = linearA.estimate;
  const direct = outcomeFit.core.beta[t] as number;
  const b = outcomeFit.core.beta[m] as number;
  const total = direct + gamma * b;
  const totalSe = Math.sqrt((V[t * p + t] as number) + gamma ** 2 * (V[m * p + m] as number) + 2 * gamma * (V[t * p + m] as number));
  const indirect = total - direct;
  const indirectSe = Math.sqrt(gamma ** 2 * (V[m * p + m] as number) + b ** 2 * linearA.se ** 2);
  return {
    total: { estimate: total, se: totalSe },
    direct: { estimate: direct, se: Math.sqrt(V[t * p + t] as number) },
    indirect: { estimate: indirect, se: indirectSe, z: indirect / indirectSe, p: normalTwoSidedP(indirect / indirectSe) },
    naive_total: naiveTotal,
    confounding_ratio: total / direct,
    confounding_percentage: (100 * indirect) / total,
    rescale_factor: total / naiveTotal,
  };
}

export function fitMediation(table: DataTable, spec: MediationSpec, options: MediationOptions = {}): MediationResult {
  const { treatment, mediator, outcome, covariates } = spec;
  // Cluster-robust path SEs (and a cluster bootstrap) when the spec names a cluster; robust ones for weights, which
  // are sampling weights here; otherwise classical, as R's summary(glm) that the oracle reports.
  const seType: SeType = spec.cluster ? 'cluster' : spec.weights ? 'stata_robust' : 'classical';
  const base = (outcomeName: string, family: Family, predictors: string[]): ModelSpec => ({
    family,
    outcome: outcomeName,
    predictors,
    se: seType,
    cluster: spec.cluster ?? null,
    weights: spec.weights ?? null,
  });
  // One set of complete cases for all three models, so the paths are comparable: the outcome model's. The other two
  // frames are its columns without the mediator (unless aliasing makes rebuilding them the safe way).
  const frameB = buildModelFrame(table, base(outcome, spec.outcome_family, [treatment, mediator, ...covariates]));
  const n = frameB.n;
  if (n < 30) throw new ModelError('too_few_cases', `Mediation needs at least 30 complete cases; there are ${n}.`);
  if (!frameB.terms.includes(mediator)) throw new ModelError('invalid_spec', `The mediator ${mediator} was dropped from the outcome model (constant, collinear or not numeric).`);
  let frameA: ModelFrame;
  let frameTotal: ModelFrame;
  if (frameB.aliased.length === 0) {
    const mediatorColumn = frameB.terms.indexOf(mediator);
    const mediatorValues = Float64Array.from({ length: n }, (_, i) => frameB.X[i * frameB.p + mediatorColumn] as number);
    frameA = withoutColumn(frameB, mediator, mediatorValues);
    frameTotal = withoutColumn(frameB, mediator);
  } else {
    const data = subsetRows(table, frameB.rowsUsed);
    frameA = buildModelFrame(data, base(mediator, spec.mediator_family, [treatment, ...covariates]));
    frameTotal = buildModelFrame(data, base(outcome, spec.outcome_family, [treatment, ...covariates]));
  }
  const fitTotal = fitPath(frameTotal, spec.outcome_family, seType);
  const fitA = fitPath(frameA, spec.mediator_family, seType);
  const fitB = fitPath(frameB, spec.outcome_family, seType);
  const a = pathRowOf(fitA, treatment, seType);
  const b = pathRowOf(fitB, mediator, seType);
  const cTotal = pathRowOf(fitTotal, treatment, seType);
  const cPrime = pathRowOf(fitB, treatment, seType);
  const ab = a.estimate * b.estimate;

  const z975 = normalQuantile(0.975);
  const test = (variance: number): IndirectTest => {
    const se = Math.sqrt(variance);
    const z = ab / se;
    return { se, z, p: normalTwoSidedP(z), ci_lower: ab - z975 * se, ci_upper: ab + z975 * se };
  };
  const sobelVariance = b.estimate ** 2 * a.se ** 2 + a.estimate ** 2 * b.se ** 2;

  const mediatorSigma = spec.mediator_family === 'gaussian' ? Math.sqrt(fitA.core.dispersion) : null;
  const order = options.ghNodes ?? 64;
  const rule = gaussHermite(order);
  const pluginModel: PluginModel = { mediatorFamily: spec.mediator_family, outcomeFamily: spec.outcome_family, a: a.estimate, b: b.estimate, cPrime: cPrime.estimate, sigma: mediatorSigma, nodes: rule.nodes, weights: rule.weights };
  const pathFrames = { mediator: frameA, outcome: frameB };
  const pathEtas = { mediator: linearPredictor(frameA, fitA.core.beta), outcome: linearPredictor(frameB, fitB.core.beta) };
  const means = fullSampleMeans(pluginModel, pathFrames, pathEtas, treatment, mediator);
  const plugin: PluginEffects = {
    ...effectsFromMeans(means),
    mediator_sigma: mediatorSigma,
    gh_nodes: spec.mediator_family === 'gaussian' ? order : 0,
    control_value: 0,
    treat_value: 1,
  };
  const replicateRule = economicalRule(pluginModel, means, (candidate) => fullSampleMeans(candidate, pathFrames, pathEtas, treatment, mediator), order);
  const bootstrap = bootstrapIndirect(spec, fitA, fitB, options.replicates ?? spec.boot_B, ab, plugin, replicateRule, options.replicateRunner ?? sequentialReplicates);

  const warnings: string[] = [];
  if (frameB.nDroppedMissing > 0) warnings.push(`${frameB.nDroppedMissing} rows with missing values were left out (listwise deletion).`);
  if (frameB.aliased.length > 0) warnings.push(`Dropped as constant or collinear (R reports NA): ${frameB.aliased.join(', ')}.`);
  if (bootstrap.failed > 0) warnings.push(`${bootstrap.failed} of ${bootstrap.B} bootstrap resamples could not be fitted and were left out.`);
  if (spec.rng && spec.rng !== 'mulberry32') warnings.push(`Resamples are drawn with mulberry32, not ${spec.rng}'s generator: the bootstrap CI agrees with R's only within Monte Carlo error.`);
  const treatmentValues = new Set(Array.from({ length: frameA.n }, (_, i) => frameA.X[i * frameA.p + frameA.terms.indexOf(treatment)]));
  if (treatmentValues.size !== 2 || !treatmentValues.has(0) || !treatmentValues.has(1)) warnings.push('The treatment is not coded 0/1: the plug-in effects compare treatment = 1 with treatment = 0.');

  return {
    baron_kenny: { c_total: cTotal, a, b, c_prime: cPrime, indirect_ab: ab, diff_c_minus_cprime: cTotal.estimate - cPrime.estimate, se_type: seType },
    indirect_tests: {
      sobel: test(sobelVariance),
      aroian: test(sobelVariance + a.se ** 2 * b.se ** 2),
      goodman: test(sobelVariance - a.se ** 2 * b.se ** 2),
    },
    bootstrap,
    plugin_effects: plugin,
    ...(spec.outcome_family === 'binomial' ? { khb: khbDecomposition(spec, fitB, linearMediatorPath(spec, fitA, seType), cTotal.estimate) } : {}),
    n,
    warnings,
  };
}
