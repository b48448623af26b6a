import type { AddressInfo } from 'node:net';
import { type Logger, systemClock } from '@renkei/core';
import { eq, sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../db/adapter.ts';
import { type NotificationPayload, notifications, RUN_OUTCOMES, users } from '../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../testing/database.ts';
import { type Mailer, type MailerOptions, startMailer } from './mailer.ts';

// Recipients the SMTP server treats specially; everyone else is accepted after `acceptDelayMs`.
const UNKNOWN = 'nobody@example.jp';
const BUSY = 'busy@example.jp';

interface Delivery {
  from: string;
  to: string;
  subject: string;
}

const deliveries: Delivery[] = [];
/** When the server was asked to deliver to each recipient (accepted or not). */
const rcptAt = new Map<string, number[]>();
let connections = 0;
let acceptDelayMs = 0;
/** Runs while the server holds a mail, before it answers. */
let whileAccepting: (() => Promise<unknown>) | undefined;

function startSmtp(): Promise<SMTPServer & { port: number }> {
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onRcptTo(address, _session, callback) {
      rcptAt.set(address.address, [...(rcptAt.get(address.address) ?? []), Date.now()]);
      if (address.address === UNKNOWN) {
        return callback(
          Object.assign(new Error('5.1.1 <nobody@example.jp>: Recipient address rejected: User unknown'), {
            responseCode: 550,
          }),
        );
      }
      if (address.address === BUSY) {
        return callback(Object.assign(new Error('4.7.1 Try again later'), { responseCode: 451 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const subject = /^Subject: (.*)$/m.exec(Buffer.concat(chunks).toString('utf8'))?.[1] ?? '';
        for (const rcpt of session.envelope.rcptTo)
          deliveries.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: rcpt.address,
            subject,
          });
        // A slow server: the mail is accepted, but only after a while.
        setTimeout(() => {
          Promise.resolve(whileAccepting?.()).then(() => callback(), callback);
        }, acceptDelayMs);
      });
    },
  });
  return new Promise((resolve) => {
    const listener = smtp.listen(0, '127.0.0.1', () => {
      resolve(Object.assign(smtp, { port: (listener.address() as AddressInfo).port }));
    });
  });
}

const errors: { message: string; data?: Record<string, unknown> }[] = [];
const logger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error: (message, data) => errors.push({ message, ...(data ? { data } : {}) }),
};

let smtp: SMTPServer & { port: number };
let testDatabase: TestDatabase;
let database: Database;
/** A second connection to the same database, as another worker process has (PGlite has only one). */
let otherProcess: Database;
const mailers: Mailer[] = [];

beforeAll(async () => {
  smtp = await startSmtp();
  testDatabase = await createTestDatabase();
  database = await openDatabase(testDatabase.target);
  otherProcess = 'databaseUrl' in testDatabase.target ? await openDatabase(testDatabase.target) : database;
});
afterEach(async () => {
  await Promise.all(mailers.splice(0).map((mailer) => mailer.stop()));
  // Each test starts from an empty outbox: what one leaves pending must not fall due in the next.
  await database.db.delete(notifications);
  deliveries.length = 0;
  rcptAt.clear();
  errors.length = 0;
  connections = 0;
  acceptDelayMs = 0;
  whileAccepting = undefined;
});
afterAll(async () => {
  if (otherProcess !== database) await otherProcess.close();
  await database.close();
  await testDatabase.drop();
  smtp.close();
});

function mailer(options: Partial<MailerOptions> = {}, db = database.db): Mailer {
  const started = startMailer({
    db,
    smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
    from: 'renkei@example.jp',
    clock: systemClock,
    logger,
    pollMs: 60 * 60_000,
    ...options,
  });
  mailers.push(started);
  return started;
}

async function userWith(email: string): Promise<string> {
  const [user] = await database.db
    .insert(users)
    .values({ email, name: '利用者', role: 'admin', passwordHash: 'x' })
    .onConflictDoUpdate({ target: users.email, set: { name: '利用者' } })
    .returning({ id: users.id });
  if (!user) throw new Error('no user');
  return user.id;
}

const counts = Object.fromEntries(
  RUN_OUTCOMES.map((outcome) => [outcome, 0]),
) as NotificationPayload['counts'];

function pendingMail(userId: string, title: string): typeof notifications.$inferInsert {
  return {
    userId,
    title,
    body: '本文',
    payload: { counts: { ...counts, failed: 1 }, failures: [] },
    mail: 'pending',
  };
}

async function queue(userId: string, title: string): Promise<string> {
  const [row] = await database.db
    .insert(notifications)
    .values(pendingMail(userId, title))
    .returning({ id: notifications.id });
  if (!row) throw new Error('not queued');
  return row.id;
}

async function outboxRow(id: string) {
  const [row] = await database.db.select().from(notifications).where(eq(notifications.id, id));
  return row;
}

describe('mailer', () => {
  it('delivers each mail exactly once when two processes share the outbox and the server is slow', async () => {
    const userId = await userWith('admin@example.jp');
    const titles = Array.from({ length: 20 }, (_, i) => `mail-${i}`);
    const ids: string[] = [];
    for (const title of titles) ids.push(await queue(userId, title));
    // 20 mails at ~300 ms each take longer than one lease: leasing a batch up front would let the
    // other process re-claim (and send again) the tail of the batch.
    acceptDelayMs = 300;
    const looping = { leaseMs: 4_000, pollMs: 50 };
    const processes = [
      mailer({ ...looping, from: 'a@example.jp' }),
      mailer({ ...looping, from: 'b@example.jp' }, otherProcess.db),
    ];
    await expect
      .poll(async () => (await Promise.all(ids.map(outboxRow))).every((row) => row?.mail === 'sent'), {
        timeout: 30_000,
        interval: 100,
      })
      .toBe(true);
    await Promise.all(processes.map((worker) => worker.stop()));

    // Both processes took part.
    expect(new Set(deliveries.map((delivery) => delivery.from))).toEqual(
      new Set(['a@example.jp', 'b@example.jp']),
    );
    expect(deliveries.map((delivery) => delivery.subject).sort()).toEqual([...titles].sort());
    for (const id of ids) {
      expect(await outboxRow(id)).toMatchObject({ mail: 'sent', mailAttempts: 1, mailLastError: null });
    }
    expect(errors).toEqual([]);
  });

  it('does not record a mail as its own once another claim took the row over', async () => {
    const id = await queue(await userWith('admin@example.jp'), 'taken over');
    // What another process does once this one's lease has run out: claim the row (a new attempt).
    whileAccepting = () =>
      database.db
        .update(notifications)
        .set({ mailAttempts: sql`${notifications.mailAttempts} + 1` })
        .where(eq(notifications.id, id));

    expect(await mailer().deliverDue()).toBe(1);
    expect(await outboxRow(id)).toMatchObject({ mail: 'pending', mailAttempts: 2, mailSentAt: null });
    expect(errors).toMatchObject([
      { message: 'mail lease lost before its outcome was recorded', data: { notification: id, attempts: 1 } },
    ]);
  });

  it('cuts a send off well inside its lease when the server hangs, and retries it later', async () => {
    const id = await queue(await userWith('admin@example.jp'), 'hung');
    let answered = false;
    acceptDelayMs = 3_000;
    whileAccepting = async () => {
      answered = true;
    };

    expect(await mailer({ leaseMs: 800, backoffMs: 60_000 }).deliverDue()).toBe(0);
    expect(answered).toBe(false);
    const row = await outboxRow(id);
    expect(row).toMatchObject({ mail: 'pending', mailAttempts: 1 });
    expect(row?.mailLastError).toMatch(/timeout|abort/i);
    expect(row?.mailNextAttemptAt?.getTime()).toBeGreaterThan(Date.now() + 30_000);
  });

  it('gives up on a permanent rejection (550) after one attempt, keeping the server’s message', async () => {
    const id = await queue(await userWith(UNKNOWN), 'unknown mailbox');
    const sending = mailer({ backoffMs: 10 });

    expect(await sending.deliverDue()).toBe(0);
    const row = await outboxRow(id);
    expect(row).toMatchObject({ mail: 'failed', mailAttempts: 1, mailNextAttemptAt: null });
    expect(row?.mailLastError).toContain(
      '550 5.1.1 <nobody@example.jp>: Recipient address rejected: User unknown',
    );
    expect(row?.mailLastError).toMatch(/^メールサーバーが受け付けませんでした: /);

    // Not claimed again, however long one waits.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await sending.deliverDue()).toBe(0);
    expect(rcptAt.get(UNKNOWN)).toHaveLength(1);
    expect(deliveries).toEqual([]);
  });

  it('retries a deferral (4xx) with growing delays and gives up after the bound', async () => {
    const id = await queue(await userWith(BUSY), 'deferred');
    const backoffMs = 100;
    const sending = mailer({ backoffMs, maxAttempts: 4, pollMs: 20 });
    sending.kick();

    await expect
      .poll(async () => (await outboxRow(id))?.mail, { timeout: 10_000, interval: 50 })
      .toBe('failed');
    const row = await outboxRow(id);
    expect(row?.mailAttempts).toBe(4);
    expect(row?.mailLastError).toMatch(
      /^4 回送信できなかったため中止しました: .*451 4\.7\.1 Try again later/,
    );
    const times = rcptAt.get(BUSY) ?? [];
    expect(times).toHaveLength(4);
    // Each retry waits at least twice as long as the one before (100, 200, 400 ms).
    times.slice(1).forEach((time, i) => {
      expect(time - (times[i] ?? 0)).toBeGreaterThanOrEqual(backoffMs * 2 ** i);
    });

    expect(await sending.deliverDue()).toBe(0);
    expect(rcptAt.get(BUSY)).toHaveLength(4);
    expect(deliveries).toEqual([]);
  });

  it('marks a mail whose user is gone as failed without contacting the server', async () => {
    // The foreign key normally deletes such a row with its user; a restored or hand-edited database
    // can still hold one, and it must not be claimed every minute forever.
    const ghost = '00000000-0000-4000-8000-000000000000';
    const id = await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      const [row] = await tx
        .insert(notifications)
        .values(pendingMail(ghost, 'ghost'))
        .returning({ id: notifications.id });
      return row?.id ?? '';
    });
    const sending = mailer();

    expect(await sending.deliverDue()).toBe(0);
    expect(await outboxRow(id)).toMatchObject({
      mail: 'failed',
      mailAttempts: 1,
      mailLastError: '宛先のユーザーが存在しません',
    });
    expect(await sending.deliverDue()).toBe(0);
    expect(connections).toBe(0);
  });

  it('marks a mail to a user without an e-mail address as failed without contacting the server', async () => {
    const id = await queue(await userWith(''), 'no address');
    const sending = mailer();

    expect(await sending.deliverDue()).toBe(0);
    expect(await outboxRow(id)).toMatchObject({
      mail: 'failed',
      mailAttempts: 1,
      mailLastError: '宛先ユーザーのメールアドレスが未登録です',
    });
    expect(connections).toBe(0);
  });
});
