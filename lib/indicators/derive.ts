// Derived respondent variables (integration index, health-education count, BPHS index, age), computed by the same
// code for the synthetic generator and for imported survey files, so both follow one definition.

export const INTEGRATION_ITEMS = [
  'integLikeCity',
  'integAttention',
  'integWilling',
  'integAccepted',
  'integLookedDownRev',
  'integHygieneRev',
] as const;

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

/** Mean of the six 1–4 integration items rescaled to 0–100; null unless all six are answered. */
export function integrationIndex(items: readonly Maybe[]): number | null {
  if (items.length !== 6 || items.some((v) => v === null || v === undefined || !Number.isFinite(v))) return null;
  const mean = (items as number[]).reduce((a, b) => a + b, 0) / 6;
  return ((mean - 1) / 3) * 100;
}

/** Number of the nine health-education topics received (0–9); null when any topic is unknown. */
export function healthEducationTopicCount(flags: readonly Maybe[]): number | null {
  if (flags.some((v) => v === null || v === undefined)) return null;
  return (flags as number[]).reduce((a, b) => a + (b ? 1 : 0), 0);
}

/**
 * Basic public health services received, 0–1: the mean of "health record established" and "any health education in
 * the past year", the two BPHS items seed 000 studies. Null when either is missing.
 */
export function bphsIndex(healthRecord: Maybe, healthEducationAny: Maybe): number | null {
  if (healthRecord === null || healthRecord === undefined || healthEducationAny === null || healthEducationAny === undefined) return null;
  return (healthRecord + healthEducationAny) / 2;
}

export function ageFromBirthYear(birthYear: Maybe, surveyYear: number, surveyMonth = 5, birthMonth?: Maybe): number | null {
  if (birthYear === null || birthYear === undefined) return null;
  const months = birthMonth ? (surveyYear - birthYear) * 12 + (surveyMonth - birthMonth) : (surveyYear - birthYear) * 12;
  return months / 12;
}

export interface DerivableRecord {
  age?: number | null;
  birthYear?: number | null;
  wave: number;
  healthRecord?: number | null;
  healthEducationAny?: number | null;
  healthEducationTopics?: number | null;
  bphsIndex?: number | null;
  integrationIndex?: number | null;
}

/** Fills the derived variables of a respondent record in place (leaves values already present alone). */
export function deriveRespondentVariables<T extends DerivableRecord>(record: T): T {
  if ((record.age === null || record.age === undefined) && record.birthYear) {
    record.age = ageFromBirthYear(record.birthYear, record.wave);
  }
  const fields = record as unknown as Record<string, Maybe>;
  const topics = HEALTH_EDUCATION_TOPICS.map((k) => fields[k]);
  if (record.healthEducationTopics === null || record.healthEducationTopics === undefined) {
    record.healthEducationTopics = topics.every((v) => v === null || v === undefined) ? null : healthEducationTopicCount(topics);
  }
  if (record.bphsIndex === null || record.bphsIndex === undefined) {
    record.bphsIndex = bphsIndex(record.healthRecord, record.healthEducationAny);
  }
  if (record.integrationIndex === null || record.integrationIndex === undefined) {
    record.integrationIndex = integrationIndex(INTEGRATION_ITEMS.map((k) => fields[k]));
  }
  return record;
}
