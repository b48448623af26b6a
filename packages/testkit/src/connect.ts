import {
  type AnyCredentialsSchema,
  type Clock,
  type ConnectorDefinition,
  type ConnectorSession,
  type LoginHold,
  silentLogger,
} from '@renkei/core';

export interface TestConnectOptions {
  clock: Clock;
  signal?: AbortSignal;
  /** Retry jitter; the connector's default when left out. */
  random?: () => number;
  /** The connection's lost-login record shared with other sessions (as the hub keeps it). */
  loginHold?: LoginHold;
}

/**
 * A session the way tests open one: credentials parsed by the connector's own schema, requests through
 * the global `fetch` (so MSW answers for the fake), quiet logs, the test's clock.
 */
export async function connectForTest<C extends AnyCredentialsSchema>(
  connector: ConnectorDefinition<C>,
  credentials: unknown,
  { clock, signal = new AbortController().signal, random, loginHold }: TestConnectOptions,
): Promise<ConnectorSession> {
  return connector.connect(connector.credentials.parse(credentials), {
    fetch: (input, init) => globalThis.fetch(input, init),
    logger: silentLogger,
    signal,
    clock,
    ...(random ? { random } : {}),
    ...(loginHold ? { loginHold } : {}),
  });
}
