import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReferenceFake, generateEmployees } from '@renkei/testkit';
import { http as mswHttp, passthrough } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookDelivery } from '../hub-api.ts';
import { type ReferenceHub, runEnded, startReferenceHub } from '../testing/reference-hub.ts';
import { verifySignature } from './signature.ts';
import type { RunFinishedPayload } from './webhooks.ts';

interface Received {
  at: number;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver on loopback; `answer` decides each response from the path and the count. */
async function receiver(answer: (path: string, seen: number) => { status: number; location?: string }) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({
        at: Date.now(),
        path,
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const seen = received.filter((r) => r.path === path).length;
      const { status, location } = answer(path, seen);
      response.writeHead(status, location ? { location } : {}).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { received, base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const fake = createReferenceFake();
const [AREA] = fake.dataAreas() as [string];
const employees = generateEmployees({ count: 5, seed: 3, codePrefix: 'W', codeWidth: 3 });

let t: ReferenceHub;
let http: Awaited<ReturnType<typeof receiver>>;
beforeAll(async () => {
  http = await receiver((path, seen) => {
    if (path === '/flaky') return { status: seen <= 2 ? 500 : 204 };
    if (path === '/down') return { status: 503 };
    if (path === '/moved') return { status: 302, location: 'http://127.0.0.1:1/elsewhere' };
    return { status: 200 };
  });
  t = await startReferenceHub(fake, {
    watchPollMs: 100,
    connection: { defaultDataArea: AREA },
    // The receiver is real: msw lets requests to it through.
    handlers: [mswHttp.all(`${http.base}/*`, () => passthrough())],
    webhooks: { policy: { allowLoopback: true }, retryDelaySeconds: 1, retryLimit: 2, timeoutMs: 2_000 },
  });
  fake.seed(AREA, employees);
});
afterAll(async () => {
  await t?.close();
  await http?.close();
});

async function delivered(endpointId: string, timeoutMs = 40_000): Promise<WebhookDelivery> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [delivery] = (await t.hub.webhooks.deliveries(t.admin.id, { endpointId })).items;
    if (delivery && delivery.status !== 'pending') return delivery;
    if (Date.now() > until) throw new Error(`delivery still pending: ${JSON.stringify(delivery)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('outgoing webhooks', () => {
  it('posts a signed run summary, retries failures with growing delays, and logs every attempt', async () => {
    const flaky = await t.hub.webhooks.create(t.admin.id, {
      url: `${http.base}/flaky`,
      connectionId: t.connection.id,
    });
    const down = await t.hub.webhooks.create(t.admin.id, { url: `${http.base}/down` });
    const moved = await t.hub.webhooks.create(t.admin.id, { url: `${http.base}/moved` });
    expect(flaky.secret).toMatch(/^whsec_/);
    expect(JSON.stringify(await t.hub.webhooks.list(t.admin.id))).not.toContain(flaky.secret);

    const preview = await t.hub.previews.create(t.admin.id, {
      connectionId: t.connection.id,
      direction: 'import',
    });
    const run = await t.hub.runs.start(t.admin.id, { previewId: preview.id, selection: { all: {} } });
    expect((await runEnded(t.hub, run.id)).status).toBe('succeeded');

    // 500, 500, then 204: three attempts, the delivery succeeded.
    const ok = await delivered(flaky.endpoint.id);
    expect(ok.status).toBe('succeeded');
    expect(ok.attempts.map((a) => a.status)).toEqual([500, 500, 204]);
    const hits = http.received.filter((r) => r.path === '/flaky');
    expect(hits).toHaveLength(3);
    // pg-boss backoff: the n-th retry waits retryDelay·2^(n-1) to retryDelay·2^n seconds.
    const gaps = [
      (hits[1] as Received).at - (hits[0] as Received).at,
      (hits[2] as Received).at - (hits[1] as Received).at,
    ];
    expect(gaps[0]).toBeGreaterThanOrEqual(900);
    expect(gaps[1]).toBeGreaterThanOrEqual(1_900);
    for (const hit of hits) {
      const verdict = verifySignature(
        flaky.secret,
        hit.body,
        String(hit.headers['renkei-signature']),
        Date.now() / 1000,
      );
      expect(verdict).toEqual({ ok: true });
      expect(
        verifySignature(down.secret, hit.body, String(hit.headers['renkei-signature']), Date.now() / 1000).ok,
      ).toBe(false);
    }
    const payload = JSON.parse((hits[0] as Received).body) as RunFinishedPayload;
    expect(payload).toMatchObject({
      event: 'run.finished',
      id: ok.id,
      run: { id: run.id, status: 'succeeded', direction: 'import', total: 5, counts: { created: 5 } },
      outcomesTruncated: false,
    });
    expect(payload.outcomes).toEqual(
      employees.map((e) => ({ employeeCode: e.employeeCode, outcome: 'created' })),
    );
    // Personal data stays home: no name, kana or birth date travels.
    for (const employee of employees) {
      expect((hits[0] as Received).body).not.toContain(employee.lastName);
      expect((hits[0] as Received).body).not.toContain(employee.lastNameKana);
    }

    // Always 503: the first attempt and retryLimit (2) retries, then failed for good.
    const failed = await delivered(down.endpoint.id);
    expect(failed.status).toBe('failed');
    expect(failed.attempts.map((a) => a.status)).toEqual([503, 503, 503]);
    expect(failed.finishedAt).not.toBeNull();

    // A redirect is never followed: the target never sees a request.
    const redirected = await delivered(moved.endpoint.id);
    expect(redirected.status).toBe('failed');
    expect(redirected.attempts[0]).toMatchObject({
      status: 302,
      error: expect.stringContaining('リダイレクト'),
    });
    expect(http.received.some((r) => r.path === '/elsewhere')).toBe(false);
  });

  it('refuses a non-https or unknown-connection endpoint, and audits create and delete', async () => {
    await expect(
      t.hub.webhooks.create(t.admin.id, { url: 'http://hooks.example.jp/' }),
    ).rejects.toMatchObject({
      kind: 'validation',
    });
    await expect(
      t.hub.webhooks.create(t.admin.id, {
        url: 'https://hooks.example.jp/',
        connectionId: crypto.randomUUID(),
      }),
    ).rejects.toMatchObject({ kind: 'validation' });
    const created = await t.hub.webhooks.create(t.admin.id, { url: 'https://hooks.example.jp/x' });
    await t.hub.webhooks.remove(t.admin.id, created.endpoint.id);
    const audit = await t.hub.audit.list();
    expect(audit.filter((e) => e.target === `webhook:${created.endpoint.id}`).map((e) => e.action)).toEqual([
      'webhook.delete',
      'webhook.create',
    ]);
  });
});
