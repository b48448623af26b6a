// Outgoing webhooks: when a run ends, its summary (社員番号 and outcome only — no other personal
// data) is posted, signed, to every endpoint of its connection and every global endpoint. The body
// is fixed in the transaction that ends the run (an outbox row per endpoint); a pg-boss job per row
// posts it and the queue retries a failed attempt with exponential backoff. Every attempt is logged.
import { randomBytes } from 'node:crypto';
import type { Clock, Logger } from '@renkei/core';
import { asc, count, desc, eq, isNull, or } from 'drizzle-orm';
import type { Job, PgBoss } from 'pg-boss';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/adapter.ts';
import {
  connections,
  type RunOutcome,
  runItems,
  runs,
  type WebhookAttempt,
  webhookDeliveries,
  webhookEndpoints,
} from '../db/schema.ts';
import { HubError } from '../errors.ts';
import type { IssuedWebhookEndpoint, WebhookDelivery, WebhookEndpoint } from '../hub-api.ts';
import { type Page, type PageRequest, pageOf } from '../paging.ts';
import { ensureQueue } from '../runs/queue.ts';
import { open, seal } from '../secrets/cipher.ts';
import { isUuid } from '../validation.ts';
import { SIGNATURE_HEADER, signatureHeader } from './signature.ts';
import { type WebhookUrlPolicy, webhookUrlProblem } from './url-policy.ts';

export const WEBHOOK_QUEUE = 'renkei-webhook';
export const RUN_FINISHED_EVENT = 'run.finished';

export interface WebhookOptions {
  policy: WebhookUrlPolicy;
  /** Per attempt (default 10 s). */
  timeoutMs: number;
  /** Retries after the first attempt (default 8: about 4 hours with a 60 s first delay). */
  retryLimit: number;
  /** First retry delay in seconds; doubles per retry, with jitter (pg-boss backoff). */
  retryDelaySeconds: number;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = {
  policy: { allowLoopback: false },
  timeoutMs: 10_000,
  retryLimit: 8,
  retryDelaySeconds: 60,
};

/** The most outcomes a payload lists; a larger run's payload says `outcomesTruncated`. */
export const MAX_PAYLOAD_OUTCOMES = 5_000;

/** What an endpoint receives (the README documents it). */
export interface RunFinishedPayload {
  id: string;
  event: typeof RUN_FINISHED_EVENT;
  createdAt: string;
  run: {
    id: string;
    connectionId: string;
    connectionName: string;
    direction: 'import' | 'export';
    dataArea: string;
    status: string;
    total: number;
    counts: Record<string, number>;
    retryOf: string | null;
    startedAt: string | null;
    finishedAt: string | null;
  };
  outcomes: { employeeCode: string; outcome: RunOutcome }[];
  outcomesTruncated: boolean;
}

type EndpointRow = typeof webhookEndpoints.$inferSelect;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;

const toEndpoint = (row: EndpointRow): WebhookEndpoint => ({
  id: row.id,
  connectionId: row.connectionId,
  url: row.url,
  description: row.description,
  createdBy: row.createdBy,
  createdAt: row.createdAt,
});

const toDelivery = (row: DeliveryRow): WebhookDelivery => ({
  id: row.id,
  endpointId: row.endpointId,
  runId: row.runId,
  event: row.event,
  status: row.status,
  attempts: row.attempts,
  createdAt: row.createdAt,
  finishedAt: row.finishedAt,
});

const sealContext = (endpointId: string) => `webhook:${endpointId}`;

/** fetch's "fetch failed" with its cause (ECONNREFUSED, a TLS error…), which tells the admin more. */
function networkError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  return (cause ? `${message}: ${cause}` : message).slice(0, 500);
}

/** The job of one delivery, its id the delivery's: queueing it twice makes one job. */
const deliveryJob = (deliveryId: string) => ({ id: deliveryId, data: { deliveryId } });

export function createWebhooks(deps: {
  db: Db;
  boss: PgBoss;
  key: Buffer;
  clock: Clock;
  logger: Logger;
  fetch: typeof globalThis.fetch;
  requireAdmin(actor: string): Promise<unknown>;
  options: WebhookOptions;
}) {
  const { db, boss, clock, options } = deps;

  async function send(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const job = deliveryJob(id);
      await boss.send(WEBHOOK_QUEUE, job.data, {
        id: job.id,
        retryLimit: options.retryLimit,
        retryDelay: options.retryDelaySeconds,
        retryBackoff: true,
        retryDelayMax: 6 * 60 * 60,
      });
    }
  }

  async function appendAttempt(
    id: string,
    attempt: WebhookAttempt,
    status: DeliveryRow['status'],
  ): Promise<void> {
    const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
    if (!row) return;
    await db
      .update(webhookDeliveries)
      .set({
        attempts: [...row.attempts, attempt],
        status,
        ...(status === 'pending' ? {} : { finishedAt: new Date(clock.now()) }),
      })
      .where(eq(webhookDeliveries.id, id));
  }

  /** One attempt: a 2xx answer delivers; anything else (3xx included: redirects are never followed) fails. */
  async function attempt(delivery: DeliveryRow, endpoint: EndpointRow): Promise<WebhookAttempt> {
    const started = clock.now();
    const at = new Date(started).toISOString();
    const problem = webhookUrlProblem(endpoint.url, options.policy);
    if (problem) return { at, error: problem, durationMs: 0 };
    const secret = open(deps.key, endpoint.secretSealed, sealContext(endpoint.id));
    try {
      const response = await deps.fetch(endpoint.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Renkei-Webhook/1',
          'renkei-event': delivery.event,
          'renkei-delivery': delivery.id,
          [SIGNATURE_HEADER]: signatureHeader(secret, delivery.body, Math.floor(clock.now() / 1000)),
        },
        body: delivery.body,
      });
      await response.body?.cancel().catch(() => {});
      const durationMs = Math.max(0, clock.now() - started);
      if (response.status >= 200 && response.status < 300) return { at, status: response.status, durationMs };
      const error =
        response.status >= 300 && response.status < 400
          ? 'リダイレクトには従いません。'
          : `HTTP ${response.status}`;
      return { at, status: response.status, error, durationMs };
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      return {
        at,
        error: timedOut ? `応答がありません（${options.timeoutMs} ms）` : networkError(error),
        durationMs: Math.max(0, clock.now() - started),
      };
    }
  }

  /** The queue's handler: throws to have pg-boss retry (with backoff) until the retry limit. */
  async function deliver(job: Job<{ deliveryId: string }>): Promise<void> {
    const { deliveryId } = job.data;
    const [row] = await db
      .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints })
      .from(webhookDeliveries)
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(eq(webhookDeliveries.id, deliveryId));
    if (row?.delivery.status !== 'pending') return;
    const result = await attempt(row.delivery, row.endpoint);
    const ok = result.error === undefined;
    const last = job.retryCount >= options.retryLimit;
    await appendAttempt(deliveryId, result, ok ? 'succeeded' : last ? 'failed' : 'pending');
    if (!ok && !last) {
      deps.logger.warn('webhook delivery failed; retrying with backoff', {
        deliveryId,
        attempt: job.retryCount + 1,
        error: result.error,
      });
      throw new Error(result.error);
    }
  }

  return {
    send,
    /**
     * In the transaction that ends a run: one delivery per matching endpoint with its body fixed;
     * returns their ids for `send` once committed.
     */
    async recordRunEnd(tx: Db, runId: string): Promise<string[]> {
      const [run] = await tx.select().from(runs).where(eq(runs.id, runId));
      if (!run) return [];
      const endpoints = await tx
        .select({ id: webhookEndpoints.id })
        .from(webhookEndpoints)
        .where(
          or(isNull(webhookEndpoints.connectionId), eq(webhookEndpoints.connectionId, run.connectionId)),
        );
      if (endpoints.length === 0) return [];
      const [connection] = await tx
        .select({ name: connections.displayName })
        .from(connections)
        .where(eq(connections.id, run.connectionId));
      const items = await tx
        .select({ employeeCode: runItems.employeeCode, outcome: runItems.outcome })
        .from(runItems)
        .where(eq(runItems.runId, runId))
        .orderBy(asc(runItems.seq))
        .limit(MAX_PAYLOAD_OUTCOMES + 1);
      const counts: Record<string, number> = {};
      for (const row of await tx
        .select({ outcome: runItems.outcome, n: count() })
        .from(runItems)
        .where(eq(runItems.runId, runId))
        .groupBy(runItems.outcome)) {
        counts[row.outcome] = row.n;
      }
      const ids: string[] = [];
      for (const endpoint of endpoints) {
        const id = crypto.randomUUID();
        const payload: RunFinishedPayload = {
          id,
          event: RUN_FINISHED_EVENT,
          createdAt: new Date(clock.now()).toISOString(),
          run: {
            id: run.id,
            connectionId: run.connectionId,
            connectionName: connection?.name ?? '',
            direction: run.direction,
            dataArea: run.dataArea,
            status: run.status,
            total: run.total,
            counts,
            retryOf: run.retryOf,
            startedAt: run.startedAt?.toISOString() ?? null,
            finishedAt: run.finishedAt?.toISOString() ?? null,
          },
          outcomes: items.slice(0, MAX_PAYLOAD_OUTCOMES),
          outcomesTruncated: items.length > MAX_PAYLOAD_OUTCOMES,
        };
        await tx.insert(webhookDeliveries).values({
          id,
          endpointId: endpoint.id,
          runId,
          event: RUN_FINISHED_EVENT,
          body: JSON.stringify(payload),
          status: 'pending',
        });
        ids.push(id);
      }
      return ids;
    },
    /** Deliveries a process committed but did not queue (it died in between): queued again. */
    async queuePending(): Promise<void> {
      const pending = await db
        .select({ id: webhookDeliveries.id })
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.status, 'pending'));
      await send(pending.map((row) => row.id));
    },
    /** Registers this process as a deliverer; returns a function that stops it. */
    async work(): Promise<() => Promise<void>> {
      await boss.work<{ deliveryId: string }>(
        WEBHOOK_QUEUE,
        { batchSize: 1, pollingIntervalSeconds: 1 },
        async ([job]) => {
          if (job) await deliver(job);
        },
      );
      return () => boss.offWork(WEBHOOK_QUEUE, { wait: true });
    },
    async create(
      actor: string,
      input: { url: string; connectionId?: string | null; description?: string },
    ): Promise<IssuedWebhookEndpoint> {
      await deps.requireAdmin(actor);
      const url = String(input.url ?? '').trim();
      const problem = webhookUrlProblem(url, options.policy);
      if (problem)
        throw new HubError('validation', problem, { issues: [{ field: 'url' as never, message: problem }] });
      const description = String(input.description ?? '')
        .trim()
        .slice(0, 200);
      const connectionId = input.connectionId || null;
      if (connectionId !== null) {
        const [exists] = isUuid(connectionId)
          ? await db.select({ id: connections.id }).from(connections).where(eq(connections.id, connectionId))
          : [];
        if (!exists) throw new HubError('validation', '連携先が見つかりません。');
      }
      const id = crypto.randomUUID();
      const secret = `whsec_${randomBytes(32).toString('base64url')}`;
      return db.transaction(async (tx) => {
        const [row] = await tx
          .insert(webhookEndpoints)
          .values({
            id,
            url,
            connectionId,
            description,
            secretSealed: seal(deps.key, secret, sealContext(id)),
            createdBy: actor,
          })
          .returning();
        await recordAudit(tx as Db, {
          actor: `user:${actor}`,
          action: 'webhook.create',
          target: `webhook:${id}`,
          details: { url, connectionId },
        });
        return { secret, endpoint: toEndpoint(row as EndpointRow) };
      });
    },
    async list(actor: string): Promise<WebhookEndpoint[]> {
      await deps.requireAdmin(actor);
      const rows = await db.select().from(webhookEndpoints).orderBy(asc(webhookEndpoints.createdAt));
      return rows.map(toEndpoint);
    },
    async remove(actor: string, id: string): Promise<void> {
      await deps.requireAdmin(actor);
      if (!isUuid(id)) throw new HubError('not_found', 'Webhookが見つかりません。');
      await db.transaction(async (tx) => {
        const [row] = await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id)).returning();
        if (!row) throw new HubError('not_found', 'Webhookが見つかりません。');
        await recordAudit(tx as Db, {
          actor: `user:${actor}`,
          action: 'webhook.delete',
          target: `webhook:${id}`,
          details: { url: row.url },
        });
      });
    },
    /** The delivery log, newest first: one endpoint's, or every endpoint's. */
    async deliveries(
      actor: string,
      request: PageRequest & { endpointId?: string } = {},
    ): Promise<Page<WebhookDelivery>> {
      await deps.requireAdmin(actor);
      if (request.endpointId !== undefined && !isUuid(request.endpointId)) {
        return pageOf(request, async () => ({ items: [], total: 0 }));
      }
      const where = request.endpointId ? eq(webhookDeliveries.endpointId, request.endpointId) : undefined;
      return pageOf(request, async (limit, offset) => {
        const [rows, [total]] = await Promise.all([
          db
            .select()
            .from(webhookDeliveries)
            .where(where)
            .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
            .limit(limit)
            .offset(offset),
          db.select({ n: count() }).from(webhookDeliveries).where(where),
        ]);
        return { items: rows.map(toDelivery), total: total?.n ?? 0 };
      });
    },
  };
}

/** The queue the deliveries use (created once, like the run chunks' queue). */
export async function ensureWebhookQueue(boss: PgBoss): Promise<void> {
  await ensureQueue(boss, WEBHOOK_QUEUE, {});
}

export type Webhooks = ReturnType<typeof createWebhooks>;
