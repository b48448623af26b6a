ALTER TABLE "preview_entries" ADD COLUMN "target_employee_code" text;
