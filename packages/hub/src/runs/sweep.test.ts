// A process that dies between committing a run and queueing its chunks leaves a run no job names:
// the next hub to start queues it (once, however many start), and a worker finishes it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { systemClock } from '@renkei/core';
import {
  createReferenceFake,
  generateEmployees,
  REFERENCE_CLIENT,
  referenceConnector,
} from '@renkei/testkit';
import { setupServer } from 'msw/node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseTarget } from '../db/adapter.ts';
import { createHub } from '../hub.ts';
import { createTestDatabase, type TestDatabase, testBackend } from '../testing/database.ts';
import { CHUNK_QUEUE } from './queue.ts';

const fake = createReferenceFake({ clock: systemClock, rateLimit: 1000 });
const server = setupServer(...fake.handlers);
const secretKey = Buffer.alloc(32, 9).toString('base64');
let database: TestDatabase;
let target: DatabaseTarget;

/** One statement on the hub's database while no hub has it open. */
async function query(text: string): Promise<Record<string, unknown>[]> {
  if ('dataDir' in target) {
    const pglite = new PGlite(join(target.dataDir, 'pglite'));
    try {
      return (await pglite.query<Record<string, unknown>>(text)).rows;
    } finally {
      await pglite.close();
    }
  }
  const client = new pg.Client({ connectionString: (target as { databaseUrl: string }).databaseUrl });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}
const chunkJobs = async () =>
  Number((await query(`select count(*) as n from pgboss.job where name = '${CHUNK_QUEUE}'`))[0]?.n);

const open = (worker: boolean) =>
  createHub({
    ...target,
    connectors: [referenceConnector],
    secretKey,
    worker,
    chunkSize: 10,
    watchPollMs: 100,
  });

beforeAll(async () => {
  server.listen({ onUnhandledFrame: 'error' } as never);
  fake.seed('head-office', generateEmployees({ count: 30, seed: 5, codePrefix: 'S', codeWidth: 4 }));
  database = await createTestDatabase();
  target =
    testBackend === 'pglite' ? { dataDir: mkdtempSync(join(tmpdir(), 'renkei-sweep-')) } : database.target;
});
afterAll(async () => {
  server.close();
  if ('dataDir' in target) rmSync(target.dataDir, { recursive: true, force: true });
  await database.drop();
});

describe('a run committed but never queued', () => {
  it('is queued by the next start, once, and finished by a worker', async () => {
    let hub = await open(false);
    const admin = await hub.users.bootstrap({
      email: 'admin@example.jp',
      name: '管理者',
      password: 'sweep-admin-password-2026',
    });
    const connection = await hub.connections.create(admin.id, {
      connectorId: 'reference',
      displayName: 'リファレンス',
      credentials: { ...REFERENCE_CLIENT },
    });
    const preview = await hub.previews.create(admin.id, {
      connectionId: connection.id,
      direction: 'import',
      dataArea: 'head-office',
    });
    const run = await hub.runs.start(admin.id, { previewId: preview.id, selection: { all: {} } });
    expect(run.total).toBe(30);
    await hub.close();

    // The state a crash between the commit and the queue insert leaves: the run, no job.
    expect(await chunkJobs()).toBe(3);
    await query(`delete from pgboss.job where name = '${CHUNK_QUEUE}'`);
    expect(await chunkJobs()).toBe(0);

    for (let start = 0; start < 2; start++) {
      hub = await open(false);
      expect((await hub.runs.get(run.id))?.status).toBe('queued');
      await hub.close();
    }
    expect(await chunkJobs()).toBe(3);

    hub = await open(true);
    try {
      let last: string | undefined;
      for await (const current of hub.runs.watch(run.id)) last = current.status;
      expect(last).toBe('succeeded');
      expect((await hub.runs.get(run.id))?.counts.created).toBe(30);
      expect((await hub.employees.list()).total).toBe(30);
    } finally {
      await hub.close();
    }
  }, 300_000);
});
