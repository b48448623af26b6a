import type { ConnectorDefinition, Employee } from '@renkei/core';
import type { Hub } from '@renkei/hub';
import { type FakeVendor, type PersistableFake, seedDemoFakes } from '@renkei/testkit/fakes';

export { demoPopulation } from '@renkei/testkit/fakes';

export const DEMO_USERS = {
  admin: { email: 'admin@example.jp', name: '連携 花子', password: 'renkei-demo-admin', role: 'admin' },
  member: { email: 'member@example.jp', name: '閲覧 太郎', password: 'renkei-demo-member', role: 'member' },
} as const;

/** A vendor of the demo: its connector, its in-memory fake, and credentials the fake accepts. */
export interface DemoVendor {
  connector: ConnectorDefinition;
  fake: FakeVendor & PersistableFake;
  credentials: Record<string, unknown>;
}

/**
 * Seeds the vendor fakes the demo way and returns the HR master to go with them (see
 * `seedDemoFakes`).
 */
export function seedVendors(vendors: readonly DemoVendor[], population: readonly Employee[]): Employee[] {
  return seedDemoFakes(
    vendors.map((vendor) => vendor.fake),
    population,
  );
}

export interface SeedResult {
  createdUsers: boolean;
  createdEmployees: number;
  createdConnections: string[];
}

/** Users, HR master and connections, each only when missing (a second start reuses the data). */
export async function seedHub(
  hub: Hub,
  vendors: readonly DemoVendor[],
  population: readonly Employee[],
): Promise<SeedResult> {
  const result: SeedResult = { createdUsers: false, createdEmployees: 0, createdConnections: [] };
  if (await hub.users.needsBootstrap()) {
    const { role: _, ...admin } = DEMO_USERS.admin;
    const first = await hub.users.bootstrap(admin);
    await hub.users.create(first.id, DEMO_USERS.member);
    result.createdUsers = true;
  }
  const admin = (await hub.users.list()).find((user) => user.role === 'admin');
  if (!admin) throw new Error('demo: no admin user');

  if ((await hub.employees.list({ pageSize: 1 })).total === 0) {
    for (const employee of population) await hub.employees.create(admin.id, employee);
    result.createdEmployees = population.length;
  }

  const existing = new Set((await hub.connections.list()).map((connection) => connection.connectorId));
  for (const { connector, credentials, fake } of vendors) {
    if (existing.has(connector.id)) continue;
    const [defaultArea] = fake.dataAreas();
    await hub.connections.create(admin.id, {
      connectorId: connector.id,
      displayName: connector.displayName,
      credentials,
      ...(connector.hasDataAreas && defaultArea ? { defaultDataArea: defaultArea } : {}),
    });
    result.createdConnections.push(connector.displayName);
  }
  return result;
}
