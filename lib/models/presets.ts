// Presets that replicate the seeds: Table 2 Models 1–6 of the local-identity study (seed 001) on the 2014 eight-city
// module, and the BPHS -> integration design of seed 000 on the national wave (OLS, self-rated health as mediator,
// heterogeneity across city tiers, matching as the robustness check).
import { modelRequestSchema, type ModelRequest } from './request';
import { DEFAULT_CONTROLS } from './variables';

export interface ModelPreset {
  id: string;
  zh: string;
  en: string;
  source: string;
  request: ModelRequest;
}

const PARTICIPATION = ['informal_participation', 'formal_participation'];
const MODERATORS = ['good_community', 'neighbor_composition', 'hometown_pressure', 'perceived_social_status', 'withdrawal_guarantee'];
// Table 2's multilevel columns (4–6) leave the two city-level covariates to the random intercept.
const CITY_LEVEL = new Set(['city_log_gdp', 'province_floating_share']);
const controls2014 = [...DEFAULT_CONTROLS.module];
const controls2014Multilevel = controls2014.filter((id) => !CITY_LEVEL.has(id));
const interactions = PARTICIPATION.flatMap((p) => MODERATORS.map((m) => [p, m] as [string, string]));

function table2(model: number): ModelRequest {
  const multilevel = model >= 4;
  const withStatus = model % 3 !== 1;
  const withInteractions = model % 3 === 0;
  const controls = [...(multilevel ? controls2014Multilevel : controls2014), ...(withStatus ? ['perceived_social_status'] : [])];
  return modelRequestSchema.parse({
    wave: 2014,
    type: multilevel ? 'ri_logit' : 'logit',
    outcome: 'local_identity',
    keys: PARTICIPATION,
    controls,
    interactions: withInteractions ? interactions : [],
    se: 'classical',
    nAGQ: 1,
  });
}

const SEED000_CONTROLS = [...DEFAULT_CONTROLS.national];

export const MODEL_PRESETS: readonly ModelPreset[] = [
  ...[1, 2, 3, 4, 5, 6].map((model) => ({
    id: `t2m${model}`,
    zh: `表2 模型${model}：${model >= 4 ? '多层 logit' : 'logit'}${model % 3 !== 1 ? ' + 主观社会地位' : ''}${model % 3 === 0 ? ' + 交互项' : ''}`,
    en: `Table 2 Model ${model}: ${model >= 4 ? 'multilevel logit' : 'logit'}${model % 3 !== 1 ? ' + perceived status' : ''}${model % 3 === 0 ? ' + interactions' : ''}`,
    source: 'seed 001 (local identity, 2014 eight-city module)',
    request: table2(model),
  })),
  {
    id: 'bphs_ols',
    zh: '基本公共卫生服务 → 社会融合 (OLS)',
    en: 'BPHS → social integration (OLS)',
    source: 'seed 000 (BPHS and social integration, 2017 national wave)',
    request: modelRequestSchema.parse({ wave: 2017, type: 'ols', outcome: 'integration_index', keys: ['health_record', 'health_education_any'], controls: SEED000_CONTROLS, se: 'cluster' }),
  },
  {
    id: 'bphs_mediation',
    zh: '自评健康的中介作用',
    en: 'Self-rated health as mediator',
    source: 'seed 000',
    request: modelRequestSchema.parse({
      wave: 2017, type: 'mediation', outcome: 'integration_index', keys: ['health_record'], mediator: 'self_rated_healthy',
      controls: ['health_education_any', ...SEED000_CONTROLS], se: 'cluster', bootstrap: 500,
    }),
  },
  {
    id: 'bphs_heterogeneity',
    zh: '不同城市等级的异质性',
    en: 'Heterogeneity across city tiers',
    source: 'seed 000',
    request: modelRequestSchema.parse({
      wave: 2017, type: 'heterogeneity', outcome: 'integration_index', keys: ['health_record'], controls: ['health_education_any', ...SEED000_CONTROLS], se: 'cluster', groupBy: 'tier',
    }),
  },
  {
    id: 'bphs_psm',
    zh: '稳健性检验：倾向得分匹配',
    en: 'Robustness: propensity-score matching',
    source: 'seed 000',
    request: modelRequestSchema.parse({ wave: 2017, type: 'psm', outcome: 'integration_index', keys: ['health_record'], controls: SEED000_CONTROLS }),
  },
];

export const PRESETS_BY_ID: ReadonlyMap<string, ModelPreset> = new Map(MODEL_PRESETS.map((p) => [p.id, p]));
