import { readFileSync } from 'node:fs';
import { Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { API_BASE, createApi } from './api/api.ts';
import { apiError } from './api/errors.ts';
import type { AppDeps, AppEnv } from './http/env.ts';
import { chrome, requireUser } from './http/guard.ts';
import { isAbortedBody, limitBody } from './http/limits.ts';
import { securityHeaders } from './http/security.ts';
import { loadSession, verifyCsrf } from './http/session.ts';
import { authRoutes } from './routes/auth.ts';
import { automationRoutes } from './routes/automation.ts';
import { connectionRoutes } from './routes/connections.ts';
import { connectorRoutes } from './routes/connectors.ts';
import { employeeRoutes } from './routes/employees.ts';
import { integrationRoutes } from './routes/integrations.ts';
import { createLookups } from './routes/lookups.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { runRoutes } from './routes/runs.ts';
import { setupRoutes } from './routes/setup.ts';
import { userRoutes } from './routes/users.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { requestLog } from './server/log.ts';
import { badRequestPage, csrfFailedPage, notFoundPage } from './views/errors.ts';

const STATIC = {
  'app.css': {
    body: readFileSync(new URL('./static/app.css', import.meta.url)),
    type: 'text/css; charset=utf-8',
  },
  'app.js': {
    body: readFileSync(new URL('./static/app.js', import.meta.url)),
    type: 'text/javascript; charset=utf-8',
  },
  'favicon.svg': {
    body: readFileSync(new URL('./static/favicon.svg', import.meta.url)),
    type: 'image/svg+xml',
  },
} as const;

/** Routes whose `:id` is a hub id (a UUID); anything else is 404 before the hub is asked. */
const ID_ROUTES = [
  '/connections/:id',
  '/connections/:id/*',
  '/previews/:id',
  '/previews/:id/*',
  '/runs/:id',
  '/runs/:id/*',
  '/notifications/:id/read',
  '/employees/import/:id',
  '/employees/import/:id/*',
  '/users/:id/*',
  '/api-tokens/:id/*',
  '/outgoing-webhooks/:id/*',
];
const Uuid = z.uuid();

const requireUuidParam: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (Uuid.safeParse(c.req.param('id')).success) return next();
  return c.html(notFoundPage(await chrome(c)), 404);
};

/**
 * Pages carry personal data (bank accounts in the export) and per-session tokens: no cache — the
 * browser's, a proxy's or a shared machine's — may keep any of them.
 */
const noStore: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.header('cache-control', 'no-store');
};

/** The admin app: routes, views and wiring over the hub. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const lookups = createLookups(deps.hub);
  const app = new Hono<AppEnv>();

  if (deps.logger) app.use(...requestLog(deps.logger));
  app.use(securityHeaders());
  app.get('/static/:file', (c) => {
    const file = c.req.param('file');
    // Own keys only: `constructor` or `__proto__` are not files.
    if (!Object.hasOwn(STATIC, file)) return c.notFound();
    const asset = STATIC[file as keyof typeof STATIC];
    return c.body(new Uint8Array(asset.body), 200, {
      'content-type': asset.type,
      'cache-control': 'no-cache',
    });
  });
  app.get('/healthz', (c) => c.text('ok'));
  // Ready to take traffic: the database answers, its migrations are applied, the worker runs when
  // this process should have one, and the process is not shutting down.
  app.get('/readyz', async (c) => {
    const state = await deps.hub.readiness();
    const draining = deps.shutdown?.aborted ?? false;
    const workerOk = (deps.expectWorker ?? true) ? state.worker === 'running' : true;
    const ready = state.database && state.migrations && workerOk && !draining;
    return c.json({ ready, ...state, draining }, ready ? 200 : 503, { 'cache-control': 'no-store' });
  });
  app.use(async (c, next) => {
    c.set('deps', deps);
    c.set('lookups', lookups);
    await next();
  });
  // Vendors' webhooks authenticate with their own token: no session, no CSRF form token.
  app.route('/', webhookRoutes);
  // The HTTP API: bearer tokens, JSON errors, its own body limit; no session, no CSRF form token.
  app.route(API_BASE, createApi());
  app.all(`${API_BASE}/*`, (c) => apiError(c, 404, 'not_found', 'このAPIはありません。'));
  app.use(noStore, loadSession, limitBody, verifyCsrf);
  app.route('/', authRoutes);
  app.route('/', setupRoutes);
  app.use(requireUser);
  app.get('/', (c) => c.redirect('/connections'));
  for (const path of ID_ROUTES) app.use(path, requireUuidParam);
  app.route('/', employeeRoutes);
  app.route('/', connectorRoutes);
  app.route('/', connectionRoutes);
  app.route('/', automationRoutes);
  app.route('/', runRoutes);
  app.route('/', notificationRoutes);
  app.route('/', userRoutes);
  app.route('/', integrationRoutes);

  // With the normal navigation for a signed-in user (a mistyped URL is no dead end).
  app.notFound(async (c) => c.html(notFoundPage(c.get('user') ? await chrome(c) : undefined), 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException && error.status === 403) return c.html(csrfFailedPage(), 403);
    // A client's mistake (a malformed body): its own page, and nothing in the log.
    if ((error instanceof HTTPException && error.status === 400) || isAbortedBody(error)) {
      return c.html(badRequestPage(), 400);
    }
    if (error instanceof HTTPException) return error.getResponse();
    if (deps.logger) {
      deps.logger.error('request failed', {
        requestId: c.get('requestId'),
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    } else console.error(error);
    return c.text('サーバーでエラーが発生しました。時間をおいてもう一度お試しください。', 500);
  });
  return app;
}
