import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createHub, type Hub } from '@renkei/hub';
import { createApp } from '../app.ts';
import { interceptVendors } from './network.ts';
import { DEMO_USERS, type DemoVendor, demoPopulation, seedHub, seedVendors } from './seed.ts';
import { createDemoVendors } from './vendors.ts';

export interface DemoOptions {
  /** PGlite data folder (persisted); omit with `inMemory` for tests. */
  dataDir?: string;
  inMemory?: boolean;
  /** 0 picks a free port. */
  port?: number;
  hostname?: string;
  /** Trust `X-Forwarded-Proto` from a reverse proxy terminating HTTPS. */
  trustProxy?: boolean;
  /** The largest CSV upload accepted, in bytes (default 20 MB). */
  maxImportBytes?: number;
}

export interface Demo {
  url: string;
  hub: Hub;
  vendors: readonly DemoVendor[];
  logins: { label: string; email: string; password: string }[];
  close(): Promise<void>;
}

export const DEMO_LOGINS = [
  { label: '管理者', email: DEMO_USERS.admin.email, password: DEMO_USERS.admin.password },
  { label: 'メンバー（閲覧のみ）', email: DEMO_USERS.member.email, password: DEMO_USERS.member.password },
];

/**
 * The whole demo in one process: vendor fakes behind msw, the hub on PGlite with its worker, the
 * connections configured, and the admin app listening.
 */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  const vendors = createDemoVendors();
  const population = seedVendors(vendors, demoPopulation());
  const network = interceptVendors(vendors.flatMap((vendor) => vendor.fake.handlers));
  const connectors = vendors.map((vendor) => vendor.connector);
  let hub: Hub | undefined;
  try {
    hub = await createHub({
      ...(options.inMemory ? { inMemory: true } : { dataDir: options.dataDir ?? '.data' }),
      connectors,
    });
    await seedHub(hub, vendors, population);
    const app = createApp({
      hub,
      connectors,
      demoLogins: DEMO_LOGINS,
      ...(options.trustProxy ? { trustProxy: true } : {}),
      ...(options.maxImportBytes ? { maxImportBytes: options.maxImportBytes } : {}),
    });
    const server = serve({
      fetch: app.fetch,
      port: options.port ?? 3000,
      ...(options.hostname ? { hostname: options.hostname } : {}),
      // The picker keeps an explicit selection in the URL.
      serverOptions: { maxHeaderSize: 256 * 1024 },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const { port } = server.address() as AddressInfo;
    const started = hub;
    return {
      url: `http://localhost:${port}`,
      hub: started,
      vendors,
      logins: DEMO_LOGINS,
      async close() {
        if ('closeAllConnections' in server) server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await started.close();
        network.close();
      },
    };
  } catch (error) {
    await hub?.close();
    network.close();
    throw error;
  }
}
