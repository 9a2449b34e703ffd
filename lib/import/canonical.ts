// The canonical respondent variables an import can fill (the respondents table of db/schema.ts, by its TypeScript
// key), with the type and the valid values of each: the mapping converts a file's variables into these, and the dry
// run checks every value against them before anything is written.
import { MIGRATION_RANGES } from '@/lib/domain';

export type CanonicalKind = 'binary' | 'integer' | 'real' | 'text' | 'enum';

export interface CanonicalVariable {
  kind: CanonicalKind;
  /** Inclusive bounds for numbers. */
  min?: number;
  max?: number;
  /** Allowed values of an enum. */
  values?: readonly string[];
  /** A row without a valid value cannot be loaded (design variables and the city). */
  required?: boolean;
  /** Computed from other variables by lib/indicators/derive.ts when the file does not give it. */
  derived?: boolean;
}

const binary: CanonicalVariable = { kind: 'binary', min: 0, max: 1 };
const item14: CanonicalVariable = { kind: 'integer', min: 1, max: 4 };

export const CANONICAL_VARIABLES = {
  wave: { kind: 'integer', min: 1990, max: 2100, required: true }, // the survey year
  sourceId: { kind: 'text' },
  cityCode: { kind: 'text', required: true },
  stratum: { kind: 'text', required: true },
  psu: { kind: 'text', required: true },
  weight: { kind: 'real', min: Number.MIN_VALUE, max: 1e7, required: true },
  male: binary,
  age: { kind: 'real', min: 0, max: 120, derived: true },
  birthYear: { kind: 'integer', min: 1900, max: 2025 },
  educationLevel: { kind: 'integer', min: 1, max: 7 },
  han: binary,
  maritalStatus: { kind: 'enum', values: ['unmarried', 'first_married', 'remarried', 'divorced_widowed'] },
  ruralHukou: binary,
  migrationRange: { kind: 'enum', values: MIGRATION_RANGES },
  durationYears: { kind: 'real', min: 0, max: 100 },
  employmentStatus: { kind: 'enum', values: ['employee', 'employer', 'self_employed', 'other'] },
  laborContract: { kind: 'enum', values: ['long_term', 'fixed_term', 'none', 'not_applicable'] },
  workingHours: { kind: 'real', min: 0, max: 24 },
  logHouseholdIncome: { kind: 'real', min: 0, max: 20 },
  logHouseholdExpenditure: { kind: 'real', min: 0, max: 20 },
  businessReason: binary,
  localIdentity: binary,
  willingnessToIntegrate: { kind: 'real' },
  informalParticipation: binary,
  formalParticipation: binary,
  constraintsOfHukou: { kind: 'real' },
  perceivedSocialExclusion: { kind: 'real' },
  perceivedSocialStatus: { kind: 'real' },
  goodCommunity: binary,
  neighborComposition: { kind: 'real' },
  communityActivities: { kind: 'real' },
  governmentTraining: binary,
  hometownPressure: { kind: 'real' },
  withdrawalGuarantee: { kind: 'real' },
  cityLogGdp: { kind: 'real' },
  provinceFloatingShare: { kind: 'real', min: 0, max: 1 },
  healthRecord: binary,
  healthEducationAny: { ...binary, derived: true },
  healthEducationTopics: { kind: 'integer', min: 0, max: 9, derived: true },
  heSmokingControl: binary,
  heMaternalChild: binary,
  heReproductive: binary,
  heEmergency: binary,
  heStdAids: binary,
  heChronicDisease: binary,
  heMentalHealth: binary,
  heTuberculosis: binary,
  heOccupationalDisease: binary,
  insuranceAny: binary,
  insuranceType: { kind: 'enum', values: ['ncms', 'urbmi', 'uebmi', 'urban_rural_resident', 'other', 'none'] },
  insuranceLocal: binary,
  bphsIndex: { kind: 'real', min: 0, max: 1, derived: true },
  selfRatedHealth: item14,
  integLikeCity: item14,
  integAttention: item14,
  integWilling: item14,
  integAccepted: item14,
  integLookedDownRev: item14,
  integHygieneRev: item14,
  integrationIndex: { kind: 'real', min: 0, max: 100, derived: true },
  socialParticipation: binary,
  longTermResidence: binary,
  transferHukou: binary,
} as const satisfies Record<string, CanonicalVariable>;

export type CanonicalName = keyof typeof CANONICAL_VARIABLES;
export const CANONICAL_NAMES = Object.keys(CANONICAL_VARIABLES) as CanonicalName[];
export const REQUIRED_VARIABLES = CANONICAL_NAMES.filter((name) => (CANONICAL_VARIABLES[name] as CanonicalVariable).required);
