CREATE TABLE "fit_results" (
	"job_id" text PRIMARY KEY NOT NULL,
	"dataset_id" integer NOT NULL,
	"owner_id" integer NOT NULL,
	"state" text NOT NULL,
	"output" jsonb,
	"error" jsonb,
	"worker" text,
	"attempts" integer NOT NULL,
	"duration_ms" integer,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" integer,
	"username" text NOT NULL,
	"action" text NOT NULL,
	"target" text,
	"detail" jsonb,
	"duration_ms" integer,
	"job_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_cache" (
	"key" text PRIMARY KEY NOT NULL,
	"dataset_id" integer NOT NULL,
	"spec" text NOT NULL,
	"result" text NOT NULL,
	"duration_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_job_idx" ON "audit_log" USING btree ("job_id");--> statement-breakpoint
CREATE INDEX "audit_log_created_idx" ON "audit_log" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "model_cache_dataset_idx" ON "model_cache" USING btree ("dataset_id");