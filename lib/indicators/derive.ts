// Derived respondent variables (integration index, health-education count, BPHS index, age), computed by the same
// code for the synthetic generator and for imported survey files, so both follow one definition.

/** The six 1–4 integration items (Xing, Huang, Xue 2022), the two negative ones already reverse-coded. */
export const INTEGRATION_ITEMS = [
  'integLikeCity',
  'integAttention',
  'integWilling',
  'integAccepted',
  'integLookedDownRev',
  'integHygieneRev',
] as const;

/** The nine health-education topics of the 2017 CMDS question on health education received in the past year. */
export const HEALTH_EDUCATION_TOPICS = [
  'heSmokingControl',
  'heMaternalChild',
  'heReproductive',
  'heEmergency',
  'heStdAids',
  'heChronicDisease',
  'heMentalHealth',
  'heTuberculosis',
  'heOccupationalDisease',
] as const;

type Maybe = number | null | undefined;

const isKnown = (value: Maybe): value is number => value !== null && value !== undefined && Number.isFinite(value);

/**
 * Mean of the six 1–4 integration items rescaled to 0–100 ((mean − 1) / 3 × 100). Null unless all six are answered:
 * a partial mean would mix respondents who skipped the harder (reverse-coded) items with those who did not.
 */
export function integrationIndex(items: readonly Maybe[]): number | null {
  if (items.length !== INTEGRATION_ITEMS.length || !items.every(isKnown)) return null;
  const mean = (items as number[]).reduce((a, b) => a + b, 0) / items.length;
  return ((mean - 1) / 3) * 100;
}

/** Number of the nine health-education topics received (0–9); null when any topic is unknown. */
export function healthEducationTopicCount(flags: readonly Maybe[]): number | null {
  if (!flags.every(isKnown)) return null;
  return (flags as number[]).reduce((a, b) => a + (b ? 1 : 0), 0);
}

/**
 * Basic public health services received, 0–1: the mean of "health record established" and "any health education in
 * the past year", the two BPHS items seed 000 studies (so 0, 0.5 or 1). Null when either is missing.
 */
export function bphsIndex(healthRecord: Maybe, healthEducationAny: Maybe): number | null {
  if (!isKnown(healthRecord) || !isKnown(healthEducationAny)) return null;
  return (healthRecord + healthEducationAny) / 2;
}

/**
 * Age in completed years at the survey (CMDS fieldwork is in May). Without a birth month, the survey year minus the
 * birth year, which is how the CMDS files give age.
 */
export function ageFromBirthYear(birthYear: Maybe, surveyYear: number, birthMonth?: Maybe, surveyMonth = 5): number | null {
  if (!isKnown(birthYear)) return null;
  const hadBirthday = !isKnown(birthMonth) || birthMonth <= surveyMonth;
  return surveyYear - birthYear - (hadBirthday ? 0 : 1);
}

export interface DerivableRecord {
  wave: number;
  age?: number | null;
  birthYear?: number | null;
  healthRecord?: number | null;
  healthEducationAny?: number | null;
  healthEducationTopics?: number | null;
  bphsIndex?: number | null;
  integrationIndex?: number | null;
}

/**
 * Fills the derived variables of a respondent record in place, leaving values already present alone: age from the
 * birth year; "any health education" from the topics when only they are known; the topic count (0 when no education
 * was received, whether or not the topics were asked); the BPHS index; the integration index.
 */
export function deriveRespondentVariables<T extends DerivableRecord>(record: T): T {
  const fields = record as unknown as Record<string, Maybe>;
  if (!isKnown(record.age) && isKnown(record.birthYear)) record.age = ageFromBirthYear(record.birthYear, record.wave);
  const topics = HEALTH_EDUCATION_TOPICS.map((key) => fields[key]);
  const topicCount = healthEducationTopicCount(topics);
  if (!isKnown(record.healthEducationAny) && topicCount !== null) record.healthEducationAny = topicCount > 0 ? 1 : 0;
  if (!isKnown(record.healthEducationTopics)) {
    record.healthEducationTopics = record.healthEducationAny === 0 ? 0 : topicCount;
  }
  if (!isKnown(record.bphsIndex)) record.bphsIndex = bphsIndex(record.healthRecord, record.healthEducationAny);
  if (!isKnown(record.integrationIndex)) record.integrationIndex = integrationIndex(INTEGRATION_ITEMS.map((key) => fields[key]));
  return record;
}
