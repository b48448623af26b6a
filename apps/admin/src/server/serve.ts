// `renkei serve`: the admin app and (unless RENKEI_WORKER=0) the queue worker, against the vendors'
// real hosts. No fake and no request interception here; only the loopback-only test override.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { ConnectorDefinition, Logger } from '@renkei/core';
import { createHub, type Hub } from '@renkei/hub';
import { createApp } from '../app.ts';
import type { RenkeiConfig } from '../config/config.ts';
import { overridingFetch } from '../config/vendor-urls.ts';
import { drainThenClose } from './drain.ts';

/** SIGTERM to exit: a chunk in flight gets this long to finish before the process gives up on it. */
export const DRAIN_LIMIT_MS = 28_000;

export interface Server {
  url: string;
  hub: Hub;
  /** Stops taking requests and jobs, lets the chunk in flight finish, closes the database. */
  close(): Promise<void>;
}

/** The hub with this configuration: database, key, mail, worker, and the vendor override if any. */
export async function openHub(
  config: RenkeiConfig,
  connectors: readonly ConnectorDefinition[],
  logger: Logger,
  extra: { worker?: boolean; workerConcurrency?: number } = {},
): Promise<Hub> {
  if (config.vendorOverrides.length > 0) {
    logger.warn(
      'RENKEI_VENDOR_BASE_URLS is set: vendor requests go to loopback fakes. TEST ONLY, never in production.',
      {
        overrides: config.vendorOverrides,
      },
    );
  }
  if (config.webhookAllowLoopback) {
    logger.warn(
      'RENKEI_WEBHOOK_ALLOW_LOOPBACK is set: webhooks may go to loopback http:// receivers. TEST ONLY.',
    );
  }
  return createHub({
    ...config.database,
    webhooks: { policy: { allowLoopback: config.webhookAllowLoopback } },
    connectors,
    // `renkei users` touches no credentials: a throwaway key, so it never creates a key file.
    secretKey: config.secretKey ?? (config.mode === 'users' ? randomBytes(32).toString('base64') : undefined),
    ...(config.smtpUrl ? { smtpUrl: config.smtpUrl } : {}),
    ...(config.mailFrom ? { mailFrom: config.mailFrom } : {}),
    worker: extra.worker ?? config.worker,
    session: config.session,
    ...(extra.workerConcurrency ? { workerConcurrency: extra.workerConcurrency } : {}),
    logger,
    fetch: overridingFetch(config.vendorOverrides),
  });
}

export async function startServer(
  config: RenkeiConfig,
  connectors: readonly ConnectorDefinition[],
  logger: Logger,
): Promise<Server> {
  const hub = await openHub(config, connectors, logger);
  const shutdown = new AbortController();
  const app = createApp({
    hub,
    connectors,
    logger,
    trustProxy: config.trustProxy,
    maxImportBytes: config.maxImportBytes,
    expectWorker: config.worker,
    shutdown: shutdown.signal,
  });
  const server = serve({
    fetch: app.fetch,
    port: config.port,
    hostname: config.host,
    // The picker keeps an explicit selection in the URL.
    serverOptions: { maxHeaderSize: 256 * 1024 },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
  } catch (error) {
    await hub.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host.replace(/^\[|\]$/g, '')}]` : config.host;
  const url = config.publicUrl ?? `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  logger.info('renkei serve started', {
    url,
    listen: `${config.host}:${port}`,
    database: hub.database,
    worker: config.worker,
    pid: process.pid,
  });
  return {
    url,
    hub,
    async close() {
      shutdown.abort();
      // The worker stops taking chunks at once (the one in flight finishes) while requests in flight
      // are answered (bounded); only then does the hub close the database under them.
      await drainThenClose(server, { stopWork: () => hub.stopWorker(), closeRest: () => hub.close() });
    },
  };
}

/** While nobody can sign in, a one-time link that creates the first admin (printed at start). */
export async function setupLink(server: Server): Promise<string | undefined> {
  const link = await server.hub.setup.issue();
  return link ? `${server.url}/setup?${new URLSearchParams({ token: link.token })}` : undefined;
}
