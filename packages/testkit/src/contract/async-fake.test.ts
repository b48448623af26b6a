import type { Employee } from '@renkei/core';
import { referenceConnector } from '../reference/connector.ts';
import { createReferenceFake, REFERENCE_CLIENT } from '../reference/fake/index.ts';
import { describeConnectorContract } from './describe.ts';
import type { ContractFake } from './harness.ts';

/** The reference fake behind an async store, as a database-backed system (the hub's HR master) has. */
function asyncStore(fake: ReturnType<typeof createReferenceFake>): ContractFake {
  const later = () => new Promise<void>((resolve) => setImmediate(resolve));
  return Object.assign(Object.create(fake) as ContractFake, {
    async seed(area: string, employees: readonly Employee[]) {
      await later();
      fake.seed(area, employees);
    },
    async records(area: string) {
      await later();
      return fake.records(area);
    },
    async seedInvalid(area: string, employeeCode: string) {
      await later();
      fake.seedInvalid(area, employeeCode);
    },
  });
}

// The suite as a system without credentials or injectable faults runs it.
describeConnectorContract({
  name: 'async store, no faults, no invalid credentials',
  connector: referenceConnector,
  createFake: ({ clock }) => asyncStore(createReferenceFake({ clock })),
  credentials: { valid: REFERENCE_CLIENT },
  faults: false,
});
