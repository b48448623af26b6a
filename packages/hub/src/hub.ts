import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import {
  type Clock,
  type ConnectorDefinition,
  describeCredentials,
  type Logger,
  silentLogger,
  systemClock,
  tokyoDate,
} from '@renkei/core';
import type { Clock as QueueClock } from 'pg-boss';
import { createAudit } from './audit/audit.ts';
import { createAutomaticSyncs } from './automation/automatic-sync.ts';
import { createSchedules, workSchedules } from './automation/schedules.ts';
import { createTriggerTokens } from './automation/trigger-tokens.ts';
import { createConnections } from './connections/connections.ts';
import type { ContextSources } from './context.ts';
import { type DatabaseTarget, openDatabase } from './db/adapter.ts';
import { withoutQueryData } from './db/errors.ts';
import { createDatabaseReadiness } from './db/readiness.ts';
import { type CsvEncoding, csvHeader, formatEmployeesCsv } from './employees/csv.ts';
import {
  type CsvImportOptions,
  type CsvImportResult,
  IMPORT_BATCH_ROWS,
  importEmployeesCsv,
} from './employees/csv-import.ts';
import { HR_CONNECTOR_ID } from './employees/hr-connector.ts';
import { createImportJobs, type ImportJob } from './employees/import-jobs.ts';
import { createEmployeeStore } from './employees/store.ts';
import { canExportEmployees } from './employees/visibility.ts';
import { HubError } from './errors.ts';
import type { ConnectorInfo, Hub } from './hub-api.ts';
import { type Mailer, startMailer } from './notifications/mailer.ts';
import { createInbox } from './notifications/outbox.ts';
import { createPreviews } from './previews/previews.ts';
import { createExecutor } from './runs/executor.ts';
import { createLeases, DEFAULT_LEASE } from './runs/lease.ts';
import { startQueue } from './runs/queue.ts';
import { createRuns } from './runs/runs.ts';
import { workChunks } from './runs/worker.ts';
import { resolveSecretKey } from './secrets/key.ts';
import { createApiTokens } from './tokens/tokens.ts';
import { createSetup } from './users/setup.ts';
import { createAuth, createUsers, DEFAULT_SESSION_LIMITS, type SessionLimits } from './users/users.ts';
import {
  createWebhooks,
  DEFAULT_WEBHOOK_OPTIONS,
  ensureWebhookQueue,
  type WebhookOptions,
} from './webhooks/webhooks.ts';

export interface HubOptions {
  /** A PostgreSQL server; defaults to `DATABASE_URL`. */
  databaseUrl?: string;
  /** Embedded PGlite persisted here (the default, `./data`, when no server is named). */
  dataDir?: string;
  /** Embedded PGlite in memory (tests). */
  inMemory?: boolean;
  /** The connectors the app offers; the `hr` connector (the HR master) is built in. */
  connectors: readonly ConnectorDefinition[];
  /**
   * base64 of 32 bytes; defaults to `RENKEI_SECRET_KEY`, else (embedded data) a generated key file
   * beside the data folder, never inside it.
   */
  secretKey?: string;
  /** Defaults to `SMTP_URL`; without one, notifications stay in-app. */
  smtpUrl?: string;
  mailFrom?: string;
  /** Work runs in this process (default true). */
  worker?: boolean;
  /** Chunks this process works at once (default 1). */
  workerConcurrency?: number;
  fetch?: typeof globalThis.fetch;
  clock?: Clock;
  logger?: Logger;
  /** Employees per queue job (default 100). */
  chunkSize?: number;
  /** Seconds before a silent worker's chunk is handed to another (default 10, pg-boss minimum). */
  heartbeatSeconds?: number;
  /**
   * Times the queue hands out a chunk whose attempt failed (crashed, lost, interrupted) before it
   * gives up on it and its pending employees fail (default 10).
   */
  chunkRetryLimit?: number;
  /** How often lost chunks are looked for (default 30). */
  superviseSeconds?: number;
  /**
   * Seconds a connection's lease outlives its holder's last heartbeat (default 30): how long a
   * killed worker's connection stays closed to the others.
   */
  leaseSeconds?: number;
  /** First mail retry delay (default 30 s; doubles per attempt). */
  mailRetryMs?: number;
  /** Outbox scan interval (default 10 s). */
  mailPollMs?: number;
  /**
   * The queue's own clock (pg-boss's `TestClock` in tests): when schedules fire. Defaults to the
   * system's.
   */
  queueClock?: QueueClock;
  /** How often `runs.watch` re-reads a run (default 1 s). */
  watchPollMs?: number;
  /**
   * When sessions end: `idleMs` unused (default 2 h) and `absoluteMs` after sign-in (default 12 h);
   * serve and the demo pass RENKEI_SESSION_IDLE_MINUTES and RENKEI_SESSION_MAX_HOURS here.
   */
  session?: Partial<SessionLimits>;
  /**
   * Outgoing webhooks: `policy.allowLoopback` admits http://127.0.0.1 receivers (tests only), and
   * the timeout and backoff of deliveries.
   */
  webhooks?: Partial<WebhookOptions>;
}

function sessionLimits(options: HubOptions): SessionLimits {
  return {
    idleMs: options.session?.idleMs ?? DEFAULT_SESSION_LIMITS.idleMs,
    absoluteMs: options.session?.absoluteMs ?? DEFAULT_SESSION_LIMITS.absoluteMs,
  };
}

function databaseTarget(options: HubOptions): DatabaseTarget {
  if (options.inMemory) return { inMemory: true };
  const databaseUrl = options.databaseUrl ?? (options.dataDir ? undefined : process.env.DATABASE_URL);
  if (databaseUrl) return { databaseUrl };
  return { dataDir: options.dataDir ?? './data' };
}

export async function createHub(options: HubOptions): Promise<Hub> {
  const target = databaseTarget(options);
  const key = resolveSecretKey({
    secretKey: options.secretKey,
    dataDir: 'dataDir' in target ? target.dataDir : undefined,
    inMemory: 'inMemory' in target,
  });
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  // Looked up per call, so a fetch patched later (MSW in the demo and tests) is the one used.
  const fetch =
    options.fetch ?? (((input, init) => globalThis.fetch(input, init)) as typeof globalThis.fetch);
  const sources: ContextSources = { fetch, clock, logger };
  const registry = new Map<string, ConnectorDefinition>();
  for (const connector of options.connectors) {
    if (connector.id === HR_CONNECTOR_ID || registry.has(connector.id)) {
      throw new TypeError(`connector id ${connector.id} is used twice`);
    }
    registry.set(connector.id, connector);
  }

  const database = await openDatabase(target);
  // What is open, closed in reverse by `close()` — or at once when starting fails part way.
  const opened: (() => Promise<unknown>)[] = [database.close];
  async function closeOpened(): Promise<void> {
    const errors: unknown[] = [];
    for (const close of opened.splice(0).reverse()) await close().catch((error) => errors.push(error));
    if (errors.length > 0) throw errors[0];
  }
  try {
    const { db } = database;
    const users = createUsers(db);
    const requireAdmin = users.requireAdmin;
    const store = createEmployeeStore(db);
    const connections = createConnections({ db, key, registry, sources, requireAdmin });
    const previews = createPreviews({ db, store, connections, sources, requireAdmin });
    const progress = new EventEmitter().setMaxListeners(0);
    const boss = database.createQueue(options.superviseSeconds, options.queueClock);
    opened.push(() => boss.stop({ graceful: true, close: true }));
    await startQueue(boss, logger, {
      ...(options.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: options.heartbeatSeconds }),
      ...(options.chunkRetryLimit === undefined ? {} : { retryLimit: options.chunkRetryLimit }),
    });
    const smtpUrl = options.smtpUrl ?? process.env.SMTP_URL;
    let mailer: Mailer | undefined;
    if (smtpUrl) {
      mailer = startMailer({
        db,
        smtpUrl,
        from: options.mailFrom ?? process.env.RENKEI_MAIL_FROM ?? 'renkei@localhost',
        clock,
        logger,
        ...(options.mailRetryMs === undefined ? {} : { backoffMs: options.mailRetryMs }),
        ...(options.mailPollMs === undefined ? {} : { pollMs: options.mailPollMs }),
      });
      opened.push(mailer.stop);
    }
    const leases = createLeases(db, clock, logger, {
      ...DEFAULT_LEASE,
      ...(options.leaseSeconds === undefined ? {} : { ttlMs: options.leaseSeconds * 1000 }),
    });
    await ensureWebhookQueue(boss);
    const webhooks = createWebhooks({
      db,
      boss,
      key,
      clock,
      logger,
      fetch,
      requireAdmin,
      options: { ...DEFAULT_WEBHOOK_OPTIONS, ...options.webhooks },
    });
    const executor = createExecutor({
      webhooks: { record: webhooks.recordRunEnd, send: webhooks.send },
      db,
      store,
      connections,
      previews,
      sources,
      clock,
      logger,
      progress,
      workerId: `${hostname()}:${process.pid}`,
      leases,
      mail: smtpUrl !== undefined,
      onNotified: () => mailer?.kick(),
      ...(options.chunkRetryLimit === undefined ? {} : { chunkRetryLimit: options.chunkRetryLimit }),
    });
    const runs = createRuns({
      db,
      boss,
      previews,
      clock,
      progress,
      requireAdmin,
      finalize: executor.finalize,
      chunkSize: options.chunkSize ?? 100,
      watchPollMs: options.watchPollMs ?? 1_000,
    });
    // Runs a process committed but did not queue (it died in between) continue; finished ones end.
    for (const runId of await runs.queuePending()) await executor.finalize(runId);
    const syncs = createAutomaticSyncs({
      db,
      previews,
      runs,
      leases,
      clock,
      logger,
      mail: smtpUrl !== undefined,
      onNotified: () => mailer?.kick(),
    });
    const schedules = createSchedules({ db, boss, syncs, logger, requireAdmin });
    const tokens = createTriggerTokens({ db, clock, requireAdmin });
    let worker: 'running' | 'off' | 'stopped' = 'off';
    let stopWorker = async () => {};
    if (options.worker !== false) {
      const stopChunks = await workChunks(boss, executor, runs, logger, {
        localConcurrency: options.workerConcurrency ?? 1,
      });
      const stopSchedules = await workSchedules(boss, schedules, logger);
      const stopDeliveries = await webhooks.work();
      await webhooks.queuePending();
      let stopped: Promise<unknown> | undefined;
      stopWorker = async () => {
        worker = 'stopped';
        stopped ??= Promise.all([stopChunks(), stopSchedules(), stopDeliveries()]);
        await stopped;
      };
      worker = 'running';
      opened.push(() => stopWorker());
    }

    const apiTokens = createApiTokens({ db, clock, requireAdmin, getUser: users.get });
    const inbox = createInbox(db);
    const audit = createAudit(db);
    const setup = createSetup(db, clock, users);
    const importBatchRows = IMPORT_BATCH_ROWS[database.kind];
    const imports = createImportJobs(
      (actor, bytes, csv, onProgress, signal) =>
        importEmployeesCsv(database, store, `user:${actor}`, bytes, csv, onProgress, signal, importBatchRows),
      clock,
      (error) => logger.error('CSV import failed', { error: String(withoutQueryData(error)) }),
    );
    // Closed before the database: a running import is stopped and rolled back first.
    opened.push(imports.close);

    const databaseReady = createDatabaseReadiness(database);
    return {
      /** Which database this hub runs on. */
      database: database.kind,
      /** Today in Asia/Tokyo (YYYY-MM-DD) by the hub's clock: what a 処理年度 is reckoned against. */
      today: () => tokyoDate(clock.now()),
      users: {
        needsBootstrap: users.needsBootstrap,
        bootstrap: users.bootstrap,
        create: users.create,
        createByOperator: users.createByOperator,
        list: users.list,
        get: users.get,
        update: users.update,
        setSuccessNotice: users.setSuccessNotice,
        deactivate: users.deactivate,
        reactivate: users.reactivate,
      },
      /** The one-time set-up link that creates the first admin. */
      setup: { issue: setup.issue, isValid: setup.isValid, complete: setup.complete },
      audit: { list: audit.list },
      /**
       * What /readyz reports: the database answers (see db/readiness.ts), every shipped migration is
       * applied, and whether this process works the queue ('off' when left to `renkei worker`).
       */
      async readiness(): Promise<{ database: boolean; migrations: boolean; worker: typeof worker }> {
        return { ...(await databaseReady()), worker };
      },
      auth: createAuth(db, clock, logger, sessionLimits(options)),
      employees: {
        list: store.list,
        get: store.get,
        async create(actor: string, employee: unknown) {
          await requireAdmin(actor);
          return store.create(actor, employee);
        },
        async update(actor: string, code: string, patch: unknown) {
          await requireAdmin(actor);
          return store.update(actor, code, patch);
        },
        /** Every change written to an employee, newest first (who, when, before → after). */
        history: store.history,
        csvColumns: csvHeader,
        async importCsv(
          actor: string,
          bytes: Uint8Array,
          csv: CsvImportOptions = {},
        ): Promise<CsvImportResult> {
          await requireAdmin(actor);
          return importEmployeesCsv(
            database,
            store,
            `user:${actor}`,
            bytes,
            csv,
            undefined,
            undefined,
            importBatchRows,
          );
        },
        /**
         * Starts a CSV import in the background and returns at once; `importJob` tells its
         * progress and, once done, its result. One import runs at a time (HubError `conflict`).
         */
        async startImport(actor: string, bytes: Uint8Array, csv: CsvImportOptions = {}): Promise<ImportJob> {
          await requireAdmin(actor);
          return imports.start(actor, bytes, csv);
        },
        /** An import's progress and result (admins only; null when unknown or long finished). */
        async importJob(actor: string, id: string): Promise<ImportJob | null> {
          await requireAdmin(actor);
          return imports.get(id);
        },
        /** The import as it changes, from memory once the actor is known to be an admin (see HubEmployees). */
        async *followImport(actor: string, id: string, options: { signal?: AbortSignal } = {}) {
          await requireAdmin(actor);
          yield* imports.follow(id, options.signal);
        },
        async exportCsv(actor: string, csv: { encoding?: CsvEncoding } = {}): Promise<Uint8Array> {
          const user = await users.get(actor);
          if (!user || !canExportEmployees(user.role)) {
            throw new HubError('forbidden', '従業員リストのCSV出力は管理者のみ実行できます。');
          }
          const all = [];
          for await (const employee of store.all()) all.push(employee);
          return formatEmployeesCsv(all, csv.encoding ?? 'utf-8');
        },
      },
      connectors: {
        list(): ConnectorInfo[] {
          return [...registry.values()].map((definition) => ({
            id: definition.id,
            displayName: definition.displayName,
            kind: definition.kind,
            ...(definition.description ? { description: definition.description } : {}),
            hasDataAreas: definition.hasDataAreas,
            fields: definition.fields,
            credentialFields: describeCredentials(definition.credentials),
          }));
        },
      },
      connections: {
        list: connections.list,
        get: connections.get,
        test: connections.test,
        create: connections.create,
        update: connections.update,
        remove: connections.remove,
        dataAreas: connections.dataAreas,
        authenticateWebhook: connections.authenticateWebhook,
        newEmployeeDefaults: connections.newEmployeeDefaults,
        setPolicy: connections.setPolicy,
      },
      previews: {
        create: previews.create,
        get: previews.get,
        entries: previews.entries,
        select: previews.select,
      },
      runs: {
        start: runs.start,
        get: runs.get,
        items: runs.items,
        retryFailed: runs.retryFailed,
        cancel: runs.cancel,
        watch: runs.watch,
        history: runs.history,
      },
      notifications: {
        list: inbox.list,
        unreadCount: inbox.unreadCount,
        markRead: inbox.markRead,
        markAllRead: inbox.markAllRead,
        /** Sends due mails now (the mailer also does so on its own schedule). */
        deliverMail: async () => (mailer ? mailer.deliverDue() : 0),
      },
      automation: {
        schedules: {
          list: schedules.list,
          save: schedules.save,
          remove: schedules.remove,
          fireNow: schedules.fireNow,
          nextRuns: schedules.nextRuns,
        },
        history: syncs.history,
        tokens: { list: tokens.list, create: tokens.create, revoke: tokens.revoke },
        async trigger(token: unknown) {
          const found = await tokens.authenticate(token);
          if (!found) return null;
          return syncs.run({
            connectionId: found.connectionId,
            direction: found.direction,
            trigger: 'webhook',
            actor: found.createdBy,
            maxChangePercent: await schedules.maxChangePercent(found.connectionId, found.direction),
          });
        },
        async webhook(verified, input) {
          return syncs.run({
            connectionId: verified.connection.id,
            direction: input.direction,
            trigger: 'webhook',
            actor: verified.actor,
            codes: input.codes,
            maxChangePercent: await schedules.maxChangePercent(verified.connection.id, input.direction),
          });
        },
      },
      apiTokens: {
        create: apiTokens.create,
        list: apiTokens.list,
        revoke: apiTokens.revoke,
        authenticate: apiTokens.authenticate,
        audit: apiTokens.audit,
      },
      webhooks: {
        create: webhooks.create,
        list: webhooks.list,
        remove: webhooks.remove,
        deliveries: webhooks.deliveries,
      },
      /** Stops the worker and the mailer, then closes the queue and the database. */
      stopWorker: () => stopWorker(),
      close: closeOpened,
    };
  } catch (error) {
    await closeOpened().catch(() => {});
    throw error;
  }
}

export type { ConnectorInfo, Hub } from './hub-api.ts';
export { HubError };
