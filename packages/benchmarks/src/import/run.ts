import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createHub, formatEmployeesCsv, type Hub } from '@renkei/hub';
import { createServerDatabase } from '@renkei/hub/testing/database';
import { generateEmployees } from '@renkei/testkit/fakes';
import { createApp } from '../../../../apps/admin/src/app.ts';

export interface ImportOptions {
  /** Rows of the file imported by the hub (and probed for responsiveness). */
  rows: number;
  /** Rows written by the row-by-row baseline (it is slow; its rate is what is compared). */
  baselineRows: number;
  seed?: number;
  /** Run on the PostgreSQL server at DATABASE_URL (a fresh database per hub, dropped after); default embedded PGlite. */
  postgres?: boolean;
}

export interface LatencySummary {
  samples: number;
  failures: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface ImportResult {
  database: 'pglite' | 'postgres';
  rows: number;
  fileMb: number;
  importMs: number;
  rowsPerSecond: number;
  baseline: { rows: number; ms: number; rowsPerSecond: number };
  /** `/healthz` asked every 10 ms by another process: while idle, and while the import runs in the background. */
  healthzIdle: LatencySummary;
  healthzDuringImport: LatencySummary;
  /**
   * A page's database read (the first page of the employee list) every 50 ms while the background
   * import runs: what a signed-in user waits for. On PGlite its maximum is the publish at the end.
   */
  readsDuringImport: LatencySummary;
  backgroundImportMs: number;
}

function summarise(latencies: readonly number[], failures: number): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return {
    samples: sorted.length,
    failures,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: sorted.at(-1) ?? Number.NaN,
  };
}

async function openHub(postgres: boolean): Promise<{ hub: Hub; adminId: string; close(): Promise<void> }> {
  const server = postgres ? await createServerDatabase('renkei_bench') : undefined;
  // The embedded default as shipped: PGlite in a data folder on disk (in memory it grows its files
  // by copying, which neither serve nor the demo does).
  const folder = server ? undefined : mkdtempSync(join(tmpdir(), 'renkei-import-bench-'));
  const hub = await createHub({
    ...(server ? { databaseUrl: server.url } : { dataDir: folder as string }),
    connectors: [],
    secretKey: randomBytes(32).toString('base64'),
    worker: false,
  });
  const admin = await hub.users.bootstrap({
    email: 'admin@example.jp',
    name: '管理者',
    password: 'benchmark admin password',
  });
  return {
    hub,
    adminId: admin.id,
    async close() {
      await hub.close();
      await server?.drop();
      if (folder) rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Probes `url` from a child process while `work` runs. */
async function probeDuring(url: string, work: () => Promise<void>): Promise<LatencySummary> {
  const child = fork(new URL('./probe.ts', import.meta.url), [url, '10'], { stdio: 'inherit' });
  type Report = { latencies: number[]; failures: number; firstFailure?: string };
  const report = new Promise<Report>((resolve) =>
    child.once('message', (message) => resolve(message as Report)),
  );
  // Let the probe start asking before the work does.
  await new Promise((resolve) => setTimeout(resolve, 500));
  await work();
  child.send('stop');
  const { latencies, failures, firstFailure } = await report;
  if (firstFailure) console.log(`probe of ${url}: ${failures} failed, the first with ${firstFailure}`);
  return summarise(latencies, failures);
}

/**
 * The HR master CSV import on the embedded hub (PGlite in memory) or on a PostgreSQL server: `importCsv` of `rows` generated
 * employees (every field) against the row-by-row baseline on the same database in the same run, then
 * the same file imported in the background while another process asks the admin app's `/healthz`.
 */
export async function importBench(options: ImportOptions): Promise<ImportResult> {
  const seed = options.seed ?? 20260401;
  const employees = generateEmployees({ count: options.rows, seed });
  const file = formatEmployeesCsv(employees);

  const { hub, adminId, close } = await openHub(options.postgres ?? false);
  let importMs: number;
  let baselineMs: number;
  try {
    let start = performance.now();
    const result = await hub.employees.importCsv(adminId, file);
    importMs = performance.now() - start;
    if (result.errors.length > 0 || result.imported !== options.rows) {
      throw new Error(`import refused: ${JSON.stringify(result.errors.slice(0, 3))}`);
    }
    // Baseline: one INSERT (the hub's own create: validate, insert, audit) per row, other 社員番号s.
    const others = employees
      .slice(0, options.baselineRows)
      .map((employee) => ({ ...employee, employeeCode: `B${employee.employeeCode}` }));
    start = performance.now();
    for (const employee of others) await hub.employees.create(adminId, employee);
    baselineMs = performance.now() - start;
  } finally {
    await close();
  }

  const background = await openHub(options.postgres ?? false);
  const app = createApp({ hub: background.hub, connectors: [] });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
  let backgroundImportMs = 0;
  const reads: number[] = [];
  try {
    const healthzIdle = await probeDuring(url, () => new Promise((resolve) => setTimeout(resolve, 5_000)));
    const healthzDuringImport = await probeDuring(url, async () => {
      const start = performance.now();
      const job = await background.hub.employees.startImport(background.adminId, file, {});
      // A read asked every 50 ms, each timed until it is answered, however long after the import that is.
      const asked: Promise<void>[] = [];
      const asking = setInterval(() => {
        const start = performance.now();
        asked.push(
          background.hub.employees.list({ pageSize: 50 }).then(() => {
            reads.push(performance.now() - start);
          }),
        );
      }, 50);
      for (;;) {
        const now = await background.hub.employees.importJob(background.adminId, job.id);
        if (now?.status !== 'running') {
          if (now?.result?.imported !== options.rows) throw new Error(`background import: ${now?.status}`);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      clearInterval(asking);
      backgroundImportMs = performance.now() - start;
      await Promise.all(asked);
    });
    return {
      database: options.postgres ? 'postgres' : 'pglite',
      rows: options.rows,
      fileMb: file.length / 1024 / 1024,
      importMs,
      rowsPerSecond: options.rows / (importMs / 1000),
      baseline: {
        rows: options.baselineRows,
        ms: baselineMs,
        rowsPerSecond: options.baselineRows / (baselineMs / 1000),
      },
      healthzIdle,
      healthzDuringImport,
      readsDuringImport: summarise(reads, 0),
      backgroundImportMs,
    };
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await background.close();
  }
}
