import { isHubError, type Notification } from '@renkei/hub';
import { type Context, Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { setFlash } from '../http/flash.ts';
import { queryPage, readForm } from '../http/forms.ts';
import { chrome, currentUser } from '../http/guard.ts';
import { type NotificationRun, notificationsPage } from '../views/notifications.ts';

const PAGE_SIZE = 20;

/** The run each notification is about, named the way the rest of the app names it. */
async function runsOf(c: Context<AppEnv>, items: readonly Notification[]) {
  const { hub, connectors } = c.get('deps');
  const connections = await hub.connections.list();
  const runs = new Map<string, NotificationRun>();
  for (const runId of new Set(items.flatMap((item) => (item.runId ? [item.runId] : [])))) {
    const run = await hub.runs.get(runId);
    const connection = connections.find((candidate) => candidate.id === run?.connectionId);
    if (!run || !connection) continue;
    const hasDataAreas =
      connectors.find((connector) => connector.id === connection.connectorId)?.hasDataAreas ?? false;
    const areaNames = await c.get('lookups').areaNames(connection.id, hasDataAreas);
    runs.set(runId, {
      status: run.status,
      direction: run.direction,
      connectionName: connection.displayName,
      dataAreaName: hasDataAreas ? (areaNames.get(run.dataArea) ?? run.dataArea) : undefined,
    });
  }
  return runs;
}

/** Each user's own inbox; marking read changes only the reader's own state, so members may too. */
export const notificationRoutes = new Hono<AppEnv>()
  .get('/notifications', async (c) => {
    const page = queryPage(c);
    const result = await c
      .get('deps')
      .hub.notifications.list(currentUser(c).id, { page, pageSize: PAGE_SIZE });
    return c.html(
      notificationsPage(await chrome(c), {
        successNotice: currentUser(c).successNotice,
        items: result.items,
        runs: await runsOf(c, result.items),
        page,
        pageSize: PAGE_SIZE,
        total: result.total,
      }),
    );
  })
  .post('/notifications/settings', async (c) => {
    const form = await readForm(c);
    try {
      await c.get('deps').hub.users.setSuccessNotice(currentUser(c).id, form.successNotice);
      setFlash(c, { kind: 'success', message: '通知の設定を保存しました。' });
    } catch (error) {
      if (!isHubError(error, 'validation')) throw error;
      setFlash(c, { kind: 'error', message: error.message });
    }
    return c.redirect('/notifications');
  })
  .post('/notifications/read-all', async (c) => {
    await c.get('deps').hub.notifications.markAllRead(currentUser(c).id);
    return c.redirect('/notifications');
  })
  .post('/notifications/:id/read', async (c) => {
    await c.get('deps').hub.notifications.markRead(currentUser(c).id, c.req.param('id'));
    return c.redirect('/notifications');
  });
