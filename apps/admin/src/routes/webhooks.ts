import {
  readWebhook,
  tokenMatches,
  WEBHOOK_MAX_BYTES,
  WEBHOOK_TOKEN_HEADER,
} from '@renkei/connector-smarthr';
import { type AutomaticSync, type HubErrorKind, isHubError } from '@renkei/hub';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { errorBody } from '../api/errors.ts';
import type { AppEnv } from '../http/env.ts';
import { formatBytes } from '../http/limits.ts';

/** The hub's refusal, as the status a webhook sender understands (4xx: not our fault). */
const STATUS: Partial<Record<HubErrorKind, ContentfulStatusCode>> = {
  validation: 422,
  conflict: 409,
  forbidden: 403,
  not_found: 404,
  check_failed: 502,
};

/** What an incoming webhook may send at most (it is only read to be judged, never stored). */
const TRIGGER_MAX_BYTES = 64 * 1024;

/**
 * Refuses a body over `maxSize` with 413 before it is read (a declared Content-Length at once, a
 * chunked body as it passes the limit), as the API's error (`kind` the code, the message in Japanese).
 */
const bounded = (maxSize: number) =>
  bodyLimit({
    maxSize,
    // Connection: close — the unread rest of the body is not waited for.
    onError: (c) =>
      c.json(errorBody('payload_too_large', `本文は ${formatBytes(maxSize)} までです。`), 413, {
        connection: 'close',
      }),
  });

function refused(c: Context<AppEnv>, error: unknown) {
  if (!isHubError(error)) throw error;
  return c.json({ error: error.kind, message: error.message }, STATUS[error.kind] ?? 400);
}

/**
 * One automatic sync's answer, whichever webhook started it: 202 while a run goes on or a stopped
 * plan waits for an admin, 200 when there was nothing to write, 409 while the connection is busy.
 */
function answer(c: Context<AppEnv>, sync: AutomaticSync) {
  const ids = {
    ...(sync.previewId ? { previewId: sync.previewId } : {}),
    ...(sync.runId ? { runId: sync.runId } : {}),
  };
  switch (sync.outcome) {
    case 'started':
      return c.json({ status: 'started', ...ids }, 202);
    case 'stopped':
      return c.json({ status: 'stopped', reason: sync.reason, ...ids }, 202);
    case 'unchanged':
      return c.json({ status: 'unchanged', ...ids }, 200);
    case 'skipped':
      return c.json({ status: 'skipped', reason: sync.reason }, 409);
    default:
      return c.json({ status: 'failed', reason: sync.reason }, 502);
  }
}

/**
 * Incoming webhooks, outside the session and CSRF checks a browser needs; each body is bounded
 * before it is read, and an unknown connection, a wrong or a revoked token look alike (401). Both
 * start the one automatic sync the hub runs for schedules (same policy, guard rails, record).
 */
export const webhookRoutes = new Hono<AppEnv>()
  /**
   * Any HR system's webhook: `Authorization: Bearer <token>` (a trigger token issued on the
   * connection's スケジュール page) starts that token's connection and direction. The body is ignored.
   */
  .post('/webhooks/sync', bounded(TRIGGER_MAX_BYTES), async (c) => {
    const header = c.req.header('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
    // Read (and so bounded) before anything else, even though its content does not matter.
    await c.req.arrayBuffer();
    try {
      const sync = await c.get('deps').hub.automation.trigger(token);
      if (!sync) return c.json({ error: 'unauthorized' }, 401);
      return answer(c, sync);
    } catch (error) {
      return refused(c, error);
    }
  })
  /**
   * SmartHR's webhook (`crew_created` / `crew_updated`): the 取り込み of the connection, for the crew
   * the event names. Authenticated by the connection's Webhookトークン in `X-SmartHR-Token` (compared
   * in constant time). It acts in the name of the admin who set the connection up.
   */
  .post('/webhooks/smarthr/:id', bounded(WEBHOOK_MAX_BYTES), async (c) => {
    const { hub } = c.get('deps');
    const token = c.req.header(WEBHOOK_TOKEN_HEADER);
    const verified = await hub.connections.authenticateWebhook(c.req.param('id'), 'smarthr', (credentials) =>
      tokenMatches(token, credentials.webhookToken),
    );
    if (!verified) return c.json({ error: 'unauthorized' }, 401);
    const action = readWebhook(await c.req.json().catch(() => undefined));
    if (action.kind === 'invalid') return c.json({ error: 'invalid_body' }, 400);
    if (action.kind === 'ignore') return c.json({ status: 'ignored', event: action.event }, 202);
    try {
      // Without a 社員番号 the crew cannot be matched: a fresh 差分 waits for an admin.
      if (!action.employeeCode) {
        const preview = await hub.previews.create(verified.actor, {
          connectionId: verified.connection.id,
          direction: 'import',
        });
        return c.json({ status: 'previewed', previewId: preview.id }, 202);
      }
      const sync = await hub.automation.webhook(verified, {
        direction: 'import',
        codes: [action.employeeCode],
      });
      return answer(c, sync);
    } catch (error) {
      return refused(c, error);
    }
  });
