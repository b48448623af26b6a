import type { AnyCredentialsSchema } from '@renkei/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, it } from 'vitest';
import { CONTRACT_CHECKS } from './checks.ts';
import { type ContractOptions, createContractRunner } from './harness.ts';

/**
 * The contract suite every connector runs, in one call inside a vitest file:
 * `describeConnectorContract({ connector, createFake, credentials: { valid, invalid } })`.
 * Each check gets a fresh fake on a virtual clock behind MSW; rate-limited runs take no real time.
 */
export function describeConnectorContract<C extends AnyCredentialsSchema>(options: ContractOptions<C>): void {
  const runner = createContractRunner(options as unknown as ContractOptions);
  describe(`connector contract: ${options.name ?? options.connector.displayName}`, () => {
    beforeAll(() => runner.listen());
    afterAll(() => runner.close());

    for (const check of Object.values(CONTRACT_CHECKS)) {
      if (check.faults && options.faults === false) continue;
      it(check.title, () => runner.run(check.run));
    }

    if (options.extend) {
      describe('connector-specific', () => {
        let dispose: (() => Promise<void>) | undefined;
        beforeEach(() => {
          dispose = runner.open().dispose;
        });
        afterEach(async () => {
          await dispose?.();
        });
        options.extend?.({ env: () => runner.env() });
      });
    }
  });
}
