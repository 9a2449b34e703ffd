ALTER TABLE `datasets` ADD `source_format` text;--> statement-breakpoint
ALTER TABLE `datasets` ADD `source_encoding` text;--> statement-breakpoint
ALTER TABLE `datasets` ADD `source_rows` integer;--> statement-breakpoint
ALTER TABLE `datasets` ADD `skipped_rows` integer;--> statement-breakpoint
ALTER TABLE `datasets` ADD `mapping_name` text;--> statement-breakpoint
ALTER TABLE `datasets` ADD `mapping_checksum` text;--> statement-breakpoint
ALTER TABLE `datasets` ADD `imported_by_user_id` integer;--> statement-breakpoint
ALTER TABLE `datasets` ADD `finished_at` integer;--> statement-breakpoint
ALTER TABLE `datasets` ADD `activated_at` integer;--> statement-breakpoint
ALTER TABLE `datasets` ADD `error` text;