// Graceful shutdown of the HTTP side: stop accepting, let the requests in flight be answered (at most
// `limitMs`), and only then close what they use (the hub: worker, database).
import type { Server as HttpServer } from 'node:http';
import type { Http2SecureServer, Http2Server } from 'node:http2';

/** How long requests in flight at SIGTERM get to finish before the database closes under them. */
export const REQUEST_DRAIN_MS = 10_000;

export async function drainThenClose(
  server: HttpServer | Http2Server | Http2SecureServer,
  closeRest: () => Promise<void>,
  limitMs = REQUEST_DRAIN_MS,
): Promise<void> {
  const answered = new Promise<void>((resolve) => server.close(() => resolve()));
  if ('closeIdleConnections' in server) server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, limitMs);
  });
  await Promise.race([answered, limit]);
  clearTimeout(timer);
  if ('closeAllConnections' in server) server.closeAllConnections();
  await closeRest();
}
