// The one-time set-up link: while no user exists, `renkei serve` prints a link whose page creates
// the first admin. The token is random, kept only as its sha256, valid for an hour and used once.
import { randomBytes } from 'node:crypto';
import type { Clock } from '@renkei/core';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../db/adapter.ts';
import { setupTokens } from '../db/schema.ts';
import { HubError } from '../errors.ts';
import { hashToken } from '../token-hash.ts';
import type { createUsers, NewUser, User } from './users.ts';

export const SETUP_TOKEN_TTL_MS = 60 * 60 * 1000;

const INVALID =
  'この初期設定リンクは無効か、期限切れか、使用済みです。renkei serve を再起動すると新しいリンクが表示されます。';

export function createSetup(db: Db, clock: Clock, users: ReturnType<typeof createUsers>) {
  const live = (token: string) =>
    and(
      eq(setupTokens.tokenHash, hashToken(token)),
      isNull(setupTokens.usedAt),
      gt(setupTokens.expiresAt, new Date(clock.now())),
    );
  return {
    /** A new link's token while the installation has no user; undefined once it has one. */
    async issue(): Promise<{ token: string; expiresAt: Date } | undefined> {
      if (!(await users.needsBootstrap())) return undefined;
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(clock.now() + SETUP_TOKEN_TTL_MS);
      await db.insert(setupTokens).values({ tokenHash: hashToken(token), expiresAt });
      return { token, expiresAt };
    },
    /** Whether the link can still create the first admin. */
    async isValid(token: string): Promise<boolean> {
      if (token.length > 200) return false;
      const [row] = await db.select({ hash: setupTokens.tokenHash }).from(setupTokens).where(live(token));
      return row !== undefined && (await users.needsBootstrap());
    },
    /**
     * Creates the first admin and spends the token, in one transaction: a refused password leaves
     * the link usable, and of two submissions at once only one creates an admin.
     */
    async complete(token: string, input: Omit<NewUser, 'role'>): Promise<User> {
      if (token.length > 200) throw new HubError('auth', INVALID);
      return db.transaction(async (tx) => {
        const [spent] = await tx
          .update(setupTokens)
          .set({ usedAt: new Date(clock.now()) })
          .where(live(token))
          .returning({ hash: setupTokens.tokenHash });
        if (!spent) throw new HubError('auth', INVALID);
        return users.bootstrapIn(tx as Db, input);
      });
    },
  };
}
