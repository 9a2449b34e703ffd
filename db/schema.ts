// Drizzle schema: the one description of the SQLite database. Migrations in db/migrations are generated from it
// (`npm run db:generate`) and applied at start by db/migrate.ts.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { CITY_TIERS, HUKOU_FILTERS, MIGRATION_RANGE_FILTERS, REGIONS } from '../lib/domain';

/** A loaded body of microdata: the embedded synthetic demonstration set, or an imported real survey file. */
export const datasets = sqliteTable('datasets', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  label: text('label').notNull(),
  kind: text('kind', { enum: ['synthetic', 'imported'] }).notNull(),
  sourceFile: text('source_file'),
  checksum: text('checksum'),
  rowCount: integer('row_count').notNull().default(0),
  importedBy: text('imported_by'),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch() * 1000)`),
  active: integer('active', { mode: 'boolean' }).notNull().default(false),
  status: text('status', { enum: ['loading', 'ready', 'failed'] }).notNull().default('loading'),
  notes: text('notes'),
  // Provenance of an imported version (issue 6): checksum is the source file's sha256, rowCount the rows loaded.
  sourceFormat: text('source_format', { enum: ['csv', 'dta', 'sav'] }),
  sourceEncoding: text('source_encoding'),
  sourceRows: integer('source_rows'), // data rows in the file, before rows were skipped
  skippedRows: integer('skipped_rows'),
  mappingName: text('mapping_name'),
  mappingChecksum: text('mapping_checksum'), // sha256 of the mapping JSON as applied
  importedByUserId: integer('imported_by_user_id'), // no foreign key: the version outlives a deleted account
  finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
  activatedAt: integer('activated_at', { mode: 'timestamp_ms' }), // last time this version became the active one
  error: text('error'), // why a failed import failed
});

export const provinces = sqliteTable('provinces', {
  code: text('code').primaryKey(), // two-digit GB/T 2260 code, e.g. '44'
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  region: text('region', { enum: REGIONS }).notNull(),
});

export const cities = sqliteTable('cities', {
  code: text('code').primaryKey(), // six-digit GB/T 2260 code, e.g. '440300'
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  provinceCode: text('province_code').notNull().references(() => provinces.code),
  tier: text('tier', { enum: CITY_TIERS }).notNull(),
});

/** One survey wave of a dataset (2014 eight-city module, 2017 national wave, ...). */
export const waves = sqliteTable(
  'waves',
  {
    datasetId: integer('dataset_id').notNull().references(() => datasets.id, { onDelete: 'cascade' }),
    year: integer('year').notNull(),
    label: text('label').notNull(),
    design: text('design').notNull(), // e.g. 'module_2014_eight_cities', 'national'
    respondentCount: integer('respondent_count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.datasetId, t.year] })],
);

/**
 * One row per survey respondent. Variables use the canonical names of docs/variables.md; a variable a wave did not
 * ask is NULL. Binary variables are 0/1 integers.
 */
export const respondents = sqliteTable(
  'respondents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    datasetId: integer('dataset_id').notNull().references(() => datasets.id, { onDelete: 'cascade' }),
    wave: integer('wave').notNull(),
    sourceId: text('source_id'),
    cityCode: text('city_code').notNull().references(() => cities.code),
    stratum: text('stratum').notNull(),
    psu: text('psu').notNull(),
    weight: real('weight').notNull(),
    // demographics and migration
    male: integer('male'),
    age: real('age'),
    birthYear: integer('birth_year'),
    educationLevel: integer('education_level'), // 1 none ... 7 postgraduate
    han: integer('han'),
    maritalStatus: text('marital_status'), // unmarried | first_married | remarried | divorced_widowed
    ruralHukou: integer('rural_hukou'), // 1 agricultural (农业), 0 non-agricultural (非农业)
    migrationRange: text('migration_range'), // inter_province | inter_city | inter_county
    durationYears: real('duration_years'),
    employmentStatus: text('employment_status'), // employee | employer | self_employed | other
    laborContract: text('labor_contract'), // long_term | fixed_term | none | not_applicable
    workingHours: real('working_hours'), // hours per day
    logHouseholdIncome: real('log_household_income'),
    logHouseholdExpenditure: real('log_household_expenditure'),
    businessReason: integer('business_reason'),
    // 2014 social-integration module (seed 001)
    localIdentity: integer('local_identity'),
    willingnessToIntegrate: real('willingness_to_integrate'),
    informalParticipation: integer('informal_participation'),
    formalParticipation: integer('formal_participation'),
    constraintsOfHukou: real('constraints_of_hukou'),
    perceivedSocialExclusion: real('perceived_social_exclusion'),
    perceivedSocialStatus: real('perceived_social_status'),
    goodCommunity: integer('good_community'),
    neighborComposition: real('neighbor_composition'),
    communityActivities: real('community_activities'),
    governmentTraining: integer('government_training'),
    hometownPressure: real('hometown_pressure'),
    withdrawalGuarantee: real('withdrawal_guarantee'),
    cityLogGdp: real('city_log_gdp'),
    provinceFloatingShare: real('province_floating_share'),
    // basic public health services (2017 national wave; seed 000, seed 002)
    healthRecord: integer('health_record'),
    healthEducationAny: integer('health_education_any'),
    healthEducationTopics: integer('health_education_topics'), // 0..9
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
    insuranceType: text('insurance_type'), // ncms | urbmi | uebmi | urban_rural_resident | other | none
    insuranceLocal: integer('insurance_local'), // 1 insured in the city of residence, 0 at origin/elsewhere, NULL uninsured
    bphsIndex: real('bphs_index'), // derived: health record + health education (see lib/indicators/derive.ts)
    selfRatedHealth: integer('self_rated_health'), // 1 healthy, 2 basically healthy, 3 unhealthy but self-caring, 4 cannot care for self
    // integration (1-4 items, negative ones reverse-coded so higher = more integrated)
    integLikeCity: integer('integ_like_city'),
    integAttention: integer('integ_attention'),
    integWilling: integer('integ_willing'),
    integAccepted: integer('integ_accepted'),
    integLookedDownRev: integer('integ_looked_down_rev'),
    integHygieneRev: integer('integ_hygiene_rev'),
    integrationIndex: real('integration_index'), // derived 0-100
    socialParticipation: integer('social_participation'),
    longTermResidence: integer('long_term_residence'),
    transferHukou: integer('transfer_hukou'),
  },
  (t) => [
    index('respondents_dataset_wave_city').on(t.datasetId, t.wave, t.cityCode),
    index('respondents_dataset_wave_filters').on(t.datasetId, t.wave, t.ruralHukou, t.migrationRange),
  ],
);

/** Survey-weighted estimates for every wave x geography x hukou x migration range x indicator, computed after load. */
export const indicators = sqliteTable(
  'indicators',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    datasetId: integer('dataset_id').notNull().references(() => datasets.id, { onDelete: 'cascade' }),
    wave: integer('wave').notNull(),
    geoLevel: text('geo_level', { enum: ['national', 'region', 'tier', 'province', 'city'] }).notNull(),
    geoCode: text('geo_code').notNull(), // 'CN' | region key | tier key | province code | city code
    hukou: text('hukou', { enum: HUKOU_FILTERS }).notNull(),
    migrationRange: text('migration_range', { enum: MIGRATION_RANGE_FILTERS }).notNull(),
    indicator: text('indicator').notNull(), // key of lib/indicators/catalogue.ts
    n: integer('n').notNull(), // unweighted respondents with a non-missing value in the cell
    weightedShare: real('weighted_share'), // cell's weighted population share of its geography (all hukou, all ranges)
    estimate: real('estimate'), // NULL when suppressed
    se: real('se'),
    ciLow: real('ci_low'),
    ciHigh: real('ci_high'),
    suppressed: integer('suppressed', { mode: 'boolean' }).notNull().default(false), // primary or secondary
    // Disclosure control (issue 10, lib/disclosure): why a cell is hidden, and DHS's reliability flag for shown ones.
    status: text('status', { enum: ['published', 'primary', 'secondary', 'unpublished'] }).notNull().default('published'),
    unreliable: integer('unreliable', { mode: 'boolean' }).notNull().default(false), // CV > 30% or n 30-49
  },
  (t) => [
    uniqueIndex('indicators_cell').on(t.datasetId, t.wave, t.geoLevel, t.geoCode, t.hukou, t.migrationRange, t.indicator),
    index('indicators_lookup').on(t.datasetId, t.wave, t.indicator, t.hukou, t.migrationRange, t.geoLevel),
  ],
);

/**
 * Summary measures of inequality for every wave x indicator, computed after the indicators (lib/indicators/
 * equity-precompute.ts): the hukou gap (D, R) per geography and migration range, the migration-range gradient (SII,
 * RII, ACI) per geography and hukou, and the between-city dispersion (BGSD, IDISW, MLD) per province, tier and nation.
 * Values are unscaled; a measure that involves a suppressed indicator cell is stored with suppressed = true and no value.
 */
export const equityMeasures = sqliteTable(
  'equity_measures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    datasetId: integer('dataset_id').notNull().references(() => datasets.id, { onDelete: 'cascade' }),
    wave: integer('wave').notNull(),
    indicator: text('indicator').notNull(),
    family: text('family', { enum: ['hukou_gap', 'range_gradient', 'city_dispersion'] }).notNull(),
    geoLevel: text('geo_level', { enum: ['national', 'region', 'tier', 'province', 'city'] }).notNull(),
    geoCode: text('geo_code').notNull(),
    hukou: text('hukou', { enum: HUKOU_FILTERS }).notNull(),
    migrationRange: text('migration_range', { enum: MIGRATION_RANGE_FILTERS }).notNull(),
    measure: text('measure').notNull(), // D, R, SII, RII, ACI, BGSD, IDISW, MLD (lib/stats/inequality.ts)
    n: integer('n').notNull(), // respondents in the compared subgroups
    groups: integer('groups').notNull(), // subgroups (or cities) that entered the measure
    estimate: real('estimate'),
    se: real('se'),
    ciLow: real('ci_low'),
    ciHigh: real('ci_high'),
    suppressed: integer('suppressed', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [
    uniqueIndex('equity_measures_cell').on(t.datasetId, t.wave, t.indicator, t.family, t.geoLevel, t.geoCode, t.hukou, t.migrationRange, t.measure),
    index('equity_measures_lookup').on(t.datasetId, t.wave, t.indicator, t.family, t.migrationRange, t.geoLevel),
  ],
);

export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: ['viewer', 'analyst', 'admin'] }).notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch() * 1000)`),
  // A disabled account cannot sign in and its sessions are revoked; rows stay so the audit log keeps its names.
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  // Set by an admin's password reset: the next sign-in leads to the change-password page before anything else.
  mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(false),
  // One of the published demonstration accounts: refused whenever the active dataset is not the synthetic one.
  demo: integer('demo', { mode: 'boolean' }).notNull().default(false),
});

/** Signed-in sessions: every token names one row, so sign-out, disabling, reset and role change revoke it at once. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(), // random, carried in the signed token
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(), // absolute end, whatever the activity
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
    revokedReason: text('revoked_reason'),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch() * 1000)`),
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    username: text('username'),
    action: text('action').notNull(), // e.g. 'sign_in', 'sign_in_failed', 'model_run', 'pdf_download', 'import'
    target: text('target'),
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(), // JSON text, read back as an object
    durationMs: integer('duration_ms'),
    /** A cluster fit's job id (PostgreSQL, db/schema-pg.ts): at most one audit row per job. Null here in practice. */
    jobId: text('job_id'),
  },
  (t) => [index('audit_log_at').on(t.at), index('audit_log_action').on(t.action, t.at), uniqueIndex('audit_log_job_idx').on(t.jobId)],
);

/** Sign-in attempts, for rate limiting failed sign-ins by username and by client address. */
export const signInAttempts = sqliteTable(
  'sign_in_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    username: text('username').notNull(),
    clientKey: text('client_key').notNull(),
    success: integer('success', { mode: 'boolean' }).notNull(),
  },
  (t) => [index('sign_in_attempts_user').on(t.username, t.at), index('sign_in_attempts_client').on(t.clientKey, t.at)],
);

/** Model results keyed by the canonical spec and the dataset version, so a repeated question answers at once. */
export const modelCache = sqliteTable('model_cache', {
  key: text('key').primaryKey(),
  datasetId: integer('dataset_id').notNull().references(() => datasets.id, { onDelete: 'cascade' }),
  spec: text('spec').notNull(),
  result: text('result').notNull(),
  durationMs: integer('duration_ms').notNull(),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch() * 1000)`),
});

/** Settings an admin changes at run time (e.g. the model queue's limits), as JSON values by key. */
export const appSettings = sqliteTable('app_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch() * 1000)`),
  updatedBy: integer('updated_by').references(() => users.id, { onDelete: 'set null' }),
});
