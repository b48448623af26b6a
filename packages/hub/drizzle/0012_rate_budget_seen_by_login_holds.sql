CREATE TABLE "connection_login_holds" (
	"connection_id" uuid PRIMARY KEY NOT NULL,
	"since" bigint NOT NULL,
	"until" bigint NOT NULL
);
--> statement-breakpoint
DROP INDEX "rate_budget_starts_idx";--> statement-breakpoint
ALTER TABLE "rate_budget_starts" ADD COLUMN "slot" uuid;--> statement-breakpoint
ALTER TABLE "rate_budget_starts" ADD COLUMN "seen_by" bigint;--> statement-breakpoint
UPDATE "rate_budget_starts" SET "seen_by" = "started_at" + 60000;--> statement-breakpoint
ALTER TABLE "rate_budget_starts" ALTER COLUMN "seen_by" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "connection_login_holds" ADD CONSTRAINT "connection_login_holds_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rate_budget_starts_idx" ON "rate_budget_starts" USING btree ("connection_id","window","seen_by");