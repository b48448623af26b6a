CREATE TABLE "connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connector_id" text NOT NULL,
	"display_name" text NOT NULL,
	"credentials_sealed" text NOT NULL,
	"credential_keys" jsonb NOT NULL,
	"field_modes" jsonb NOT NULL,
	"default_data_area" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "employee_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"employee_code" text NOT NULL,
	"op" text NOT NULL,
	"changes" jsonb NOT NULL,
	"actor" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "employees" (
	"employee_code" text PRIMARY KEY NOT NULL,
	"last_name" text,
	"first_name" text,
	"last_name_kana" text,
	"first_name_kana" text,
	"birth_date" text,
	"hire_date" text,
	"retire_date" text,
	"gender" text,
	"status" text,
	"email" text,
	"phone" text,
	"employment_type" jsonb,
	"department" jsonb,
	"job_title" jsonb,
	"employee_category" jsonb,
	"address" jsonb,
	"bank_accounts" jsonb,
	"search_text" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"run_id" uuid,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"payload" jsonb NOT NULL,
	"read_at" timestamp with time zone,
	"mail" text NOT NULL,
	"mail_attempts" integer DEFAULT 0 NOT NULL,
	"mail_next_attempt_at" timestamp with time zone,
	"mail_last_error" text,
	"mail_sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "preview_entries" (
	"preview_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"employee_code" text NOT NULL,
	"status" text NOT NULL,
	"name" text,
	"search_text" text NOT NULL,
	"changes" jsonb NOT NULL,
	"issues" jsonb NOT NULL,
	"fingerprint" text,
	"selectable" boolean NOT NULL,
	CONSTRAINT "preview_entries_preview_id_seq_pk" PRIMARY KEY("preview_id","seq")
);
--> statement-breakpoint
CREATE TABLE "previews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"data_area" text NOT NULL,
	"fields" jsonb NOT NULL,
	"modes" jsonb NOT NULL,
	"summary" jsonb NOT NULL,
	"target_only_codes" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "run_items" (
	"run_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"employee_code" text NOT NULL,
	"name" text,
	"chunk" integer NOT NULL,
	"outcome" text DEFAULT 'pending' NOT NULL,
	"detail" jsonb,
	"error" jsonb,
	"message" text,
	"changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"worker" text,
	"finished_at" timestamp with time zone,
	CONSTRAINT "run_items_run_id_employee_code_pk" PRIMARY KEY("run_id","employee_code")
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"preview_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"data_area" text NOT NULL,
	"status" text NOT NULL,
	"started_by" uuid NOT NULL,
	"total" integer NOT NULL,
	"retry_of" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "preview_entries" ADD CONSTRAINT "preview_entries_preview_id_previews_id_fk" FOREIGN KEY ("preview_id") REFERENCES "public"."previews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "previews" ADD CONSTRAINT "previews_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_items" ADD CONSTRAINT "run_items_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_preview_id_previews_id_fk" FOREIGN KEY ("preview_id") REFERENCES "public"."previews"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "employee_changes_code_idx" ON "employee_changes" USING btree ("employee_code","created_at");--> statement-breakpoint
CREATE INDEX "employees_search_idx" ON "employees" USING btree ("search_text");--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "notifications_mail_idx" ON "notifications" USING btree ("mail","mail_next_attempt_at");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_run_idx" ON "notifications" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "preview_entries_code_idx" ON "preview_entries" USING btree ("preview_id","employee_code");--> statement-breakpoint
CREATE INDEX "preview_entries_status_idx" ON "preview_entries" USING btree ("preview_id","status","seq");--> statement-breakpoint
CREATE INDEX "previews_connection_idx" ON "previews" USING btree ("connection_id","created_at");--> statement-breakpoint
CREATE INDEX "run_items_seq_idx" ON "run_items" USING btree ("run_id","seq");--> statement-breakpoint
CREATE INDEX "run_items_chunk_idx" ON "run_items" USING btree ("run_id","chunk");--> statement-breakpoint
CREATE INDEX "runs_history_idx" ON "runs" USING btree ("connection_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "runs_one_active_idx" ON "runs" USING btree ("connection_id","data_area") WHERE status in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");