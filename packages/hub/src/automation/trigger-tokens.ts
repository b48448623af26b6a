import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '@renkei/core';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/adapter.ts';
import { connections, triggerTokens } from '../db/schema.ts';
import { HubError } from '../errors.ts';
import { hashToken } from '../token-hash.ts';
import { isUuid, zodIssues } from '../validation.ts';

/** A token as listed: never its value (only its hash is stored). */
export type TriggerToken = Omit<typeof triggerTokens.$inferSelect, 'tokenHash'>;

const PREFIX = 'rk_trg_';
/** Longer input is not a token: refused before hashing. */
const MAX_TOKEN_LENGTH = 200;

const NewTriggerToken = z.object({
  direction: z.enum(['import', 'export'], { error: '連携の方向を選んでください。' }),
  name: z.string().trim().min(1, '名前を入力してください。').max(100, '100文字以内で入力してください。'),
});

/** Incoming trigger tokens: random, shown once, stored as sha256, revocable, audited. */
export function createTriggerTokens(deps: {
  db: Db;
  clock: Clock;
  requireAdmin(actor: string): Promise<unknown>;
}) {
  const { db } = deps;
  const toToken = ({ tokenHash: _, ...token }: typeof triggerTokens.$inferSelect): TriggerToken => token;

  return {
    async list(connectionId: string): Promise<TriggerToken[]> {
      if (!isUuid(connectionId)) return [];
      const rows = await db
        .select()
        .from(triggerTokens)
        .where(eq(triggerTokens.connectionId, connectionId))
        .orderBy(desc(triggerTokens.createdAt));
      return rows.map(toToken);
    },
    /** A new token; its value is returned this once. */
    async create(
      actor: string,
      connectionId: string,
      input: unknown,
    ): Promise<{ token: string; info: TriggerToken }> {
      await deps.requireAdmin(actor);
      const [connection] = isUuid(connectionId)
        ? await db.select({ id: connections.id }).from(connections).where(eq(connections.id, connectionId))
        : [];
      if (!connection) throw new HubError('not_found', '連携設定が見つかりません。');
      const parsed = NewTriggerToken.safeParse(input);
      if (!parsed.success) {
        const issues = zodIssues(parsed.error);
        throw new HubError('validation', issues[0]?.message ?? 'トークンの指定に誤りがあります。', {
          issues,
        });
      }
      const token = `${PREFIX}${randomBytes(32).toString('base64url')}`;
      return db.transaction(async (tx) => {
        const [row] = await tx
          .insert(triggerTokens)
          .values({ connectionId, ...parsed.data, tokenHash: hashToken(token), createdBy: actor })
          .returning();
        const info = toToken(row as typeof triggerTokens.$inferSelect);
        await recordAudit(tx as Db, {
          actor: `user:${actor}`,
          action: 'trigger_token.create',
          target: `trigger_token:${info.id}`,
          details: { connectionId, direction: info.direction, name: info.name },
        });
        return { token, info };
      });
    },
    async revoke(actor: string, id: string): Promise<void> {
      await deps.requireAdmin(actor);
      await db.transaction(async (tx) => {
        const [row] = isUuid(id)
          ? await tx
              .update(triggerTokens)
              .set({ revokedAt: new Date(deps.clock.now()) })
              .where(and(eq(triggerTokens.id, id), isNull(triggerTokens.revokedAt)))
              .returning()
          : [];
        if (!row) throw new HubError('not_found', 'トークンが見つからないか、すでに無効です。');
        await recordAudit(tx as Db, {
          actor: `user:${actor}`,
          action: 'trigger_token.revoke',
          target: `trigger_token:${id}`,
          details: { connectionId: row.connectionId, direction: row.direction, name: row.name },
        });
      });
    },
    /** The live token's connection, direction and creator; null for an unknown or revoked token. */
    async authenticate(token: unknown): Promise<TriggerToken | null> {
      if (typeof token !== 'string' || !token.startsWith(PREFIX) || token.length > MAX_TOKEN_LENGTH)
        return null;
      const hash = hashToken(token);
      const [row] = await db.select().from(triggerTokens).where(eq(triggerTokens.tokenHash, hash));
      // The lookup is by hash already; the constant-time compare keeps it honest if that ever changes.
      if (!row || row.revokedAt || !timingSafeEqual(Buffer.from(row.tokenHash), Buffer.from(hash)))
        return null;
      await db
        .update(triggerTokens)
        .set({ lastUsedAt: new Date(deps.clock.now()) })
        .where(eq(triggerTokens.id, row.id));
      return toToken(row);
    },
  };
}

export type TriggerTokens = ReturnType<typeof createTriggerTokens>;
