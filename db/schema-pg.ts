// The PostgreSQL schema (drizzle's pg dialect) of the cluster back end: a mirror of EVERY table of db/schema.ts with
// the same table and column names, and column modes chosen so rows come out as the same JavaScript types (timestamps
// as Date, booleans as boolean, JSON as objects, REAL as double precision), so one query module serves both dialects
// (db/store.ts; tests/db/schema-mirror.test.ts fails when the two drift apart). Migrations in db/migrations-pg
// (`npm run db:generate:pg`), applied by `npm run db:migrate` when DATABASE_URL is a postgres:// URL. pg-boss keeps its
// own queue tables in the `pgboss` schema.
//
// Differences from SQLite, on purpose:
// - fit_results exists only here: a cluster fit job's outcome, written once by whichever worker finishes it.
// - No foreign key from model_cache, fit_results or audit_log to datasets / users: cluster workers write them for
//   dataset versions and owners that need not be published here yet, and an audit row outlives its account.
import { sql } from 'drizzle-orm';
import { bigserial, boolean, customType, doublePrecision, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { CITY_TIERS, HUKOU_FILTERS, MIGRATION_RANGE_FILTERS, REGIONS } from '../lib/domain';

/** SQLite's integer timestamp_ms: a Date with milliseconds. */
const ms = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

export const datasets = pgTable('datasets', {
  id: serial('id').primaryKey(),
  label: text('label').notNull(),
  kind: text('kind', { enum: ['synthetic', 'imported'] }).notNull(),
  sourceFile: text('source_file'),
  checksum: text('checksum'),
  rowCount: integer('row_count').notNull().default(0),
  importedBy: text('imported_by'),
  createdAt: ms('created_at').notNull().defaultNow(),
  active: boolean('active').notNull().default(false),
  status: text('status', { enum: ['loading', 'ready', 'failed'] }).notNull().default('loading'),
  notes: text('notes'),
  sourceFormat: text('source_format', { enum: ['csv', 'dta', 'sav'] }),
  sourceEncoding: text('source_encoding'),
  sourceRows: integer('source_rows'),
  skippedRows: integer('skipped_rows'),
  mappingName: text('mapping_name'),
  mappingChecksum: text('mapping_checksum'),
  importedByUserId: integer('imported_by_user_id'),
  finishedAt: ms('finished_at'),
  activatedAt: ms('activated_at'),
  error: text('error'),
});

export const provinces = pgTable('provinces', {
  code: text('code').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  region: text('region', { enum: REGIONS }).notNull(),
});

export const cities = pgTable('cities', {
  code: text('code').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  provinceCode: text('province_code').notNull().references(() => provinces.code),
  tier: text('tier', { enum: CITY_TIERS }).notNull(),
});

export const waves = pgTable(
  'waves',
  {
    datasetId: integer('dataset_id').notNull().references(() => datasets.id, { onDelete: 'cascade' }),
    year: integer('year').notNull(),
    label: text('label').notNull(),
    design: text('design').notNull(),
    respondentCount: integer('respondent_count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.datasetId, t.year] })],
);

export const respondents = pgTable(
  'respondents',
  {
    id: serial('id').primaryKey(),
    datasetId: integer('dataset_id').notNull().references(() => datasets.id, { onDelete: 'cascade' }),
    wave: integer('wave').notNull(),
    sourceId: text('source_id'),
    cityCode: text('city_code').notNull().references(() => cities.code),
    stratum: text('stratum').notNull(),
    psu: text('psu').notNull(),
    weight: doublePrecision('weight').notNull(),
    male: integer('male'),
    age: doublePrecision('age'),
    birthYear: integer('birth_year'),
    educationLevel: integer('education_level'),
    han: integer('han'),
    maritalStatus: text('marital_status'),
    ruralHukou: integer('rural_hukou'),
    migrationRange: text('migration_range'),
    durationYears: doublePrecision('duration_years'),
    employmentStatus: text('employment_status'),
    laborContract: text('labor_contract'),
    workingHours: doublePrecision('working_hours'),
    logHouseholdIncome: doublePrecision('log_household_income'),
    logHouseholdExpenditure: doublePrecision('log_household_expenditure'),
    businessReason: integer('business_reason'),
    localIdentity: integer('local_identity'),
    willingnessToIntegrate: doublePrecision('willingness_to_integrate'),
    informalParticipation: integer('informal_participation'),
    formalParticipation: integer('formal_participation'),
    constraintsOfHukou: doublePrecision('constraints_of_hukou'),
    perceivedSocialExclusion: doublePrecision('perceived_social_exclusion'),
    perceivedSocialStatus: doublePrecision('perceived_social_status'),
    goodCommunity: integer('good_community'),
    neighborComposition: doublePrecision('neighbor_composition'),
    communityActivities: doublePrecision('community_activities'),
    governmentTraining: integer('government_training'),
    hometownPressure: doublePrecision('hometown_pressure'),
    withdrawalGuarantee: doublePrecision('withdrawal_guarantee'),
    cityLogGdp: doublePrecision('city_log_gdp'),
    provinceFloatingShare: doublePrecision('province_floating_share'),
    healthRecord: integer('health_record'),
    healthEducationAny: integer('health_education_any'),
    healthEducationTopics: integer('health_education_topics'),
    heSmokingControl: integer('he_smoking_control'),
    heMaternalChild: integer('he_maternal_child'),
    heReproductive: integer('he_reproductive'),
    heEmergency: integer('he_emergency'),
    heStdAids: integer('he_std_aids'),
    heChronicDisease: integer('he_chronic_disease'),
    heMentalHealth: integer('he_mental_health'),
    heTuberculosis: integer('he_tuberculosis'),
    heOccupationalDisease: integer('he_occupational_disease'),
    insuranceAny: integer('insurance_any'),
    insuranceType: text('insurance_type'),
    insuranceLocal: integer('insurance_local'),
    bphsIndex: doublePrecision('bphs_index'),
    selfRatedHealth: integer('self_rated_health'),
    integLikeCity: integer('integ_like_city'),
    integAttention: integer('integ_attention'),
    integWilling: integer('integ_willing'),
    integAccepted: integer('integ_accepted'),
    integLookedDownRev: integer('integ_looked_down_rev'),
    integHygieneRev: integer('integ_hygiene_rev'),
    integrationIndex: doublePrecision('integration_index'),
    socialParticipation: integer('social_participation'),
    longTermResidence: integer('long_term_residence'),
    transferHukou: integer('transfer_hukou'),
  },
  (t) => [
    index('respondents_dataset_wave_city').on(t.datasetId, t.wave, t.cityCode),
  ],
);

export const indicators = pgTable(
  'indicators',
  {
    id: serial('id').primaryKey(),
    datasetId: integer('dataset_id').notNull().references(() => datasets.id, { onDelete: 'cascade' }),
    wave: integer('wave').notNull(),
    geoLevel: text('geo_level', { enum: ['national', 'region', 'tier', 'province', 'city'] }).notNull(),
    geoCode: text('geo_code').notNull(),
    hukou: text('hukou', { enum: HUKOU_FILTERS }).notNull(),
    migrationRange: text('migration_range', { enum: MIGRATION_RANGE_FILTERS }).notNull(),
    indicator: text('indicator').notNull(),
    n: integer('n').notNull(),
    weightedShare: doublePrecision('weighted_share'),
    estimate: doublePrecision('estimate'),
    se: doublePrecision('se'),
    ciLow: doublePrecision('ci_low'),
    ciHigh: doublePrecision('ci_high'),
    suppressed: boolean('suppressed').notNull().default(false),
    status: text('status', { enum: ['published', 'primary', 'secondary', 'unpublished'] }).notNull().default('published'),
    unreliable: boolean('unreliable').notNull().default(false),
    bandLow: doublePrecision('band_low'),
    bandHigh: doublePrecision('band_high'),
  },
  (t) => [
    uniqueIndex('indicators_cell').on(t.datasetId, t.wave, t.geoLevel, t.geoCode, t.hukou, t.migrationRange, t.indicator),
    index('indicators_lookup').on(t.datasetId, t.wave, t.indicator, t.hukou, t.migrationRange, t.geoLevel),
  ],
);

export const equityMeasures = pgTable(
  'equity_measures',
  {
    id: serial('id').primaryKey(),
    datasetId: integer('dataset_id').notNull().references(() => datasets.id, { onDelete: 'cascade' }),
    wave: integer('wave').notNull(),
    indicator: text('indicator').notNull(),
    family: text('family', { enum: ['hukou_gap', 'range_gradient', 'city_dispersion'] }).notNull(),
    geoLevel: text('geo_level', { enum: ['national', 'region', 'tier', 'province', 'city'] }).notNull(),
    geoCode: text('geo_code').notNull(),
    hukou: text('hukou', { enum: HUKOU_FILTERS }).notNull(),
    migrationRange: text('migration_range', { enum: MIGRATION_RANGE_FILTERS }).notNull(),
    measure: text('measure').notNull(),
    n: integer('n').notNull(),
    groups: integer('groups').notNull(),
    estimate: doublePrecision('estimate'),
    se: doublePrecision('se'),
    ciLow: doublePrecision('ci_low'),
    ciHigh: doublePrecision('ci_high'),
    suppressed: boolean('suppressed').notNull().default(false),
  },
  (t) => [
    uniqueIndex('equity_measures_cell').on(t.datasetId, t.wave, t.indicator, t.family, t.geoLevel, t.geoCode, t.hukou, t.migrationRange, t.measure),
  ],
);

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: ['viewer', 'analyst', 'admin'] }).notNull(),
  createdAt: ms('created_at').notNull().defaultNow(),
  active: boolean('active').notNull().default(true),
  mustChangePassword: boolean('must_change_password').notNull().default(false),
  demo: boolean('demo').notNull().default(false),
});

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    createdAt: ms('created_at').notNull(),
    lastSeenAt: ms('last_seen_at').notNull(),
    expiresAt: ms('expires_at').notNull(),
    revokedAt: ms('revoked_at'),
    revokedReason: text('revoked_reason'),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: ms('at').notNull().defaultNow(),
    userId: integer('user_id'),
    username: text('username'),
    action: text('action').notNull(),
    target: text('target'),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
    durationMs: integer('duration_ms'),
    /** A cluster fit's job id: at most one audit row per job, however many times it was tried. */
    jobId: text('job_id'),
  },
  (t) => [index('audit_log_at').on(t.at), index('audit_log_action').on(t.action, t.at), uniqueIndex('audit_log_job_idx').on(t.jobId)],
);

export const signInAttempts = pgTable(
  'sign_in_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: ms('at').notNull(),
    username: text('username').notNull(),
    clientKey: text('client_key').notNull(),
    success: boolean('success').notNull(),
  },
  (t) => [index('sign_in_attempts_user').on(t.username, t.at), index('sign_in_attempts_client').on(t.clientKey, t.at)],
);

export const modelCache = pgTable(
  'model_cache',
  {
    key: text('key').primaryKey(),
    datasetId: integer('dataset_id').notNull(),
    spec: text('spec').notNull(),
    result: text('result').notNull(),
    durationMs: integer('duration_ms').notNull(),
    createdAt: ms('created_at').notNull().defaultNow(),
  },
  (t) => [index('model_cache_dataset_idx').on(t.datasetId)],
);

export const appSettings = pgTable('app_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: ms('updated_at').notNull().defaultNow(),
  updatedBy: integer('updated_by').references(() => users.id, { onDelete: 'set null' }),
});

/** A cluster fit job's outcome (pg only): written once, by the worker that finished it or the instance that gave it up. */
export const fitResults = pgTable('fit_results', {
  /** pg-boss's job id. */
  jobId: text('job_id').primaryKey(),
  datasetId: integer('dataset_id').notNull(),
  ownerId: integer('owner_id').notNull(),
  state: text('state', { enum: ['done', 'failed'] }).notNull(),
  output: jsonb('output'),
  error: jsonb('error'),
  /** The worker process that finished it (host:pid), or null when it was given up. */
  worker: text('worker'),
  attempts: integer('attempts').notNull(),
  durationMs: integer('duration_ms'),
  finishedAt: timestamp('finished_at', { withTimezone: true }).notNull().default(sql`now()`),
});

/** PostgreSQL's bytea, read and written as a Buffer (node-postgres's own mapping). */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * Briefing PDFs rendered by a cluster worker (issue 17): kept until `expires_at` so that whichever web instance the
 * owner reaches next can serve the file; only its owner may fetch it (lib/queries/cluster-briefings.ts). A failed
 * render keeps its error instead of a file.
 */
export const briefingFiles = pgTable(
  'briefing_files',
  {
    /** pg-boss's job id. */
    jobId: text('job_id').primaryKey(),
    ownerId: integer('owner_id').notNull(),
    state: text('state', { enum: ['done', 'failed'] }).notNull(),
    pdf: bytea('pdf'),
    /** The download's file name: its Unicode stem and an ASCII one for old clients (contentDisposition). */
    fileStem: jsonb('file_stem').notNull(),
    error: jsonb('error'),
    /** The worker process that rendered it (host:pid). */
    worker: text('worker'),
    attempts: integer('attempts').notNull(),
    durationMs: integer('duration_ms'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (table) => [index('briefing_files_expires_idx').on(table.expiresAt)],
);
