ALTER TABLE `indicators` ADD `band_low` real;--> statement-breakpoint
ALTER TABLE `indicators` ADD `band_high` real;