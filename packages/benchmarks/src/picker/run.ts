import { randomBytes } from 'node:crypto';
import jobcan from '@renkei/connector-jobcan';
import { createJobcanFake, FAKE_CREDENTIALS } from '@renkei/connector-jobcan/fake';
import { createVirtualClock, IMPLICIT_DATA_AREA, type Plan } from '@renkei/core';
import { createHub, formatEmployeesCsv } from '@renkei/hub';
import { drift, generateEmployees } from '@renkei/testkit/fakes';
import { setupServer } from 'msw/node';
import { type Timing, timeInterleaved } from '../timing.ts';

export interface PickerOptions {
  count: number;
  /** Measured calls per subject. */
  runs: number;
  pageSize?: number;
  seed?: number;
}

export interface PickerResult {
  /** Entries in the preview (the HR master's employees). */
  employees: number;
  pageSize: number;
  /** Real time to fill the HR master through `employees.importCsv`. */
  importMs: number;
  /** Real time of `previews.create`: list both sides, plan, store every entry. */
  buildMs: number;
  summary: Plan['summary'];
  /** First page of `previews.entries`: all entries, and only 差分あり + 新規 (the picker's filter). */
  firstPage: Timing;
  firstPageFiltered: Timing;
  /** Baseline: load every stored entry in one query and slice the first page in JS. */
  baseline: Timing;
}

/**
 * The picker on the embedded hub (PGlite in memory): an HR master of `count` employees (a drifted
 * copy: 5 % changed, 1 % new, cosmetic variants) against ジョブカン holding the original, previewed
 * HR → ジョブカン. Vendor requests are paced on a virtual clock, so the build time is the hub's own.
 */
export async function pickerBench(options: PickerOptions): Promise<PickerResult> {
  const seed = options.seed ?? 20260401;
  const pageSize = options.pageSize ?? 50;
  const clock = createVirtualClock(Date.UTC(2026, 3, 1), { idleTurns: 20 });
  const fake = createJobcanFake({ clock });
  const server = setupServer(...fake.handlers);
  server.listen({ onUnhandledFrame: 'error' });
  const hub = await createHub({
    inMemory: true,
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

    let start = performance.now();
    const imported = await hub.employees.importCsv(admin.id, formatEmployeesCsv(hr));
    const importMs = performance.now() - start;
    if (imported.errors.length > 0 || imported.imported !== hr.length) {
      throw new Error(`HR import refused: ${JSON.stringify(imported.errors.slice(0, 3))}`);
    }
    const connection = await hub.connections.create(admin.id, {
      connectorId: jobcan.id,
      displayName: 'ジョブカン',
      credentials: FAKE_CREDENTIALS,
    });

    start = performance.now();
    const preview = await hub.previews.create(admin.id, { connectionId: connection.id, direction: 'export' });
    const buildMs = performance.now() - start;

    const timings = await timeInterleaved(
      {
        firstPage: () => hub.previews.entries(preview.id, { page: 1, pageSize }),
        firstPageFiltered: () =>
          hub.previews.entries(preview.id, { status: ['changed', 'new'], page: 1, pageSize }),
        baseline: async () => (await hub.previews.select(preview.id, { all: {} })).slice(0, pageSize),
      },
      options.runs,
    );
    // The page must be the real thing: every source employee stored, the first ones served.
    const page = await hub.previews.entries(preview.id, { page: 1, pageSize });
    if (page.total !== hr.length || page.items.length !== Math.min(pageSize, hr.length)) {
      throw new Error(`first page: ${page.items.length} items of ${page.total}, expected of ${hr.length}`);
    }
    return {
      employees: hr.length,
      pageSize,
      importMs,
      buildMs,
      summary: preview.summary,
      ...timings,
    };
  } finally {
    await hub.close();
    server.close();
  }
}
