import type { AddressInfo } from 'node:net';
import { systemClock } from '@renkei/core';
import { createReferenceFake, REFERENCE_CLIENT, referenceConnector } from '@renkei/testkit';
import { setupServer } from 'msw/node';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../connections/connections.ts';
import { startTestHub, type TestHub } from '../testing/hub.ts';

interface ReceivedMail {
  to: string[];
  raw: string;
}

const received: ReceivedMail[] = [];
function startSmtp(port = 0): Promise<SMTPServer & { port: number }> {
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  return new Promise((resolve) => {
    const listener = smtp.listen(port, '127.0.0.1', () => {
      resolve(Object.assign(smtp, { port: (listener.address() as AddressInfo).port }));
    });
  });
}

/** The text part as nodemailer encoded it (quoted-printable or base64). */
function bodyText(raw: string): string {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = raw.slice(0, split);
  const body = raw.slice(split).trim();
  if (/Content-Transfer-Encoding: base64/i.test(headers)) return Buffer.from(body, 'base64').toString('utf8');
  const bytes = body
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** The Subject header, its MIME encoded-words decoded. */
function subjectOf(raw: string): string {
  const header = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)?.[1] ?? '';
  return header
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, encoding: string, text: string) =>
      encoding.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (__, hex: string) =>
                String.fromCharCode(Number.parseInt(hex, 16)),
              ),
            'latin1',
          ).toString('utf8'),
    );
}

const fake = createReferenceFake({ clock: systemClock });
const server = setupServer(...fake.handlers);
let smtp: SMTPServer & { port: number };
let t: TestHub;
let connection: Connection;

beforeAll(async () => {
  server.listen({ onUnhandledFrame: 'error' } as never);
  smtp = await startSmtp();
  t = await startTestHub({
    connectors: [referenceConnector],
    smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
    mailFrom: 'renkei@example.jp',
    mailRetryMs: 200,
    mailPollMs: 100,
    watchPollMs: 100,
  });
  connection = await t.hub.connections.create(t.admin.id, {
    connectorId: 'reference',
    displayName: 'リファレンス',
    credentials: { ...REFERENCE_CLIENT },
    defaultDataArea: 'head-office',
  });
});
afterAll(async () => {
  await t.close();
  smtp.close();
  server.close();
});

/** Exports one new employee whose write the vendor refuses for good, so the run ends with a failure. */
async function runWithFailure(code: string): Promise<string> {
  await t.hub.employees.create(t.admin.id, { employeeCode: code, lastName: '試験', firstName: '太郎' });
  const preview = await t.hub.previews.create(t.admin.id, {
    connectionId: connection.id,
    direction: 'export',
  });
  fake.faults.inject({
    kind: 'server_error',
    scope: 'write',
    times: Number.POSITIVE_INFINITY,
    employeeCodes: [code],
  });
  try {
    const run = await t.hub.runs.start(t.admin.id, { previewId: preview.id, selection: { codes: [code] } });
    for await (const state of t.hub.runs.watch(run.id)) if (state.status === 'failed') return run.id;
    throw new Error('run did not fail');
  } finally {
    fake.faults.clear();
  }
}

const mailOf = async (runId: string) =>
  (await t.hub.notifications.list(t.admin.id)).items.find((notification) => notification.runId === runId);

describe('notifications by mail', () => {
  it('mails the admin who started the run, naming each failed 社員番号', async () => {
    const runId = await runWithFailure('X-001');
    await expect.poll(async () => (await mailOf(runId))?.mail, { timeout: 10_000 }).toBe('sent');
    const mail = received.at(-1);
    expect(mail?.to).toEqual(['admin@example.jp']);
    expect(subjectOf(mail?.raw ?? '')).toBe('同期に失敗しました（リファレンス）');
    const text = bodyText(mail?.raw ?? '');
    // The app's words: 同期, the area's name rather than its id, its outcome labels.
    expect(text).toMatch(
      /^従業員リスト → リファレンス（データ領域: 本社）\r?\n失敗 1 名\r?\n\r?\n書き込まなかった社員番号:\r?\n- X-001（失敗）: .*サーバーでエラー/,
    );
    expect(text.split(/\r?\n/)[0]).not.toContain('head-office');
  });

  it('keeps the mail in the outbox while the SMTP server is down and delivers it later', async () => {
    const port = smtp.port;
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    const before = received.length;
    const runId = await runWithFailure('X-002');
    await expect
      .poll(async () => (await t.hub.notifications.list(t.admin.id)).items.find((n) => n.runId === runId), {
        timeout: 10_000,
      })
      .toMatchObject({ mail: 'pending' });
    // A few attempts fail while the server is down; nothing is lost.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect((await mailOf(runId))?.mail).toBe('pending');
    expect(received.length).toBe(before);

    smtp = await startSmtp(port);
    await expect.poll(async () => (await mailOf(runId))?.mail, { timeout: 15_000 }).toBe('sent');
    expect(received.length).toBe(before + 1);
    expect(bodyText(received.at(-1)?.raw ?? '')).toContain('X-002（失敗）: ');
  });
});
