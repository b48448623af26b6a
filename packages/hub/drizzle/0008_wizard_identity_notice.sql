ALTER TABLE "preview_entries" ADD COLUMN "identity" jsonb;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "success_notice" text DEFAULT 'quiet' NOT NULL;