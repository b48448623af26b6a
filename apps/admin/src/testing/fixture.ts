import { createHub, type Hub } from '@renkei/hub';
import { createApp } from '../app.ts';
import { DEMO_LOGINS } from '../demo/demo.ts';
import { interceptVendors } from '../demo/network.ts';
import { DEMO_USERS, type DemoVendor, demoPopulation, seedHub, seedVendors } from '../demo/seed.ts';
import { createDemoVendors } from '../demo/vendors.ts';
import { signIn, type TestClient } from './client.ts';

export interface AppFixture {
  app: ReturnType<typeof createApp>;
  hub: Hub;
  vendors: readonly DemoVendor[];
  admin: TestClient;
  member: TestClient;
  vendor(connectorId: string): DemoVendor;
  connectionId(connectorId: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The app over a hub on in-memory PGlite, seeded like the demo, with both demo users signed in.
 * `worker: false` leaves runs queued (nothing works them), for what a user sees before a run starts.
 */
export async function createAppFixture(
  options: { worker?: boolean; shutdown?: AbortSignal } = {},
): Promise<AppFixture> {
  const vendors = createDemoVendors();
  const population = seedVendors(vendors, demoPopulation());
  const network = interceptVendors(vendors.flatMap((vendor) => vendor.fake.handlers));
  const connectors = vendors.map((vendor) => vendor.connector);
  const hub = await createHub({ inMemory: true, connectors, worker: options.worker ?? true });
  await seedHub(hub, vendors, population);
  const app = createApp({ hub, connectors, demoLogins: DEMO_LOGINS, shutdown: options.shutdown });
  const admin = await signIn(app, DEMO_USERS.admin.email, DEMO_USERS.admin.password);
  const member = await signIn(app, DEMO_USERS.member.email, DEMO_USERS.member.password);
  return {
    app,
    hub,
    vendors,
    admin,
    member,
    vendor(connectorId) {
      const found = vendors.find((vendor) => vendor.connector.id === connectorId);
      if (!found) throw new Error(`no demo vendor ${connectorId}`);
      return found;
    },
    async connectionId(connectorId) {
      const connection = (await hub.connections.list()).find(
        (candidate) => candidate.connectorId === connectorId,
      );
      if (!connection) throw new Error(`no connection for ${connectorId}`);
      return connection.id;
    },
    async close() {
      await hub.close();
      network.close();
    },
  };
}
