import type { ConnectorDefinition, ConnectorSession } from '@renkei/core';
import { CONTRACT_CHECKS, type ContractCheckName } from './checks.ts';
import { type ContractOptions, createContractRunner } from './harness.ts';

type Fetch = typeof globalThis.fetch;

/** A bug to plant: in the connector's transport (what it sends and reads) or in its session. */
export interface PlantedBug {
  fetch?: (fetch: Fetch) => Fetch;
  session?: (session: ConnectorSession) => ConnectorSession;
}

/**
 * `connector` with a bug planted, for tests that prove the contract suite catches it (a broken
 * variant must fail the check its real connector passes on the same fake).
 */
export function brokenConnector(connector: ConnectorDefinition, bug: PlantedBug): ConnectorDefinition {
  return {
    ...connector,
    async connect(credentials, context) {
      const fetch = bug.fetch ? bug.fetch(context.fetch) : context.fetch;
      const session = await connector.connect(credentials as never, { ...context, fetch });
      return bug.session ? bug.session(session) : session;
    },
  } as ConnectorDefinition;
}

/** Runs one contract check against its own fake; rejects with the check's failure. */
export async function runContractCheck(options: ContractOptions, check: ContractCheckName): Promise<void> {
  const runner = createContractRunner(options);
  runner.listen();
  try {
    await runner.run(CONTRACT_CHECKS[check].run);
  } finally {
    runner.close();
  }
}
