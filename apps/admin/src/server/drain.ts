// Graceful shutdown: stop accepting and stop taking new work at once, let the requests in flight be
// answered (at most `limitMs`) and the work in flight finish, and only then close what they use.
import type { Server as HttpServer } from 'node:http';
import type { Http2SecureServer, Http2Server } from 'node:http2';

/** How long requests in flight at SIGTERM get to finish before the database closes under them. */
export const REQUEST_DRAIN_MS = 10_000;

export async function drainThenClose(
  server: HttpServer | Http2Server | Http2SecureServer,
  steps: {
    /** Started with the drain, not after it: a worker must not take new chunks while requests drain. */
    stopWork: () => Promise<void>;
    /** Once requests are answered (or the limit passed) and the work has stopped. */
    closeRest: () => Promise<void>;
  },
  limitMs = REQUEST_DRAIN_MS,
): Promise<void> {
  const workStopped = steps.stopWork();
  const answered = new Promise<void>((resolve) => server.close(() => resolve()));
  if ('closeIdleConnections' in server) server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, limitMs);
  });
  await Promise.race([answered, limit]);
  clearTimeout(timer);
  if ('closeAllConnections' in server) server.closeAllConnections();
  await workStopped;
  await steps.closeRest();
}
