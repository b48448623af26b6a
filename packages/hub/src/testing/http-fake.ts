// Test support: a vendor fake's msw handlers served over real HTTP on loopback, so worker processes
// reach it as they would a vendor. Each request's bearer token and times are kept: a token is one
// vendor session, so the log shows which sessions were open at once.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse, type RequestHandler } from 'msw';

export interface ServedRequest {
  token: string | undefined;
  path: string;
  startedAt: number;
  endedAt: number;
}

export interface HttpFake<F> {
  fake: F;
  baseUrl: string;
  readonly log: readonly ServedRequest[];
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length > 0 ? Buffer.concat(chunks) : undefined;
}

export async function serveFake<F extends { handlers: RequestHandler[] }>(
  create: (baseUrl: string) => F,
): Promise<HttpFake<F>> {
  const log: ServedRequest[] = [];
  let handlers: RequestHandler[] = [];
  const server = createServer(async (incoming, outgoing) => {
    const startedAt = Date.now();
    const url = `http://${incoming.headers.host}${incoming.url}`;
    const body = await bodyOf(incoming);
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (typeof value === 'string') headers.set(name, value);
    }
    const request = new Request(url, {
      method: incoming.method ?? 'GET',
      headers,
      ...(body && incoming.method !== 'GET' ? { body: new Uint8Array(body) } : {}),
    });
    const response = await getResponse(handlers, request);
    log.push({
      token: headers.get('authorization')?.replace(/^Bearer /, ''),
      path: new URL(url).pathname,
      startedAt,
      endedAt: Date.now(),
    });
    // A network error: the connection drops without an answer.
    if (!response || response.type === 'error') {
      incoming.socket.destroy();
      return;
    }
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    outgoing.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake = create(baseUrl);
  handlers = fake.handlers;
  return {
    fake,
    baseUrl,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Pairs of sessions (bearer tokens) whose requests overlapped in time. */
export function overlappingSessions(log: readonly ServedRequest[]): [string, string][] {
  const spans = new Map<string, { from: number; to: number }>();
  for (const entry of log) {
    if (!entry.token) continue;
    const span = spans.get(entry.token);
    if (!span) spans.set(entry.token, { from: entry.startedAt, to: entry.endedAt });
    else {
      span.from = Math.min(span.from, entry.startedAt);
      span.to = Math.max(span.to, entry.endedAt);
    }
  }
  const sorted = [...spans].sort(([, a], [, b]) => a.from - b.from);
  const overlaps: [string, string][] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const [a, spanA] = sorted[i] as [string, { from: number; to: number }];
      const [b, spanB] = sorted[j] as [string, { from: number; to: number }];
      if (spanB.from >= spanA.to) break;
      overlaps.push([a, b]);
    }
  }
  return overlaps;
}
