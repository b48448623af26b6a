#!/usr/bin/env node
// `renkei worker`: works runs from the queue on the PostgreSQL server at DATABASE_URL, in its own
// process. Connectors are named by module (RENKEI_CONNECTORS or --connectors a,b): each module's
// default export is a ConnectorDefinition or an array of them.
import { parseArgs } from 'node:util';
import type { ConnectorDefinition, Logger } from '@renkei/core';
import { createHub } from '../hub.ts';

const USAGE = 'usage: renkei worker [--connectors <module,…>] [--concurrency <n>]';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    connectors: { type: 'string' },
    concurrency: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

const logger: Logger = {
  debug() {},
  info: (message, data) => console.log(JSON.stringify({ level: 'info', message, ...data })),
  warn: (message, data) => console.warn(JSON.stringify({ level: 'warn', message, ...data })),
  error: (message, data) => console.error(JSON.stringify({ level: 'error', message, ...data })),
};

async function loadConnectors(list: string): Promise<ConnectorDefinition[]> {
  const modules = list
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const loaded = await Promise.all(modules.map((name) => import(name)));
  return loaded.flatMap((module) => module.default as ConnectorDefinition | ConnectorDefinition[]);
}

async function worker(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl)
    throw new Error('DATABASE_URL を設定してください（renkei worker は PostgreSQL サーバーで動きます）。');
  const connectors = await loadConnectors(values.connectors ?? process.env.RENKEI_CONNECTORS ?? '');
  const hub = await createHub({
    databaseUrl,
    connectors,
    worker: true,
    logger,
    ...(values.concurrency ? { workerConcurrency: Number(values.concurrency) } : {}),
    ...(process.env.RENKEI_SUPERVISE_SECONDS
      ? { superviseSeconds: Number(process.env.RENKEI_SUPERVISE_SECONDS) }
      : {}),
    ...(process.env.RENKEI_LEASE_SECONDS ? { leaseSeconds: Number(process.env.RENKEI_LEASE_SECONDS) } : {}),
  });
  logger.info('renkei worker started', { pid: process.pid, connectors: connectors.map((c) => c.id) });
  const stop = async (signal: string) => {
    logger.info('renkei worker stopping', { signal });
    await hub.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

const [command] = positionals;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (command !== 'worker') {
  console.error(USAGE);
  process.exit(2);
}
worker().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
