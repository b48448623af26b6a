import type { User } from '@renkei/hub';
import type { Context, MiddlewareHandler } from 'hono';
import { forbiddenPage } from '../views/errors.ts';
import type { PageChrome } from '../views/layout.ts';
import type { AppEnv } from './env.ts';
import { takeFlash } from './flash.ts';

/** Signed-out visitors go to the sign-in page (pages) or get 401 (anything else). */
export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get('user')) return next();
  if (c.req.method === 'GET' && c.req.header('accept') !== 'text/event-stream') {
    const next = `${new URL(c.req.url).pathname}${new URL(c.req.url).search}`;
    return c.redirect(`/login?${new URLSearchParams({ next })}`);
  }
  return c.text('ログインしてください。', 401);
};

/** Configuring connections and running syncs is for admins; members get 403. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get('user')?.role === 'admin') return next();
  return c.html(forbiddenPage(await chrome(c)), 403);
};

export function currentUser(c: Context<AppEnv>): User {
  const user = c.get('user');
  if (!user) throw new Error('requireUser must run before this handler');
  return user;
}

export const isAdmin = (c: Context<AppEnv>): boolean => c.get('user')?.role === 'admin';

/** The header data every signed-in page shows. */
export async function chrome(c: Context<AppEnv>): Promise<PageChrome> {
  const user = currentUser(c);
  return {
    viewer: { name: user.name, email: user.email, role: user.role },
    unread: await c.get('deps').hub.notifications.unreadCount(user.id),
    csrfToken: c.get('csrfToken'),
    flash: takeFlash(c),
  };
}
