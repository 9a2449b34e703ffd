ALTER TABLE `audit_log` ADD `job_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `audit_log_job_idx` ON `audit_log` (`job_id`);