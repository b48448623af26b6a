import {
  readWebhook,
  tokenMatches,
  WEBHOOK_MAX_BYTES,
  WEBHOOK_TOKEN_HEADER,
} from '@renkei/connector-smarthr';
import { type HubErrorKind, isHubError } from '@renkei/hub';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../http/env.ts';

/** The hub's refusal of the import, as the status a webhook sender understands (4xx: not our fault). */
const STATUS: Partial<Record<HubErrorKind, ContentfulStatusCode>> = {
  validation: 422,
  conflict: 409,
  forbidden: 403,
  not_found: 404,
  check_failed: 502,
};

/**
 * SmartHR's webhook (`crew_created` / `crew_updated`): the 取り込み of the connection, for the crew
 * the event names. Authenticated by the connection's Webhookトークン in `X-SmartHR-Token` (compared in
 * constant time), outside the session and CSRF checks a browser needs; the body is bounded before it
 * is read. The import acts in the name of the admin who set the connection up.
 */
export const webhookRoutes = new Hono<AppEnv>().post(
  '/webhooks/smarthr/:id',
  bodyLimit({ maxSize: WEBHOOK_MAX_BYTES, onError: (c) => c.json({ error: 'payload_too_large' }, 413) }),
  async (c) => {
    const { hub } = c.get('deps');
    const token = c.req.header(WEBHOOK_TOKEN_HEADER);
    const verified = await hub.connections.authenticateWebhook(c.req.param('id'), 'smarthr', (credentials) =>
      tokenMatches(token, credentials.webhookToken),
    );
    // An unknown connection and a wrong token look alike: nothing to learn by guessing ids.
    if (!verified) return c.json({ error: 'unauthorized' }, 401);
    const action = readWebhook(await c.req.json().catch(() => undefined));
    if (action.kind === 'invalid') return c.json({ error: 'invalid_body' }, 400);
    if (action.kind === 'ignore') return c.json({ status: 'ignored', event: action.event }, 202);
    const { actor, connection } = verified;
    const refused = (error: unknown) => {
      if (!isHubError(error)) throw error;
      return c.json({ error: error.kind, message: error.message }, STATUS[error.kind] ?? 400);
    };
    let previewId: string;
    try {
      previewId = (await hub.previews.create(actor, { connectionId: connection.id, direction: 'import' })).id;
    } catch (error) {
      return refused(error);
    }
    // Without a 社員番号 the crew cannot be matched: the fresh 差分 waits for an admin.
    if (!action.employeeCode) return c.json({ status: 'previewed', previewId }, 202);
    try {
      const run = await hub.runs.start(actor, { previewId, selection: { codes: [action.employeeCode] } });
      return c.json({ status: 'started', previewId, runId: run.id }, 202);
    } catch (error) {
      // 差分なし (or not importable): nothing to write, which is not the sender's mistake.
      if (isHubError(error, 'validation')) return c.json({ status: 'unchanged', previewId }, 200);
      return refused(error);
    }
  },
);
