import { isHubError, RUN_TALLIES } from '@renkei/hub';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { AppEnv } from '../http/env.ts';
import { setFlash } from '../http/flash.ts';
import { queryPage } from '../http/forms.ts';
import { chrome, currentUser, isAdmin, requireAdmin } from '../http/guard.ts';
import { notFoundPage } from '../views/errors.ts';
import { runDetailPage, tallyOutcomes } from '../views/runs.ts';
import { isActive, progressPayload } from '../views/runs-common.ts';

const ITEMS_PAGE_SIZE = 50;
const OutcomeFilter = z.enum(RUN_TALLIES).optional().catch(undefined);

export const runRoutes = new Hono<AppEnv>()
  .get('/runs/:id', async (c) => {
    const { hub } = c.get('deps');
    const run = await hub.runs.get(c.req.param('id'));
    const connection = run ? await hub.connections.get(run.connectionId) : null;
    if (!run || !connection) return c.html(notFoundPage(await chrome(c)), 404);
    const outcome = OutcomeFilter.parse(c.req.query('outcome') || undefined);
    const page = queryPage(c);
    const lookups = c.get('lookups');
    const hasDataAreas =
      c.get('deps').connectors.find((connector) => connector.id === connection.connectorId)?.hasDataAreas ??
      false;
    const [items, userNames, areaNames] = await Promise.all([
      hub.runs.items(run.id, {
        ...(outcome ? { outcome: tallyOutcomes(outcome) } : {}),
        page,
        pageSize: ITEMS_PAGE_SIZE,
      }),
      lookups.userNames(),
      lookups.areaNames(connection.id, hasDataAreas),
    ]);
    return c.html(
      runDetailPage(await chrome(c), {
        run,
        connection,
        dataAreaName: hasDataAreas ? (areaNames.get(run.dataArea) ?? run.dataArea) : undefined,
        startedByName: userNames.get(run.startedBy) ?? '—',
        items: items.items,
        outcomeFilter: outcome,
        page,
        pageSize: ITEMS_PAGE_SIZE,
        itemTotal: items.total,
        canManage: isAdmin(c),
      }),
    );
  })
  .get('/runs/:id/events', async (c) => {
    const { hub, shutdown } = c.get('deps');
    const run = await hub.runs.get(c.req.param('id'));
    if (!run) return c.text('not found', 404);
    return streamSSE(c, async (stream) => {
      const abort = new AbortController();
      stream.onAbort(() => abort.abort());
      // A shutting-down server ends the stream so its drain is not held open; the page reconnects.
      const signal = shutdown ? AbortSignal.any([abort.signal, shutdown]) : abort.signal;
      let last = run;
      await stream.writeSSE({ event: 'progress', data: JSON.stringify(progressPayload(run)) });
      if (isActive(run.status)) {
        for await (const update of hub.runs.watch(run.id, { signal })) {
          last = update;
          await stream.writeSSE({ event: 'progress', data: JSON.stringify(progressPayload(update)) });
        }
      }
      if (!signal.aborted)
        await stream.writeSSE({ event: 'end', data: JSON.stringify(progressPayload(last)) });
    });
  })
  .post('/runs/:id/cancel', requireAdmin, async (c) => {
    const id = c.req.param('id');
    try {
      const run = await c.get('deps').hub.runs.cancel(currentUser(c).id, id);
      setFlash(c, {
        kind: 'success',
        message:
          run.status === 'cancelled'
            ? '同期を中止しました。'
            : '中止を受け付けました。書き込み中のバッチが終わったところで止まります。',
      });
    } catch (error) {
      if (!isHubError(error)) throw error;
      if (error.kind === 'not_found') return c.html(notFoundPage(await chrome(c)), 404);
      setFlash(c, { kind: 'error', message: error.message });
    }
    return c.redirect(`/runs/${id}`);
  })
  .post('/runs/:id/retry', requireAdmin, async (c) => {
    const id = c.req.param('id');
    try {
      const retry = await c.get('deps').hub.runs.retryFailed(currentUser(c).id, id);
      setFlash(c, { kind: 'success', message: `失敗した ${retry.total} 名の再同期を開始しました。` });
      return c.redirect(`/runs/${retry.id}`);
    } catch (error) {
      if (!isHubError(error)) throw error;
      if (error.kind === 'not_found') return c.html(notFoundPage(await chrome(c)), 404);
      setFlash(c, { kind: 'error', message: error.message });
      return c.redirect(`/runs/${id}`);
    }
  });
