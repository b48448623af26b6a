import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createHub, type Hub, localSecretKey } from '@renkei/hub';
import { createApp } from '../app.ts';
import { interceptVendors } from './network.ts';
import { DEMO_USERS, type DemoVendor, demoPopulation, seedHub, seedVendors } from './seed.ts';
import { createDemoVendors, persistDemoVendors } from './vendors.ts';

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
  /** The credentials key (base64); without one, a key file is generated beside the data folder. */
  secretKey?: string;
  /** When sessions end (the hub's defaults otherwise). */
  session?: { idleMs: number; absoluteMs: number };
}

export interface Demo {
  url: string;
  hub: Hub;
  vendors: readonly DemoVendor[];
  logins: { label: string; email: string; password: string }[];
  /** Where the generated key is kept, and where an older version had left it (now moved). */
  keyFile?: { file: string; moved?: string };
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
  // Seeding also finds the HR master every vendor can hold; a saved vendor state then replaces the seed.
  const population = seedVendors(vendors, demoPopulation());
  const saved = options.inMemory ? undefined : persistDemoVendors(vendors, options.dataDir ?? '.data');
  const network = interceptVendors(
    vendors.flatMap((vendor) => vendor.fake.handlers),
    saved?.changed,
  );
  const connectors = vendors.map((vendor) => vendor.connector);
  let hub: Hub | undefined;
  try {
    const dataDir = options.dataDir ?? '.data';
    const local = options.secretKey || options.inMemory ? undefined : localSecretKey(dataDir);
    hub = await createHub({
      ...(options.inMemory ? { inMemory: true } : { dataDir }),
      connectors,
      ...(options.secretKey ? { secretKey: options.secretKey } : {}),
      ...(local ? { secretKey: local.key.toString('base64') } : {}),
      ...(options.session ? { session: options.session } : {}),
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
      // Loopback unless told otherwise: the sign-in page shows the demo passwords.
      hostname: options.hostname ?? '127.0.0.1',
      // The picker keeps an explicit selection in the URL.
      serverOptions: { maxHeaderSize: 256 * 1024 },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const { port } = server.address() as AddressInfo;
    const started = hub;
    const listening = options.hostname ?? '127.0.0.1';
    const host = ['0.0.0.0', '::'].includes(listening) ? '127.0.0.1' : listening;
    return {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      hub: started,
      vendors,
      logins: DEMO_LOGINS,
      ...(local ? { keyFile: { file: local.file, ...(local.moved ? { moved: local.moved } : {}) } } : {}),
      async close() {
        if ('closeAllConnections' in server) server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await started.close();
        network.close();
        saved?.flush();
      },
    };
  } catch (error) {
    await hub?.close();
    network.close();
    saved?.flush();
    throw error;
  }
}
