ALTER TABLE "connections" ADD COLUMN "name_preference" text DEFAULT 'legal' NOT NULL;--> statement-breakpoint
ALTER TABLE "employees" ADD COLUMN "business_last_name" text;--> statement-breakpoint
ALTER TABLE "employees" ADD COLUMN "business_first_name" text;--> statement-breakpoint
ALTER TABLE "employees" ADD COLUMN "business_last_name_kana" text;--> statement-breakpoint
ALTER TABLE "employees" ADD COLUMN "business_first_name_kana" text;--> statement-breakpoint
ALTER TABLE "previews" ADD COLUMN "business_name" boolean DEFAULT false NOT NULL;