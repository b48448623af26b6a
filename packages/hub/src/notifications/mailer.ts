import type { Clock, Logger } from '@renkei/core';
import { and, eq, isNull, lte, or } from 'drizzle-orm';
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
}

export interface Mailer {
  /** Sends every due mail once; returns how many were sent. */
  deliverDue(): Promise<number>;
  /** Wakes the loop now (after a notification was queued). */
  kick(): void;
  stop(): Promise<void>;
}

/** Lease while one process sends, so two processes do not both send one mail. */
const LEASE_MS = 60_000;
const BATCH = 20;

/** Delivers the outbox over SMTP: claimed rows, exponential backoff, nothing dropped on failure. */
export function startMailer(options: MailerOptions): Mailer {
  const { db, clock, logger } = options;
  const backoffMs = options.backoffMs ?? 30_000;
  const maxBackoffMs = options.maxBackoffMs ?? 60 * 60_000;
  const transport = nodemailer.createTransport(options.smtpUrl);

  async function claimDue() {
    const now = new Date(clock.now());
    const due = await db
      .select({ id: notifications.id })
      .from(notifications)
      .where(
        and(
          eq(notifications.mail, 'pending'),
          or(isNull(notifications.mailNextAttemptAt), lte(notifications.mailNextAttemptAt, now)),
        ),
      )
      .limit(BATCH);
    const claimed = [];
    for (const { id } of due) {
      const [row] = await db
        .update(notifications)
        .set({ mailNextAttemptAt: new Date(clock.now() + LEASE_MS) })
        .where(
          and(
            eq(notifications.id, id),
            eq(notifications.mail, 'pending'),
            or(isNull(notifications.mailNextAttemptAt), lte(notifications.mailNextAttemptAt, now)),
          ),
        )
        .returning();
      if (row) claimed.push(row);
    }
    return claimed;
  }

  async function deliverDue(): Promise<number> {
    let sent = 0;
    for (const row of await claimDue()) {
      const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, row.userId));
      if (!user) continue;
      try {
        await transport.sendMail({ from: options.from, to: user.email, subject: row.title, text: row.body });
        await db
          .update(notifications)
          .set({
            mail: 'sent',
            mailSentAt: new Date(clock.now()),
            mailAttempts: row.mailAttempts + 1,
            mailLastError: null,
          })
          .where(eq(notifications.id, row.id));
        sent++;
      } catch (error) {
        const attempts = row.mailAttempts + 1;
        const delay = Math.min(maxBackoffMs, backoffMs * 2 ** (attempts - 1));
        const message = error instanceof Error ? error.message : String(error);
        logger.warn('mail delivery failed; will retry', { notification: row.id, attempts, delay, message });
        await db
          .update(notifications)
          .set({
            mailAttempts: attempts,
            mailLastError: message,
            mailNextAttemptAt: new Date(clock.now() + delay),
          })
          .where(eq(notifications.id, row.id));
      }
    }
    return sent;
  }

  let stopped = false;
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
