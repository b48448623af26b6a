import type { Clock, Logger } from '@renkei/core';
import { and, eq, isNull, lte, or, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { Db } from '../db/adapter.ts';
import { notifications, users } from '../db/schema.ts';

export interface MailerOptions {
  db: Db;
  smtpUrl: string;
  from: string;
  clock: Clock;
  logger: Logger;
  /** Between outbox scans (a new notification also wakes the loop). */
  pollMs?: number;
  /** First retry delay; doubles per attempt up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Attempts before a mail the server keeps deferring (4xx, no connection) is given up as `failed`. */
  maxAttempts?: number;
  /** How long a claim reserves a mail for this process; every send is cut off well inside it. */
  leaseMs?: number;
}

export interface Mailer {
  /** Sends every due mail once; returns how many were sent. */
  deliverDue(): Promise<number>;
  /** Wakes the loop now (after a notification was queued). */
  kick(): void;
  stop(): Promise<void>;
}

type Claimed = typeof notifications.$inferSelect;

/** What became of one claimed mail. */
type Outcome =
  | { mail: 'sent' }
  | { mail: 'pending'; error: string; retryAt: Date }
  | { mail: 'failed'; error: string };

/** An SMTP reply the server would give again: every 5yz but 503 (RFC 5321; nodemailer's `permanent`). */
function isPermanent(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { permanent?: unknown }).permanent === true;
}

/**
 * Delivers the outbox over SMTP, one claimed mail at a time, with exponential backoff; a mail ends
 * `sent`, or `failed` when it cannot be delivered (5xx, no recipient, too many attempts).
 */
export function startMailer(options: MailerOptions): Mailer {
  const { db, clock, logger } = options;
  const backoffMs = options.backoffMs ?? 30_000;
  const maxBackoffMs = options.maxBackoffMs ?? 60 * 60_000;
  const maxAttempts = options.maxAttempts ?? 8;
  const leaseMs = options.leaseMs ?? 60_000;
  // A send that outlived its lease could be claimed and sent again by another process: each SMTP
  // step times out well inside the lease, and the whole send is aborted at half of it.
  const stepTimeoutMs = leaseMs / 4;
  const sendTimeoutMs = leaseMs / 2;
  const transport = nodemailer.createTransport({
    url: options.smtpUrl,
    connectionTimeout: stepTimeoutMs,
    greetingTimeout: stepTimeoutMs,
    socketTimeout: stepTimeoutMs,
  });

  /** Leases the next due mail; the claim counts as an attempt, so `mailAttempts` is the lease's token. */
  async function claimNext(): Promise<Claimed | undefined> {
    for (;;) {
      const now = new Date(clock.now());
      const due = and(
        eq(notifications.mail, 'pending'),
        or(isNull(notifications.mailNextAttemptAt), lte(notifications.mailNextAttemptAt, now)),
      );
      const [candidate] = await db.select({ id: notifications.id }).from(notifications).where(due).limit(1);
      if (!candidate) return undefined;
      const [row] = await db
        .update(notifications)
        .set({
          mailAttempts: sql`${notifications.mailAttempts} + 1`,
          mailNextAttemptAt: new Date(clock.now() + leaseMs),
        })
        .where(and(eq(notifications.id, candidate.id), due))
        .returning();
      // Another process took it between the two statements: look again.
      if (row) return row;
    }
  }

  async function send(row: Claimed): Promise<Outcome> {
    const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, row.userId));
    if (!user) return { mail: 'failed', error: '宛先のユーザーが存在しません' };
    if (!user.email.trim()) return { mail: 'failed', error: '宛先ユーザーのメールアドレスが未登録です' };
    try {
      await transport.sendMail({
        from: options.from,
        to: user.email,
        subject: row.title,
        text: row.body,
        signal: AbortSignal.timeout(sendTimeoutMs),
      });
      return { mail: 'sent' };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (isPermanent(error))
        return { mail: 'failed', error: `メールサーバーが受け付けませんでした: ${message}` };
      if (row.mailAttempts >= maxAttempts) {
        return {
          mail: 'failed',
          error: `${row.mailAttempts} 回送信できなかったため中止しました: ${message}`,
        };
      }
      const delay = Math.min(maxBackoffMs, backoffMs * 2 ** (row.mailAttempts - 1));
      return { mail: 'pending', error: message, retryAt: new Date(clock.now() + delay) };
    }
  }

  /** Records the outcome only while the lease is still this claim's. */
  async function settle(row: Claimed, outcome: Outcome): Promise<void> {
    const [settled] = await db
      .update(notifications)
      .set(
        outcome.mail === 'sent'
          ? { mail: 'sent', mailSentAt: new Date(clock.now()), mailLastError: null, mailNextAttemptAt: null }
          : outcome.mail === 'failed'
            ? { mail: 'failed', mailLastError: outcome.error, mailNextAttemptAt: null }
            : { mailLastError: outcome.error, mailNextAttemptAt: outcome.retryAt },
      )
      .where(
        and(
          eq(notifications.id, row.id),
          eq(notifications.mail, 'pending'),
          eq(notifications.mailAttempts, row.mailAttempts),
        ),
      )
      .returning({ id: notifications.id });
    const context = { notification: row.id, attempts: row.mailAttempts, ...outcome };
    if (!settled) logger.error('mail lease lost before its outcome was recorded', context);
    else if (outcome.mail === 'failed') logger.error('mail delivery failed; giving up', context);
    else if (outcome.mail === 'pending') logger.warn('mail delivery failed; will retry', context);
  }

  let stopped = false;

  async function deliverDue(): Promise<number> {
    let sent = 0;
    for (let row = await claimNext(); row; row = stopped ? undefined : await claimNext()) {
      const outcome = await send(row);
      await settle(row, outcome);
      if (outcome.mail === 'sent') sent++;
    }
    return sent;
  }

  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    running = running
      .then(deliverDue)
      .catch((error) => logger.error('mail loop failed', { error: String(error) }));
  };
  const timer = setInterval(tick, options.pollMs ?? 10_000);
  timer.unref();

  return {
    deliverDue: () => {
      const next = running.then(deliverDue);
      running = next.catch(() => {});
      return next;
    },
    kick: tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      transport.close();
    },
  };
}
