import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jobcan from '@renkei/connector-jobcan';
import { createJobcanFake, FAKE_CREDENTIALS } from '@renkei/connector-jobcan/fake';
import {
  createVirtualClock,
  FIELD_KEYS,
  IMPLICIT_DATA_AREA,
  type ListedEmployee,
  type Plan,
  plan,
  silentLogger,
} from '@renkei/core';
import { createHub, formatEmployeesCsv } from '@renkei/hub';
import { drift, generateEmployees } from '@renkei/testkit/fakes';
import { setupServer } from 'msw/node';

export interface PreviewBuildOptions {
  count: number;
  seed?: number;
}

/** CPU (user + system) and wall time of one step, in ms; `vendorMs` is the virtual time it took. */
export interface StepCost {
  cpuMs: number;
  wallMs: number;
  vendorMs: number;
}

export interface PreviewBuildResult {
  /** HR master employees (the preview's entries). */
  employees: number;
  /** ジョブカン's paging requests while listing. */
  requests: number;
  importMs: number;
  summary: Plan['summary'];
  /** `previews.create`: list both sides (planning as pages arrive), refusals, store every entry. */
  build: StepCost;
  /** For the split, same run: listing ジョブカン alone through the connector (fake and MSW included). */
  vendorListing: StepCost;
  /** For the split, same run: `plan()` over both sides already listed (the work the build overlaps with paging). */
  plan: StepCost;
}

/** Runs `step` and returns its cost; GC first, so it does not pay for the garbage before it. */
async function cost<T>(clock: { now(): number }, step: () => Promise<T>): Promise<[T, StepCost]> {
  (globalThis as { gc?: () => void }).gc?.();
  const vendorStart = clock.now();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await step();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return [value, { cpuMs: (used.user + used.system) / 1000, wallMs, vendorMs: clock.now() - vendorStart }];
}

/**
 * A preview build at size on the embedded hub (PGlite in a data folder): an HR master of `count`
 * employees (a drifted copy: 5 % changed, 1 % new, cosmetic variants) previewed HR → ジョブカン,
 * whose fake holds the original, paced on a virtual clock. The vendor's waits take no real time,
 * so the build's CPU is our own time (the fake and MSW answering in-process are counted too: the
 * vendor listing alone is measured beside it).
 */
export async function previewBuildBench(options: PreviewBuildOptions): Promise<PreviewBuildResult> {
  const seed = options.seed ?? 20260401;
  // Idle detection needs more turns than MSW takes to answer, or time would move mid-request.
  const clock = createVirtualClock(Date.UTC(2026, 3, 1), { idleTurns: 20 });
  const fake = createJobcanFake({ clock });
  const server = setupServer(...fake.handlers);
  server.listen({ onUnhandledFrame: 'error' });
  // A data folder, as serve and the demo run (in memory PGlite grows its files by copying, which
  // made importing the 100k master alone take minutes).
  const folder = mkdtempSync(join(tmpdir(), 'renkei-preview-bench-'));
  const hub = await createHub({
    dataDir: folder,
    connectors: [jobcan],
    secretKey: randomBytes(32).toString('base64'),
    clock,
    worker: false,
  });
  try {
    const admin = await hub.users.bootstrap({
      email: 'admin@example.jp',
      name: '管理者',
      password: 'benchmark admin password',
    });
    const held = generateEmployees({ count: options.count, seed });
    const hr = drift(held, { seed: seed + 1 }).employees;
    fake.seed(IMPLICIT_DATA_AREA.id, held);
    const importStart = performance.now();
    const imported = await hub.employees.importCsv(admin.id, formatEmployeesCsv(hr));
    const importMs = performance.now() - importStart;
    if (imported.errors.length > 0 || imported.imported !== hr.length) {
      throw new Error(`HR import refused: ${JSON.stringify(imported.errors.slice(0, 3))}`);
    }
    const connection = await hub.connections.create(admin.id, {
      connectorId: jobcan.id,
      displayName: 'ジョブカン',
      credentials: FAKE_CREDENTIALS,
    });

    const requestsBefore = fake.requests.length;
    const [preview, build] = await cost(clock, () =>
      hub.previews.create(admin.id, { connectionId: connection.id, direction: 'export' }),
    );
    const requests = fake.requests.length - requestsBefore;
    const stored = await hub.previews.entries(preview.id, { page: 1, pageSize: 1 });
    if (stored.total !== hr.length) throw new Error(`stored ${stored.total} entries, expected ${hr.length}`);

    // The split: the vendor's listing alone, then plan() on what both sides listed.
    const session = await jobcan.connect(jobcan.credentials.parse(FAKE_CREDENTIALS), {
      fetch: (input, init) => globalThis.fetch(input, init),
      logger: silentLogger,
      signal: new AbortController().signal,
      clock,
      random: Math.random,
    });
    const [listed, vendorListing] = await cost(clock, async () => {
      const records: ListedEmployee[] = [];
      for await (const record of session.listEmployees(IMPLICIT_DATA_AREA.id)) records.push(record);
      return records;
    });
    await session.close();
    const hrListed = hr.map((employee): ListedEmployee => ({ ok: true, employee }));
    const hrFields = Object.fromEntries(FIELD_KEYS.map((key) => [key, 'readWrite' as const]));
    const [, planned] = await cost(clock, async () =>
      plan({ fields: hrFields, records: hrListed }, { fields: jobcan.fields, records: listed }),
    );
    return {
      employees: hr.length,
      requests,
      importMs,
      summary: preview.summary,
      build,
      vendorListing,
      plan: planned,
    };
  } finally {
    await hub.close();
    server.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
