// Bearer personal access tokens: 401 for none, an unknown, revoked or expired one; 403 when the
// token's scope does not cover the route. A token acts as its user (the hub checks that user's role).
import type { ApiTokenAuth, ApiTokenScope } from '@renkei/hub';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { apiError } from './errors.ts';

export interface ApiEnv {
  Variables: AppEnv['Variables'] & { api: ApiTokenAuth };
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

export const authenticateToken: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const token = BEARER.exec(c.req.header('authorization') ?? '')?.[1];
  const auth = token ? await c.get('deps').hub.apiTokens.authenticate(token) : null;
  if (!auth) {
    c.header('www-authenticate', 'Bearer realm="renkei"');
    return apiError(c, 401, 'unauthorized', 'APIトークンがないか、無効・失効・期限切れです。');
  }
  c.set('api', auth);
  return next();
};

/** `read` covers GETs; `sync` covers everything. */
export const requireScope =
  (scope: ApiTokenScope): MiddlewareHandler<ApiEnv> =>
  async (c, next) => {
    const held = c.get('api').token.scope;
    if (scope === 'sync' && held !== 'sync') {
      return apiError(
        c,
        403,
        'scope',
        'このAPIトークンの権限（read）ではこの操作はできません。sync 権限が必要です。',
      );
    }
    return next();
  };

/** Admin-only reads (previews, as in the app): a member's token is refused. */
export const requireAdminUser: MiddlewareHandler<ApiEnv> = async (c, next) => {
  if (c.get('api').user.role !== 'admin') {
    return apiError(c, 403, 'forbidden', 'この操作は管理者のみ実行できます。');
  }
  return next();
};
