ALTER TABLE `indicators` ADD `status` text DEFAULT 'published' NOT NULL;--> statement-breakpoint
ALTER TABLE `indicators` ADD `unreliable` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Indicators are derived data: drop the ones computed without secondary suppression; setup recomputes the active dataset's.
DELETE FROM `indicators`;
