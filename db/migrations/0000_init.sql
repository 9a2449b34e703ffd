CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`user_id` integer,
	`username` text,
	`action` text NOT NULL,
	`target` text,
	`detail` text,
	`duration_ms` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_action` ON `audit_log` (`action`,`at`);--> statement-breakpoint
CREATE TABLE `cities` (
	`code` text PRIMARY KEY NOT NULL,
	`name_zh` text NOT NULL,
	`name_en` text NOT NULL,
	`province_code` text NOT NULL,
	`tier` text NOT NULL,
	FOREIGN KEY (`province_code`) REFERENCES `provinces`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `datasets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`label` text NOT NULL,
	`kind` text NOT NULL,
	`source_file` text,
	`checksum` text,
	`row_count` integer DEFAULT 0 NOT NULL,
	`imported_by` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`active` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'loading' NOT NULL,
	`notes` text
);
--> statement-breakpoint
CREATE TABLE `indicators` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dataset_id` integer NOT NULL,
	`wave` integer NOT NULL,
	`geo_level` text NOT NULL,
	`geo_code` text NOT NULL,
	`hukou` text NOT NULL,
	`migration_range` text NOT NULL,
	`indicator` text NOT NULL,
	`n` integer NOT NULL,
	`weighted_share` real,
	`estimate` real,
	`se` real,
	`ci_low` real,
	`ci_high` real,
	`suppressed` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`dataset_id`) REFERENCES `datasets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `indicators_cell` ON `indicators` (`dataset_id`,`wave`,`geo_level`,`geo_code`,`hukou`,`migration_range`,`indicator`);--> statement-breakpoint
CREATE INDEX `indicators_lookup` ON `indicators` (`dataset_id`,`wave`,`indicator`,`hukou`,`migration_range`,`geo_level`);--> statement-breakpoint
CREATE TABLE `model_cache` (
	`key` text PRIMARY KEY NOT NULL,
	`dataset_id` integer NOT NULL,
	`spec` text NOT NULL,
	`result` text NOT NULL,
	`duration_ms` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`dataset_id`) REFERENCES `datasets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `provinces` (
	`code` text PRIMARY KEY NOT NULL,
	`name_zh` text NOT NULL,
	`name_en` text NOT NULL,
	`region` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `respondents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dataset_id` integer NOT NULL,
	`wave` integer NOT NULL,
	`source_id` text,
	`city_code` text NOT NULL,
	`stratum` text NOT NULL,
	`psu` text NOT NULL,
	`weight` real NOT NULL,
	`male` integer,
	`age` real,
	`birth_year` integer,
	`education_level` integer,
	`han` integer,
	`marital_status` text,
	`rural_hukou` integer,
	`migration_range` text,
	`duration_years` real,
	`employment_status` text,
	`labor_contract` text,
	`working_hours` real,
	`log_household_income` real,
	`log_household_expenditure` real,
	`business_reason` integer,
	`local_identity` integer,
	`willingness_to_integrate` real,
	`informal_participation` integer,
	`formal_participation` integer,
	`constraints_of_hukou` real,
	`perceived_social_exclusion` real,
	`perceived_social_status` real,
	`good_community` integer,
	`neighbor_composition` real,
	`community_activities` real,
	`government_training` integer,
	`hometown_pressure` real,
	`withdrawal_guarantee` real,
	`city_log_gdp` real,
	`province_floating_share` real,
	`health_record` integer,
	`health_education_any` integer,
	`health_education_topics` integer,
	`he_smoking_control` integer,
	`he_maternal_child` integer,
	`he_reproductive` integer,
	`he_emergency` integer,
	`he_std_aids` integer,
	`he_chronic_disease` integer,
	`he_mental_health` integer,
	`he_tuberculosis` integer,
	`he_occupational_disease` integer,
	`insurance_any` integer,
	`insurance_type` text,
	`insurance_local` integer,
	`bphs_index` real,
	`self_rated_health` integer,
	`integ_like_city` integer,
	`integ_attention` integer,
	`integ_willing` integer,
	`integ_accepted` integer,
	`integ_looked_down_rev` integer,
	`integ_hygiene_rev` integer,
	`integration_index` real,
	`social_participation` integer,
	`long_term_residence` integer,
	`transfer_hukou` integer,
	FOREIGN KEY (`dataset_id`) REFERENCES `datasets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`city_code`) REFERENCES `cities`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `respondents_dataset_wave_city` ON `respondents` (`dataset_id`,`wave`,`city_code`);--> statement-breakpoint
CREATE INDEX `respondents_dataset_wave_filters` ON `respondents` (`dataset_id`,`wave`,`rural_hukou`,`migration_range`);--> statement-breakpoint
CREATE TABLE `sign_in_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`username` text NOT NULL,
	`client_key` text NOT NULL,
	`success` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sign_in_attempts_user` ON `sign_in_attempts` (`username`,`at`);--> statement-breakpoint
CREATE INDEX `sign_in_attempts_client` ON `sign_in_attempts` (`client_key`,`at`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);--> statement-breakpoint
CREATE TABLE `waves` (
	`dataset_id` integer NOT NULL,
	`year` integer NOT NULL,
	`label` text NOT NULL,
	`design` text NOT NULL,
	`respondent_count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`dataset_id`, `year`),
	FOREIGN KEY (`dataset_id`) REFERENCES `datasets`(`id`) ON UPDATE no action ON DELETE cascade
);
