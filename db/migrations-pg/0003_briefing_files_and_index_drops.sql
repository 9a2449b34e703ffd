CREATE TABLE "briefing_files" (
	"job_id" text PRIMARY KEY NOT NULL,
	"owner_id" integer NOT NULL,
	"state" text NOT NULL,
	"pdf" "bytea",
	"file_stem" jsonb NOT NULL,
	"error" jsonb,
	"worker" text,
	"attempts" integer NOT NULL,
	"duration_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
DROP INDEX "equity_measures_lookup";--> statement-breakpoint
DROP INDEX "respondents_dataset_wave_filters";--> statement-breakpoint
CREATE INDEX "briefing_files_expires_idx" ON "briefing_files" USING btree ("expires_at");