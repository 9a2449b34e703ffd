CREATE TABLE "app_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_by" integer
);
--> statement-breakpoint
CREATE TABLE "cities" (
	"code" text PRIMARY KEY NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"province_code" text NOT NULL,
	"tier" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"id" serial PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"kind" text NOT NULL,
	"source_file" text,
	"checksum" text,
	"row_count" integer DEFAULT 0 NOT NULL,
	"imported_by" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"active" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'loading' NOT NULL,
	"notes" text,
	"source_format" text,
	"source_encoding" text,
	"source_rows" integer,
	"skipped_rows" integer,
	"mapping_name" text,
	"mapping_checksum" text,
	"imported_by_user_id" integer,
	"finished_at" timestamp (3) with time zone,
	"activated_at" timestamp (3) with time zone,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "equity_measures" (
	"id" serial PRIMARY KEY NOT NULL,
	"dataset_id" integer NOT NULL,
	"wave" integer NOT NULL,
	"indicator" text NOT NULL,
	"family" text NOT NULL,
	"geo_level" text NOT NULL,
	"geo_code" text NOT NULL,
	"hukou" text NOT NULL,
	"migration_range" text NOT NULL,
	"measure" text NOT NULL,
	"n" integer NOT NULL,
	"groups" integer NOT NULL,
	"estimate" double precision,
	"se" double precision,
	"ci_low" double precision,
	"ci_high" double precision,
	"suppressed" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "indicators" (
	"id" serial PRIMARY KEY NOT NULL,
	"dataset_id" integer NOT NULL,
	"wave" integer NOT NULL,
	"geo_level" text NOT NULL,
	"geo_code" text NOT NULL,
	"hukou" text NOT NULL,
	"migration_range" text NOT NULL,
	"indicator" text NOT NULL,
	"n" integer NOT NULL,
	"weighted_share" double precision,
	"estimate" double precision,
	"se" double precision,
	"ci_low" double precision,
	"ci_high" double precision,
	"suppressed" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'published' NOT NULL,
	"unreliable" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provinces" (
	"code" text PRIMARY KEY NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"region" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "respondents" (
	"id" serial PRIMARY KEY NOT NULL,
	"dataset_id" integer NOT NULL,
	"wave" integer NOT NULL,
	"source_id" text,
	"city_code" text NOT NULL,
	"stratum" text NOT NULL,
	"psu" text NOT NULL,
	"weight" double precision NOT NULL,
	"male" integer,
	"age" double precision,
	"birth_year" integer,
	"education_level" integer,
	"han" integer,
	"marital_status" text,
	"rural_hukou" integer,
	"migration_range" text,
	"duration_years" double precision,
	"employment_status" text,
	"labor_contract" text,
	"working_hours" double precision,
	"log_household_income" double precision,
	"log_household_expenditure" double precision,
	"business_reason" integer,
	"local_identity" integer,
	"willingness_to_integrate" double precision,
	"informal_participation" integer,
	"formal_participation" integer,
	"constraints_of_hukou" double precision,
	"perceived_social_exclusion" double precision,
	"perceived_social_status" double precision,
	"good_community" integer,
	"neighbor_composition" double precision,
	"community_activities" double precision,
	"government_training" integer,
	"hometown_pressure" double precision,
	"withdrawal_guarantee" double precision,
	"city_log_gdp" double precision,
	"province_floating_share" double precision,
	"health_record" integer,
	"health_education_any" integer,
	"health_education_topics" integer,
	"he_smoking_control" integer,
	"he_maternal_child" integer,
	"he_reproductive" integer,
	"he_emergency" integer,
	"he_std_aids" integer,
	"he_chronic_disease" integer,
	"he_mental_health" integer,
	"he_tuberculosis" integer,
	"he_occupational_disease" integer,
	"insurance_any" integer,
	"insurance_type" text,
	"insurance_local" integer,
	"bphs_index" double precision,
	"self_rated_health" integer,
	"integ_like_city" integer,
	"integ_attention" integer,
	"integ_willing" integer,
	"integ_accepted" integer,
	"integ_looked_down_rev" integer,
	"integ_hygiene_rev" integer,
	"integration_index" double precision,
	"social_participation" integer,
	"long_term_residence" integer,
	"transfer_hukou" integer
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"last_seen_at" timestamp (3) with time zone NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"revoked_at" timestamp (3) with time zone,
	"revoked_reason" text
);
--> statement-breakpoint
CREATE TABLE "sign_in_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"username" text NOT NULL,
	"client_key" text NOT NULL,
	"success" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"must_change_password" boolean DEFAULT false NOT NULL,
	"demo" boolean DEFAULT false NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "waves" (
	"dataset_id" integer NOT NULL,
	"year" integer NOT NULL,
	"label" text NOT NULL,
	"design" text NOT NULL,
	"respondent_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "waves_dataset_id_year_pk" PRIMARY KEY("dataset_id","year")
);
--> statement-breakpoint
ALTER TABLE "audit_log" RENAME COLUMN "created_at" TO "at";--> statement-breakpoint
DROP INDEX "audit_log_created_idx";--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "at" SET DATA TYPE timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "username" DROP NOT NULL;--> statement-breakpoint
UPDATE "model_cache" SET "duration_ms" = 0 WHERE "duration_ms" IS NULL;--> statement-breakpoint
ALTER TABLE "model_cache" ALTER COLUMN "duration_ms" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "model_cache" ALTER COLUMN "created_at" SET DATA TYPE timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "model_cache" ALTER COLUMN "created_at" SET DEFAULT now();--> statement-breakpoint
ALTER TABLE "app_settings" ADD CONSTRAINT "app_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cities" ADD CONSTRAINT "cities_province_code_provinces_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."provinces"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "equity_measures" ADD CONSTRAINT "equity_measures_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicators" ADD CONSTRAINT "indicators_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "respondents" ADD CONSTRAINT "respondents_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "respondents" ADD CONSTRAINT "respondents_city_code_cities_code_fk" FOREIGN KEY ("city_code") REFERENCES "public"."cities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waves" ADD CONSTRAINT "waves_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "equity_measures_cell" ON "equity_measures" USING btree ("dataset_id","wave","indicator","family","geo_level","geo_code","hukou","migration_range","measure");--> statement-breakpoint
CREATE INDEX "equity_measures_lookup" ON "equity_measures" USING btree ("dataset_id","wave","indicator","family","migration_range","geo_level");--> statement-breakpoint
CREATE UNIQUE INDEX "indicators_cell" ON "indicators" USING btree ("dataset_id","wave","geo_level","geo_code","hukou","migration_range","indicator");--> statement-breakpoint
CREATE INDEX "indicators_lookup" ON "indicators" USING btree ("dataset_id","wave","indicator","hukou","migration_range","geo_level");--> statement-breakpoint
CREATE INDEX "respondents_dataset_wave_city" ON "respondents" USING btree ("dataset_id","wave","city_code");--> statement-breakpoint
CREATE INDEX "respondents_dataset_wave_filters" ON "respondents" USING btree ("dataset_id","wave","rural_hukou","migration_range");--> statement-breakpoint
CREATE INDEX "sessions_user" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sign_in_attempts_user" ON "sign_in_attempts" USING btree ("username","at");--> statement-breakpoint
CREATE INDEX "sign_in_attempts_client" ON "sign_in_attempts" USING btree ("client_key","at");--> statement-breakpoint
CREATE INDEX "audit_log_at" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_action" ON "audit_log" USING btree ("action","at");