import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { queryPage } from '../http/forms.ts';
import { chrome, currentUser } from '../http/guard.ts';
import { notificationsPage } from '../views/notifications.ts';

const PAGE_SIZE = 20;

/** Each user's own inbox; marking read changes only the reader's own state, so members may too. */
export const notificationRoutes = new Hono<AppEnv>()
  .get('/notifications', async (c) => {
    const page = queryPage(c);
    const result = await c
      .get('deps')
      .hub.notifications.list(currentUser(c).id, { page, pageSize: PAGE_SIZE });
    return c.html(
      notificationsPage(await chrome(c), {
        items: result.items,
        page,
        pageSize: PAGE_SIZE,
        total: result.total,
      }),
    );
  })
  .post('/notifications/read-all', async (c) => {
    await c.get('deps').hub.notifications.markAllRead(currentUser(c).id);
    return c.redirect('/notifications');
  })
  .post('/notifications/:id/read', async (c) => {
    await c.get('deps').hub.notifications.markRead(currentUser(c).id, c.req.param('id'));
    return c.redirect('/notifications');
  });
