import { generateSyntheticWave } from './bench/synthetic-wave';
import { buildModelFrame } from '../lib/stats/model-frame';
import { fitGlmCore, glmCovariances, fitGlm } from '../lib/stats/glm';
const table = generateSyntheticWave({ rows: 170000, covariates: 30, cities: 300 });
const predictors = ['services', ...Array.from({ length: 30 }, (_, k) => `x${k + 1}`)];
const frame = buildModelFrame(table, { family: 'binomial', outcome: 'integration', predictors, cluster: 'city', se: 'cluster' });
for (let r = 0; r < 3; r++) {
let t = performance.now(); const core = fitGlmCore(frame, 'binomial'); const a = performance.now() - t;
t = performance.now(); glmCovariances(frame, 'binomial', core); const b = performance.now() - t;
t = performance.now(); fitGlm(frame, { family: 'binomial', se: 'cluster' }); const c = performance.now() - t;
console.log('core', a.toFixed(0), 'iter', core.iterations, 'cov', b.toFixed(0), 'fitGlm', c.toFixed(0));
}
