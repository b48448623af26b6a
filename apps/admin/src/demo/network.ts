import type { RequestHandler } from 'msw';
import { setupServer } from 'msw/node';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * Serves the vendor fakes in-process: every outgoing request is answered by a fake, loopback
 * requests (the app itself) pass through, and anything else is an error — the demo never talks to
 * a real vendor.
 */
export function interceptVendors(handlers: readonly RequestHandler[], onAnswered?: () => void) {
  const server = setupServer(...handlers);
  if (onAnswered) server.events.on('request:end', onAnswered);
  server.listen({
    onUnhandledFrame({ frame, defaults }) {
      const request = (frame.data as { request?: Request }).request;
      if (request && LOOPBACK.has(new URL(request.url).hostname)) return;
      defaults.error();
    },
  });
  return { close: () => server.close() };
}
