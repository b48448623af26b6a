// The embedded default: PGlite persisted to a data directory, a generated key file, queued work
// surviving a restart.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@renkei/core';
import {
  createReferenceFake,
  generateEmployees,
  REFERENCE_CLIENT,
  referenceConnector,
} from '@renkei/testkit';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHub, type Hub } from '../hub.ts';
import { localKeyFile } from '../secrets/key.ts';

const fake = createReferenceFake({ clock: systemClock, rateLimit: 1000 });
const server = setupServer(...fake.handlers);
const dataDir = mkdtempSync(join(tmpdir(), 'renkei-hub-'));
const open = (options: { worker: boolean; secretKey?: string }) =>
  createHub({ dataDir, connectors: [referenceConnector], watchPollMs: 100, ...options });

beforeAll(() => {
  server.listen({ onUnhandledFrame: 'error' } as never);
  fake.seed('head-office', generateEmployees({ count: 30, seed: 3, codePrefix: 'H', codeWidth: 4 }));
  fake.seed('factory', generateEmployees({ count: 20, seed: 4, codePrefix: 'F', codeWidth: 4 }));
});
afterAll(() => {
  server.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(localKeyFile(dataDir), { force: true });
});

describe('embedded PGlite in a data directory', () => {
  let runIds: string[] = [];
  let connectionId = '';

  it('queues runs, one per connection and area at a time', async () => {
    const hub: Hub = await open({ worker: false });
    try {
      const admin = await hub.users.bootstrap({
        email: 'admin@example.jp',
        name: '管理者',
        password: 'queue keeper 2026',
      });
      const connection = await hub.connections.create(admin.id, {
        connectorId: 'reference',
        displayName: 'リファレンス',
        credentials: { ...REFERENCE_CLIENT },
      });
      connectionId = connection.id;
      const start = async (dataArea: string) => {
        const preview = await hub.previews.create(admin.id, { connectionId, direction: 'import', dataArea });
        return hub.runs.start(admin.id, { previewId: preview.id, selection: { all: { status: 'new' } } });
      };
      const first = await start('head-office');
      await expect(start('head-office')).rejects.toMatchObject({
        kind: 'conflict',
        message: 'この連携先とデータ領域では別の同期が実行中です。完了してから開始してください。',
      });
      const other = await start('factory');
      runIds = [first.id, other.id];
      expect((await hub.runs.get(first.id))?.status).toBe('queued');
    } finally {
      await hub.close();
    }
    // The generated key lives beside the data folder, never inside it.
    expect(statSync(localKeyFile(dataDir)).mode & 0o777).toBe(0o600);
    expect(existsSync(join(dataDir, 'secret.key'))).toBe(false);
  }, 90_000);

  it('reopens with its data and key, and works the queued runs', async () => {
    const hub = await open({ worker: true });
    try {
      expect(await hub.users.needsBootstrap()).toBe(false);
      expect((await hub.auth.login('admin@example.jp', 'queue keeper 2026')).user.role).toBe('admin');
      expect(await hub.connections.dataAreas(connectionId)).toHaveLength(2);
      for (const id of runIds) {
        let last: string | undefined;
        for await (const run of hub.runs.watch(id)) last = run.status;
        expect(last).toBe('succeeded');
      }
      expect((await hub.employees.list()).total).toBe(50);
    } finally {
      await hub.close();
    }
  }, 90_000);

  it('fails loudly with another key', async () => {
    const hub = await open({ worker: false, secretKey: Buffer.alloc(32, 7).toString('base64') });
    try {
      await expect(hub.connections.dataAreas(connectionId)).rejects.toMatchObject({ kind: 'secret_key' });
    } finally {
      await hub.close();
    }
    await expect(open({ worker: false, secretKey: 'too-short' })).rejects.toMatchObject({
      kind: 'secret_key',
    });
  }, 90_000);
});
