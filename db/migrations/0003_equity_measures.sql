CREATE TABLE `equity_measures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dataset_id` integer NOT NULL,
	`wave` integer NOT NULL,
	`indicator` text NOT NULL,
	`family` text NOT NULL,
	`geo_level` text NOT NULL,
	`geo_code` text NOT NULL,
	`hukou` text NOT NULL,
	`migration_range` text NOT NULL,
	`measure` text NOT NULL,
	`n` integer NOT NULL,
	`groups` integer NOT NULL,
	`estimate` real,
	`se` real,
	`ci_low` real,
	`ci_high` real,
	`suppressed` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`dataset_id`) REFERENCES `datasets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `equity_measures_cell` ON `equity_measures` (`dataset_id`,`wave`,`indicator`,`family`,`geo_level`,`geo_code`,`hukou`,`migration_range`,`measure`);--> statement-breakpoint
CREATE INDEX `equity_measures_lookup` ON `equity_measures` (`dataset_id`,`wave`,`indicator`,`family`,`migration_range`,`geo_level`);