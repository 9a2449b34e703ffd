DROP INDEX `equity_measures_lookup`;--> statement-breakpoint
DROP INDEX `respondents_dataset_wave_filters`;