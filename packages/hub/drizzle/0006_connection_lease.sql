CREATE TABLE "connection_leases" (
	"connection_id" uuid PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_budget_starts" (
	"connection_id" uuid NOT NULL,
	"window" integer NOT NULL,
	"started_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "connection_leases" ADD CONSTRAINT "connection_leases_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rate_budget_starts" ADD CONSTRAINT "rate_budget_starts_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rate_budget_starts_idx" ON "rate_budget_starts" USING btree ("connection_id","window","started_at");