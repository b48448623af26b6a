CREATE TABLE "published_imports" (
	"stage" text PRIMARY KEY NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "employee_changes" ADD COLUMN "import_stage" text;--> statement-breakpoint
CREATE INDEX "employee_changes_import_stage_idx" ON "employee_changes" USING btree ("import_stage") WHERE "employee_changes"."import_stage" is not null;--> statement-breakpoint
ALTER TABLE "employee_import_rows" DROP COLUMN "changes";