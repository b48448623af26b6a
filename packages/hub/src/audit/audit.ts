import { desc } from 'drizzle-orm';
import type { Db } from '../db/adapter.ts';
import { auditLog } from '../db/schema.ts';

export interface AuditEntry {
  id: string;
  /**
   * `user:<id>`, `token:<id>` (the HTTP API), `cli` (the `renkei` command), `setup` (the set-up page)
   * or `sign-in` (the sign-in form: locks and attempts refused while locked).
   */
  actor: string;
  action: AuditAction;
  target: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
}

export type AuditAction =
  | 'user.create'
  | 'user.update'
  | 'user.password_reset'
  | 'user.deactivate'
  | 'user.reactivate'
  | 'setup.first_admin'
  | 'connection.sync_policy'
  | 'schedule.save'
  | 'schedule.remove'
  | 'trigger_token.create'
  | 'trigger_token.revoke'
  | 'api_token.create'
  | 'api_token.revoke'
  | 'api.request'
  | 'webhook.create'
  | 'webhook.delete'
  | 'sign_in.locked'
  | 'sign_in.refused';

/** Writes one entry with the change it records (pass the transaction, so both or neither land). */
export async function recordAudit(
  executor: Db,
  entry: { actor: string; action: AuditAction; target?: string; details?: Record<string, unknown> },
): Promise<void> {
  await executor.insert(auditLog).values({
    actor: entry.actor,
    action: entry.action,
    target: entry.target ?? null,
    details: entry.details ?? {},
  });
}

export function createAudit(db: Db) {
  return {
    /** The newest entries first. */
    async list(limit = 100): Promise<AuditEntry[]> {
      const rows = await db
        .select()
        .from(auditLog)
        .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
        .limit(Math.min(Math.max(1, limit), 1000));
      return rows as AuditEntry[];
    },
  };
}
