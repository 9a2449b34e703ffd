ALTER TABLE "indicators" ADD COLUMN "band_low" double precision;--> statement-breakpoint
ALTER TABLE "indicators" ADD COLUMN "band_high" double precision;