// The indicators the dashboard shows: which respondent variable each summarises, how, and in which waves.
// Shared by the precompute script, the queries, the pages and the PDF briefings.

export type IndicatorKind = 'proportion' | 'mean';
export type IndicatorDomain = 'integration' | 'coverage' | 'health';

export interface IndicatorDefinition {
  key: string;
  /** Column of the respondents table (snake_case, as in db/schema.ts and the CSV export). */
  variable: string;
  kind: IndicatorKind;
  domain: IndicatorDomain;
  /** For proportions of a categorical variable: the value counted as "yes". Binary 0/1 variables omit it. */
  value?: string | number;
  waves: number[];
  labelZh: string;
  labelEn: string;
  unitZh: string;
  unitEn: string;
  /** Higher is better for the population (used for ranking direction and wording). */
  higherIsBetter: boolean;
  /** Smallest and largest possible value of a mean (a proportion is 0-1): what an attacker knows (lib/disclosure). */
  scale?: [number, number];
}

/** The range a cell's value can take: 0-1 for proportions, the scale of a mean. */
export function indicatorScale(definition: IndicatorDefinition): [number, number] {
  return definition.kind === 'proportion' ? [0, 1] : (definition.scale ?? [0, 100]);
}

export const INDICATORS: readonly IndicatorDefinition[] = [
  { key: 'integration_index', variable: 'integration_index', kind: 'mean', domain: 'integration', waves: [2017], labelZh: '社会融合指数', labelEn: 'Social integration index', unitZh: '分（0–100）', unitEn: 'points (0–100)', higherIsBetter: true, scale: [0, 100] },
  { key: 'local_identity', variable: 'local_identity', kind: 'proportion', domain: 'integration', waves: [2014, 2017], labelZh: '本地人身份认同', labelEn: 'Identifies as local', unitZh: '%', unitEn: '%', higherIsBetter: true },
  { key: 'long_term_residence', variable: 'long_term_residence', kind: 'proportion', domain: 'integration', waves: [2017], labelZh: '长期居留意愿', labelEn: 'Intends to stay long-term', unitZh: '%', unitEn: '%', higherIsBetter: true },
  { key: 'transfer_hukou', variable: 'transfer_hukou', kind: 'proportion', domain: 'integration', waves: [2017], labelZh: '户籍迁入意愿', labelEn: 'Willing to transfer hukou', unitZh: '%', unitEn: '%', higherIsBetter: true },
  { key: 'social_participation', variable: 'social_participation', kind: 'proportion', domain: 'integration', waves: [2017], labelZh: '参与社会组织', labelEn: 'Takes part in local organisations', unitZh: '%', unitEn: '%', higherIsBetter: true },
  { key: 'health_record', variable: 'health_record', kind: 'proportion', domain: 'coverage', waves: [2017], labelZh: '建立居民健康档案', labelEn: 'Health record established', unitZh: '%', unitEn: '%', higherIsBetter: true },
  { key: 'health_education_any', variable: 'health_education_any', kind: 'proportion', domain: 'coverage', waves: [2017], labelZh: '接受过健康教育', labelEn: 'Received health education', unitZh: '%', unitEn: '%', higherIsBetter: true },
  { key: 'health_education_topics', variable: 'health_education_topics', kind: 'mean', domain: 'coverage', waves: [2017], labelZh: '健康教育项目数', labelEn: 'Health education topics received', unitZh: '项（0–9）', unitEn: 'topics (0–9)', higherIsBetter: true, scale: [0, 9] },
  { key: 'insurance_any', variable: 'insurance_any', kind: 'proportion', domain: 'coverage', waves: [2017], labelZh: '参加医疗保险', labelEn: 'Has medical insurance', unitZh: '%', unitEn: '%', higherIsBetter: true },
  { key: 'insurance_local', variable: 'insurance_local', kind: 'proportion', domain: 'coverage', waves: [2017], labelZh: '在流入地参保', labelEn: 'Insured in city of residence', unitZh: '%', unitEn: '%', higherIsBetter: true },
  { key: 'self_rated_healthy', variable: 'self_rated_health', value: 1, kind: 'proportion', domain: 'health', waves: [2017], labelZh: '自评健康', labelEn: 'Self-rated healthy', unitZh: '%', unitEn: '%', higherIsBetter: true },
];

export const INDICATOR_KEYS = INDICATORS.map((i) => i.key);

export function findIndicator(key: string): IndicatorDefinition | undefined {
  return INDICATORS.find((i) => i.key === key);
}

export const HUKOU_FILTERS = ['all', 'rural', 'urban'] as const;
export const MIGRATION_RANGE_FILTERS = ['all', 'inter_province', 'inter_city', 'inter_county'] as const;
export const GEO_LEVELS = ['national', 'region', 'tier', 'province', 'city'] as const;
export const REGIONS = ['east', 'central', 'west', 'northeast'] as const;
export const CITY_TIERS = ['tier1', 'new_tier1', 'tier2', 'tier3', 'tier4plus'] as const;

export type HukouFilter = (typeof HUKOU_FILTERS)[number];
export type MigrationRangeFilter = (typeof MIGRATION_RANGE_FILTERS)[number];
export type GeoLevel = (typeof GEO_LEVELS)[number];
