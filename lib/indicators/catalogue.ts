// The indicators the dashboard shows: which respondent variable each summarises and how. Wave-agnostic: an indicator
// exists in every wave whose data have its variable (lib/indicators/availability.ts); a changed question is declared.

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
  /**
   * The survey question behind the variable, by the first wave that asked it this way. Where the question changed
   * between waves, a trend line breaks instead of joining two different questions. Absent: one question throughout.
   */
  questions?: QuestionVersion[];
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

export interface QuestionVersion {
  /** First wave asked this way (the version holds until the next one). */
  fromWave: number;
  id: string;
  zh: string;
  en: string;
}

export const INDICATORS: readonly IndicatorDefinition[] = [
  { key: 'integration_index', variable: 'integration_index', kind: 'mean', domain: 'integration', labelZh: '社会融合指数', labelEn: 'Social integration index', unitZh: '分（0–100）', unitEn: 'points (0–100)', higherIsBetter: true, scale: [0, 100] },
  { key: 'local_identity', variable: 'local_identity', kind: 'proportion', domain: 'integration', labelZh: '本地人身份认同', labelEn: 'Identifies as local', unitZh: '%', unitEn: '%', higherIsBetter: true },
  { key: 'long_term_residence', variable: 'long_term_residence', kind: 'proportion', domain: 'integration', labelZh: '长期居留意愿', labelEn: 'Intends to stay long-term', questions: [
    { fromWave: 2009, id: 'stay_long_term', zh: '今后是否打算在本地长期居留（5 年以上）', en: 'Do you intend to stay here long-term (5 years or more)?' },
    { fromWave: 2018, id: 'settle', zh: '今后是否打算在本地定居（2018 年问卷改问定居意愿）', en: 'Do you intend to settle here? (the 2018 questionnaire asks settlement intention instead)' },
  ], unitZh: '%', unitEn: '%', higherIsBetter: true },
  { key: 'transfer_hukou', variable: 'transfer_hukou', kind: 'proportion', domain: 'integration', labelZh: '户籍迁入意愿', labelEn: 'Willing to transfer hukou', unitZh: '%', unitEn: '%', higherIsBetter: true },
  { key: 'social_participation', variable: 'social_participation', kind: 'proportion', domain: 'integration', labelZh: '参与社会组织', labelEn: 'Takes part in local organisations', unitZh: '%', unitEn: '%', higherIsBetter: true },
  { key: 'health_record', variable: 'health_record', kind: 'proportion', domain: 'coverage', labelZh: '建立居民健康档案', labelEn: 'Health record established', unitZh: '%', unitEn: '%', higherIsBetter: true },
  { key: 'health_education_any', variable: 'health_education_any', kind: 'proportion', domain: 'coverage', labelZh: '接受过健康教育', labelEn: 'Received health education', unitZh: '%', unitEn: '%', higherIsBetter: true },
  { key: 'health_education_topics', variable: 'health_education_topics', kind: 'mean', domain: 'coverage', labelZh: '健康教育项目数', labelEn: 'Health education topics received', unitZh: '项（0–9）', unitEn: 'topics (0–9)', higherIsBetter: true, scale: [0, 9] },
  { key: 'insurance_any', variable: 'insurance_any', kind: 'proportion', domain: 'coverage', labelZh: '参加医疗保险', labelEn: 'Has medical insurance', unitZh: '%', unitEn: '%', higherIsBetter: true },
  { key: 'insurance_local', variable: 'insurance_local', kind: 'proportion', domain: 'coverage', labelZh: '在流入地参保', labelEn: 'Insured in city of residence', unitZh: '%', unitEn: '%', higherIsBetter: true },
  { key: 'self_rated_healthy', variable: 'self_rated_health', value: 1, kind: 'proportion', domain: 'health', labelZh: '自评健康', labelEn: 'Self-rated healthy', unitZh: '%', unitEn: '%', higherIsBetter: true },
];

export const INDICATOR_KEYS = INDICATORS.map((i) => i.key);

/** The question version an indicator had in a wave (null when the catalogue declares no change). */
export function questionVersion(definition: IndicatorDefinition, wave: number): QuestionVersion | null {
  const versions = (definition.questions ?? []).filter((q) => q.fromWave <= wave);
  return versions[versions.length - 1] ?? null;
}

/** True when the two waves asked the same question, so their estimates may be joined and differenced. */
export function sameQuestion(definition: IndicatorDefinition, waveA: number, waveB: number): boolean {
  return questionVersion(definition, waveA)?.id === questionVersion(definition, waveB)?.id;
}

export function findIndicator(key: string): IndicatorDefinition | undefined {
  return INDICATORS.find((i) => i.key === key);
}

// The domain lists live in lib/domain.ts; re-exported here for the indicator code that reads them with the catalogue.
export { CITY_TIERS, HUKOU_FILTERS, MIGRATION_RANGE_FILTERS, REGIONS, type HukouFilter, type MigrationRangeFilter } from '@/lib/domain';
export const GEO_LEVELS = ['national', 'region', 'tier', 'province', 'city'] as const;
export type GeoLevel = (typeof GEO_LEVELS)[number];
