// Test support: a test hub with the reference vendor's fake behind msw and a 'リファレンス'
// connection to it.
import type { ConnectorDefinition } from '@renkei/core';
import { type createReferenceFake, REFERENCE_CLIENT, referenceConnector } from '@renkei/testkit';
import type { RequestHandler } from 'msw';
import { setupServer } from 'msw/node';
import type { Connection, NewConnection } from '../connections/connections.ts';
import type { Hub, HubOptions } from '../hub.ts';
import type { Run } from '../runs/runs.ts';
import { startTestHub, type TestHub } from './hub.ts';

export interface ReferenceHubOptions extends Partial<Omit<HubOptions, 'connectors'>> {
  /** The reference connector as the test changes it (default: as shipped). */
  connector?: ConnectorDefinition;
  /** What the connection has besides the reference vendor's credentials. */
  connection?: Partial<Omit<NewConnection, 'connectorId' | 'credentials'>>;
  /** Handlers before the fake's (e.g. a passthrough to a real local receiver). */
  handlers?: RequestHandler[];
}

export interface ReferenceHub extends TestHub {
  connection: Connection;
}

export async function startReferenceHub(
  fake: Pick<ReturnType<typeof createReferenceFake>, 'handlers'>,
  { connector = referenceConnector, connection: extras, handlers = [], ...options }: ReferenceHubOptions = {},
): Promise<ReferenceHub> {
  const server = setupServer(...handlers, ...fake.handlers);
  server.listen({ onUnhandledFrame: 'error' } as never);
  const t = await startTestHub({ connectors: [connector], ...options });
  const connection = await t.hub.connections.create(t.admin.id, {
    connectorId: 'reference',
    displayName: 'リファレンス',
    credentials: { ...REFERENCE_CLIENT },
    ...extras,
  });
  return {
    ...t,
    connection,
    async close() {
      await t.close();
      server.close();
    },
  };
}

/** The run as it ended, once the hub's watch of it ends. */
export async function runEnded(hub: Hub, runId: string): Promise<Run> {
  let last: Run | undefined;
  for await (const run of hub.runs.watch(runId)) last = run;
  return last as Run;
}
