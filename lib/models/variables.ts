// The variables a model may use, as the model page offers them: each maps to a respondents column or to a simple
// derivation of columns, written once here as SQL (to load the data), R and Stata (to reproduce the fit from an
// exported CSV). Pure data: no framework or database imports.

export type VariableKind = 'binary' | 'continuous' | 'factor';
/** A survey wave (year). The demo has the 2014 eight-city module and the national waves 2015-2018; imports add any. */
export type Wave = number;
/** Which design a variable belongs to: the 2014 module's questionnaire, the national survey's, or both. */
export type VariableScope = 'module' | 'national' | 'both';
/** The wave of the eight-city social-participation module (its own questionnaire and presets). */
export const MODULE_WAVE = 2014;

export interface ModelVariable {
  id: string;
  kind: VariableKind;
  zh: string;
  en: string;
  /** The design that asks it; whether a given wave's data hold it is decided by the data (lib/queries/model-variables). */
  scope: VariableScope;
  /** SQL expression over the respondents table (alias r); defaults to the column of the same name. */
  sql?: string;
  /** R and Stata lines that create the variable from the exported CSV (data frame d), when it is derived. */
  r?: string;
  stata?: string;
  /** Factors: levels in the data and the reference level. */
  levels?: readonly string[];
  reference?: string;
}

const BOTH: VariableScope = 'both';
const M2014: VariableScope = 'module';
const NATIONAL: VariableScope = 'national';

export const MODEL_VARIABLES: readonly ModelVariable[] = [
  // outcomes
  { id: 'local_identity', kind: 'binary', zh: '本地身份认同', en: 'Local identity', scope: M2014 },
  { id: 'willingness_to_integrate', kind: 'continuous', zh: '融入意愿', en: 'Willingness to integrate', scope: M2014 },
  { id: 'integration_index', kind: 'continuous', zh: '社会融合指数 (0–100)', en: 'Social integration index (0–100)', scope: NATIONAL },
  { id: 'long_term_residence', kind: 'binary', zh: '长期居留意愿', en: 'Intends to stay long term', scope: NATIONAL },
  { id: 'transfer_hukou', kind: 'binary', zh: '户口迁入意愿', en: 'Willing to transfer hukou', scope: NATIONAL },
  // basic public health services (2017)
  { id: 'health_record', kind: 'binary', zh: '建立居民健康档案', en: 'Health record', scope: NATIONAL },
  { id: 'health_education_any', kind: 'binary', zh: '接受过健康教育', en: 'Any health education', scope: NATIONAL },
  { id: 'health_education_topics', kind: 'continuous', zh: '健康教育类别数 (0–9)', en: 'Health education topics (0–9)', scope: NATIONAL },
  { id: 'bphs_index', kind: 'continuous', zh: '基本公共卫生服务指数', en: 'BPHS index', scope: NATIONAL },
  { id: 'insurance_any', kind: 'binary', zh: '参加医疗保险', en: 'Medical insurance', scope: NATIONAL },
  { id: 'insurance_local', kind: 'binary', zh: '在流入地参保', en: 'Insured in the city of residence', scope: NATIONAL },
  { id: 'social_participation', kind: 'binary', zh: '社会参与', en: 'Social participation', scope: NATIONAL },
  {
    id: 'self_rated_healthy', kind: 'binary', zh: '自评健康', en: 'Self-rated healthy', scope: NATIONAL,
    sql: 'CASE WHEN r.self_rated_health IS NULL THEN NULL WHEN r.self_rated_health = 1 THEN 1 ELSE 0 END',
    r: 'd$self_rated_healthy <- as.integer(d$self_rated_health == 1)',
    stata: 'generate self_rated_healthy = self_rated_health == 1 if !missing(self_rated_health)',
  },
  // 2014 module: social participation and its context (seed 001)
  { id: 'informal_participation', kind: 'continuous', zh: '非正式社会参与 (ISP)', en: 'Informal social participation (ISP)', scope: M2014 },
  { id: 'formal_participation', kind: 'continuous', zh: '正式社会参与 (FSP)', en: 'Formal social participation (FSP)', scope: M2014 },
  { id: 'perceived_social_status', kind: 'continuous', zh: '主观社会地位', en: 'Perceived social status', scope: M2014 },
  { id: 'constraints_of_hukou', kind: 'continuous', zh: '户籍限制', en: 'Constraints of hukou', scope: M2014 },
  { id: 'perceived_social_exclusion', kind: 'continuous', zh: '感知社会排斥', en: 'Perceived social exclusion', scope: M2014 },
  { id: 'good_community', kind: 'binary', zh: '社区类型 (较好)', en: 'Community type (good)', scope: M2014 },
  { id: 'neighbor_composition', kind: 'continuous', zh: '邻里构成', en: 'Neighbour composition', scope: M2014 },
  { id: 'community_activities', kind: 'continuous', zh: '社区活动', en: 'Community activities', scope: M2014 },
  { id: 'hometown_pressure', kind: 'continuous', zh: '家乡压力', en: 'Hometown pressure', scope: M2014 },
  { id: 'withdrawal_guarantee', kind: 'continuous', zh: '退出保障', en: 'Withdrawal guarantee', scope: M2014 },
  { id: 'government_training', kind: 'binary', zh: '政府免费培训', en: 'Government-provided training', scope: M2014 },
  { id: 'business_reason', kind: 'binary', zh: '务工经商流动', en: 'Moved for work or business', scope: M2014 },
  { id: 'working_hours', kind: 'continuous', zh: '工作压力 (日工作小时)', en: 'Working pressure (hours a day)', scope: M2014 },
  { id: 'log_household_income', kind: 'continuous', zh: '家庭收入 (对数)', en: 'Household income (log)', scope: BOTH },
  { id: 'log_household_expenditure', kind: 'continuous', zh: '家庭支出 (对数)', en: 'Household expenditure (log)', scope: BOTH },
  { id: 'city_log_gdp', kind: 'continuous', zh: '城市 GDP (对数)', en: 'City GDP (log)', scope: M2014 },
  { id: 'province_floating_share', kind: 'continuous', zh: '流动人口比例', en: 'Proportion of floating population', scope: M2014 },
  {
    id: 'long_term_contract', kind: 'binary', zh: '长期劳动合同', en: 'Long-term labour contract', scope: BOTH,
    sql: "CASE WHEN r.labor_contract IS NULL THEN NULL WHEN r.labor_contract = 'long_term' THEN 1 ELSE 0 END",
    r: "d$long_term_contract <- as.integer(d$labor_contract == 'long_term')",
    stata: 'generate long_term_contract = labor_contract == "long_term" if labor_contract != ""',
  },
  // demographics and migration (both waves)
  { id: 'male', kind: 'binary', zh: '男性', en: 'Male', scope: BOTH },
  { id: 'age', kind: 'continuous', zh: '年龄', en: 'Age', scope: BOTH },
  {
    id: 'ethnic_minority', kind: 'binary', zh: '少数民族', en: 'Ethnic minority', scope: BOTH,
    sql: 'CASE WHEN r.han IS NULL THEN NULL ELSE 1 - r.han END',
    r: 'd$ethnic_minority <- 1 - d$han',
    stata: 'generate ethnic_minority = 1 - han',
  },
  { id: 'education_level', kind: 'continuous', zh: '受教育程度', en: 'Educational attainment', scope: BOTH },
  {
    id: 'marital_status', kind: 'factor', zh: '婚姻状况', en: 'Marital status', scope: BOTH,
    levels: ['divorced_widowed', 'first_married', 'remarried', 'unmarried'], reference: 'divorced_widowed',
  },
  { id: 'rural_hukou', kind: 'binary', zh: '农业户口', en: 'Rural (agricultural) hukou', scope: BOTH },
  {
    id: 'migration_range', kind: 'factor', zh: '流动范围', en: 'Migration range', scope: BOTH,
    levels: ['inter_city', 'inter_county', 'inter_province'], reference: 'inter_county',
  },
  { id: 'duration_years', kind: 'continuous', zh: '本次流动时长 (年)', en: 'Years since this move', scope: BOTH },
];

export const VARIABLES_BY_ID: ReadonlyMap<string, ModelVariable> = new Map(MODEL_VARIABLES.map((v) => [v.id, v]));

export function variableLabel(id: string, locale: 'zh' | 'en'): string {
  const variable = VARIABLES_BY_ID.get(id);
  return variable ? variable[locale] : id;
}

/** Whether a wave's design asks a variable (the module wave asks the module's questionnaire, every other wave the
 * national one). The data still decide: a variable with no value in the wave is not offered. */
export function askedInWave(variable: ModelVariable, wave: Wave): boolean {
  return variable.scope === 'both' || (variable.scope === 'module') === (wave === MODULE_WAVE);
}

/** The lists below are kept per design: the module's, and the national survey's (every national wave). */
export function designOf(wave: Wave): 'module' | 'national' {
  return wave === MODULE_WAVE ? 'module' : 'national';
}

/** Outcomes the model page offers, per design. */
export const OUTCOMES: Readonly<Record<'module' | 'national', readonly string[]>> = {
  module: ['local_identity', 'willingness_to_integrate'],
  national: ['integration_index', 'long_term_residence', 'transfer_hukou', 'self_rated_healthy'],
};

/** Key explanatory variables, per design. */
export const KEY_VARIABLES: Readonly<Record<'module' | 'national', readonly string[]>> = {
  module: ['informal_participation', 'formal_participation', 'perceived_social_status', 'good_community', 'neighbor_composition'],
  national: ['health_record', 'health_education_any', 'health_education_topics', 'bphs_index', 'insurance_any', 'insurance_local', 'social_participation'],
};

/** The seeds' control sets (editable on the page). */
export const DEFAULT_CONTROLS: Readonly<Record<'module' | 'national', readonly string[]>> = {
  module: [
    'male', 'age', 'ethnic_minority', 'education_level', 'marital_status', 'rural_hukou', 'constraints_of_hukou',
    'long_term_contract', 'working_hours', 'perceived_social_exclusion', 'log_household_expenditure', 'log_household_income',
    'good_community', 'neighbor_composition', 'community_activities', 'duration_years', 'migration_range', 'business_reason',
    'hometown_pressure', 'withdrawal_guarantee', 'government_training', 'city_log_gdp', 'province_floating_share',
  ],
  national: ['male', 'age', 'ethnic_minority', 'education_level', 'marital_status', 'rural_hukou', 'migration_range', 'duration_years', 'log_household_income', 'insurance_any'],
};

/** Grouping variables for heterogeneity: respondent or city attributes. */
export const GROUPINGS = ['region', 'tier', 'rural_hukou', 'migration_range', 'male', 'born_1980_plus'] as const;
export type Grouping = (typeof GROUPINGS)[number];

export const GROUPING_SQL: Readonly<Record<Grouping, string>> = {
  region: 'p.region',
  tier: 'c.tier',
  rural_hukou: "CASE r.rural_hukou WHEN 1 THEN 'rural' WHEN 0 THEN 'urban' END",
  migration_range: 'r.migration_range',
  male: "CASE r.male WHEN 1 THEN 'male' WHEN 0 THEN 'female' END",
  born_1980_plus: "CASE WHEN r.birth_year IS NULL THEN NULL WHEN r.birth_year >= 1980 THEN 'born_1980_plus' ELSE 'born_before_1980' END",
};
