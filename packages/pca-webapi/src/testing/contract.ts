import type { VirtualClock } from '@renkei/core';
import { generateEmployees } from '@renkei/testkit';
import type { ContractOptions } from '@renkei/testkit/contract';
import type { definePcaConnector, PcaCredentialsSchema } from '../connector.ts';
import type { PcaFake } from '../fake/index.ts';
import { FAKE_CREDENTIALS } from '../fake/seed.ts';
import type { PcaProduct } from '../product.ts';

type PcaConnector = ReturnType<typeof definePcaConnector>;

/**
 * The contract suite's options for a PCA product: generated employees (6-digit 社員コード, what the
 * fake's first area pads to) made holdable by PCA.
 */
export function pcaContractOptions(
  connector: PcaConnector,
  product: PcaProduct,
  createFake: (options: { clock: VirtualClock }) => PcaFake,
): ContractOptions<typeof PcaCredentialsSchema> {
  return {
    connector,
    createFake,
    credentials: { valid: FAKE_CREDENTIALS, invalid: { ...FAKE_CREDENTIALS, password: 'wrong-password' } },
    // What PCA can hold: 男/女 and 普通/当座 only (the rest is refused, see unholdable()).
    employees: (count, seed) =>
      generateEmployees({ count, seed }).map((employee) => ({
        ...employee,
        gender: employee.gender === 'unspecified' ? 'female' : employee.gender,
        bankAccounts: employee.bankAccounts?.map((account) =>
          account.accountType === 'savings' ? { ...account, accountType: 'ordinary' as const } : account,
        ),
      })),
    listingSize: product.pageSize + 50,
  };
}
