import type { Clock, ConnectorContext, Logger } from '@renkei/core';

/** What the hub hands every connector session: injected I/O and time, and the caller's signal. */
export interface ContextSources {
  fetch: typeof globalThis.fetch;
  clock: Clock;
  logger: Logger;
}

export function connectorContext(
  sources: ContextSources,
  signal: AbortSignal = new AbortController().signal,
): ConnectorContext {
  return { fetch: sources.fetch, clock: sources.clock, logger: sources.logger, signal };
}
