// Personal access tokens of the HTTP API. An admin issues one for a user (itself or a colleague);
// the token acts as that user, narrowed to its scope: `read` reads, `sync` also plans, runs and
// writes 社員名簿 (and only for an active admin). Only the token's sha256 is stored; the token is
// shown once. Revoked, expired, or belonging to a deactivated user, it authenticates nobody.
import { randomBytes } from 'node:crypto';
import type { Clock } from '@renkei/core';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/adapter.ts';
import { API_TOKEN_SCOPES, type ApiTokenScope, apiTokens, users } from '../db/schema.ts';
import { HubError } from '../errors.ts';
import type { ApiToken, ApiTokenAuth, IssuedApiToken } from '../hub-api.ts';
import { hashToken } from '../token-hash.ts';
import type { User } from '../users/users.ts';
import { isUuid, zodIssues } from '../validation.ts';

/** Every token starts so, which lets secret scanners and people recognise one. */
export const API_TOKEN_PREFIX = 'rk_';

export const NewApiToken = z.object({
  userId: z.string().uuid({ error: 'ユーザーを選択してください。' }),
  name: z
    .string()
    .trim()
    .min(1, { error: '名前を入力してください。' })
    .max(100, { error: '名前は100文字以内で入力してください。' }),
  scope: z.enum(API_TOKEN_SCOPES, { error: '権限を選択してください。' }),
  /** Optional; must lie in the future. */
  expiresAt: z.coerce.date({ error: '有効期限を正しい日付で入力してください。' }).optional(),
});
export type NewApiToken = z.input<typeof NewApiToken>;

type Row = typeof apiTokens.$inferSelect;

const toToken = (row: Row): ApiToken => ({
  id: row.id,
  userId: row.userId,
  name: row.name,
  scope: row.scope,
  prefix: row.prefix,
  expiresAt: row.expiresAt,
  lastUsedAt: row.lastUsedAt,
  revokedAt: row.revokedAt,
  createdBy: row.createdBy,
  createdAt: row.createdAt,
});

/** How often `lastUsedAt` is written at most: a busy script does not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export function createApiTokens(deps: {
  db: Db;
  clock: Clock;
  requireAdmin(actor: string): Promise<User>;
  getUser(id: string): Promise<User | null>;
}) {
  const { db, clock } = deps;
  return {
    async create(actor: string, input: NewApiToken): Promise<IssuedApiToken> {
      await deps.requireAdmin(actor);
      const parsed = NewApiToken.safeParse(input);
      if (!parsed.success) {
        throw new HubError('validation', '入力内容に誤りがあります。', { issues: zodIssues(parsed.error) });
      }
      const data = parsed.data;
      if (data.expiresAt && data.expiresAt.getTime() <= clock.now()) {
        throw new HubError('validation', '有効期限は未来の日時にしてください。', {
          issues: [{ field: 'expiresAt' as never, message: '有効期限は未来の日時にしてください。' }],
        });
      }
      const owner = await deps.getUser(data.userId);
      if (!owner || owner.deactivatedAt)
        throw new HubError('validation', 'ユーザーが見つからないか無効です。');
      // A member cannot plan or write, so a token of theirs cannot either.
      if (data.scope === 'sync' && owner.role !== 'admin') {
        throw new HubError('validation', '同期（sync）権限のトークンは管理者にのみ発行できます。');
      }
      const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      return db.transaction(async (tx) => {
        const [row] = await tx
          .insert(apiTokens)
          .values({
            userId: owner.id,
            name: data.name,
            scope: data.scope,
            tokenHash: hashToken(token),
            prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
            expiresAt: data.expiresAt ?? null,
            createdBy: actor,
          })
          .returning();
        const issued = toToken(row as Row);
        await recordAudit(tx as Db, {
          actor: `user:${actor}`,
          action: 'api_token.create',
          target: `api_token:${issued.id}`,
          details: { name: issued.name, scope: issued.scope, userId: owner.id, expiresAt: issued.expiresAt },
        });
        return { token, info: issued };
      });
    },
    /** Every token, newest first (admins only). */
    async list(actor: string): Promise<ApiToken[]> {
      await deps.requireAdmin(actor);
      const rows = await db.select().from(apiTokens).orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
      return rows.map(toToken);
    },
    async revoke(actor: string, id: string): Promise<ApiToken> {
      await deps.requireAdmin(actor);
      if (!isUuid(id)) throw new HubError('not_found', 'トークンが見つかりません。');
      return db.transaction(async (tx) => {
        const [row] = await tx
          .update(apiTokens)
          .set({ revokedAt: new Date(clock.now()) })
          .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
          .returning();
        if (!row) {
          const [existing] = await tx.select().from(apiTokens).where(eq(apiTokens.id, id));
          if (!existing) throw new HubError('not_found', 'トークンが見つかりません。');
          return toToken(existing);
        }
        await recordAudit(tx as Db, {
          actor: `user:${actor}`,
          action: 'api_token.revoke',
          target: `api_token:${row.id}`,
          details: { name: row.name },
        });
        return toToken(row);
      });
    },
    /** The token's user and scope; null for an unknown, revoked or expired token or an inactive user. */
    async authenticate(token: string): Promise<ApiTokenAuth | null> {
      if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 200) return null;
      const [row] = await db
        .select({ token: apiTokens, user: { id: users.id, deactivatedAt: users.deactivatedAt } })
        .from(apiTokens)
        .innerJoin(users, eq(users.id, apiTokens.userId))
        .where(eq(apiTokens.tokenHash, hashToken(token)));
      const now = clock.now();
      if (!row || row.token.revokedAt || row.user.deactivatedAt) return null;
      if (row.token.expiresAt && row.token.expiresAt.getTime() <= now) return null;
      const user = await deps.getUser(row.user.id);
      if (!user) return null;
      if (!row.token.lastUsedAt || now - row.token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
        await db
          .update(apiTokens)
          .set({ lastUsedAt: new Date(now) })
          .where(eq(apiTokens.id, row.token.id));
      }
      return { token: toToken(row.token), user };
    },
    /** Records a change the API made on a token's behalf (who, which token, what). */
    async audit(tokenId: string, details: Record<string, unknown>): Promise<void> {
      await recordAudit(db, { actor: `token:${tokenId}`, action: 'api.request', details });
    },
  };
}

export type ApiTokens = ReturnType<typeof createApiTokens>;
export type { ApiTokenScope };
