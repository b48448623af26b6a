ALTER TABLE "previews" ADD COLUMN "employment_filter" jsonb;--> statement-breakpoint
ALTER TABLE "previews" ADD COLUMN "new_employee_defaults" jsonb;