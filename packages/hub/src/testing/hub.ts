// Test support: one hub per test file on the project's backend, with a bootstrapped admin.
import { randomBytes } from 'node:crypto';
import { createHub, type Hub, type HubOptions } from '../hub.ts';
import type { User } from '../users/users.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface TestHub {
  hub: Hub;
  admin: User;
  database: TestDatabase;
  close(): Promise<void>;
}

export const ADMIN_PASSWORD = 'correct horse battery staple';

export async function startTestHub(options: Partial<HubOptions> = {}): Promise<TestHub> {
  const database = await createTestDatabase();
  const hub = await createHub({
    ...database.target,
    connectors: [],
    secretKey: randomBytes(32).toString('base64'),
    ...options,
  });
  const admin = await hub.users.bootstrap({
    email: 'admin@example.jp',
    name: '管理者',
    password: ADMIN_PASSWORD,
  });
  return {
    hub,
    admin,
    database,
    async close() {
      await hub.close();
      await database.drop();
    },
  };
}
