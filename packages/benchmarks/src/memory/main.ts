/**
 * Memory of whole processes (issue #17 item 3): the demo (`pnpm start`) and `renkei serve` on PGlite,
 * each started on a fresh data folder and again on the same folder, with the node flags their
 * launchers pass. Reports ready time, start peak (VmHWM, the kernel's high-water mark) and idle RSS
 * (median over 5 s after 15 s at rest), median of `--runs` (default 2), writes `bench/results.json`
 * (`memory`) and the README block. `--smoke`: one short run of the demo, nothing written.
 * With DATABASE_URL set (tooling/scripts/with-postgres.sh), `serve` on PostgreSQL is measured too.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServerDatabase, type ServerDatabase } from '@renkei/hub/testing/database';
import {
  machineLine,
  markdownTable,
  writeReadmeSection,
  writeResults,
} from '../../../testkit/bench/report.ts';
import { type MemoryRun, measureProcess } from './measure.ts';
import {
  prepareSyncDatabase,
  runSync,
  SYNC_EMPLOYEES,
  type SyncFakes,
  type SyncTimes,
  startSyncFakes,
} from './sync.ts';

const smoke = process.argv.includes('--smoke');
const runsArg = process.argv.indexOf('--runs');
const RUNS = smoke ? 1 : Number(runsArg >= 0 ? process.argv[runsArg + 1] : 2);
const TARGET = { peakMb: 600, idleMb: 300 };
/** What `pnpm start` and `./renkei serve` pass to node (apps/admin/package.json, ./renkei). */
const NODE_FLAGS = ['--max-semi-space-size=8'];
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const loadAtStart = loadavg()[0] as number;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

interface Case {
  process: 'demo' | 'serve';
  database: 'PGlite' | 'PostgreSQL';
  args: readonly string[];
  env: (dataDir: string) => NodeJS.ProcessEnv;
}

const secretKey = randomBytes(32).toString('base64');
const baseEnv = { ...process.env };
delete baseEnv.DATABASE_URL;
const cases: Case[] = [
  {
    process: 'demo',
    database: 'PGlite',
    args: [...NODE_FLAGS, 'apps/admin/src/main.ts'],
    env: (dataDir) => ({ ...baseEnv, RENKEI_DATA_DIR: dataDir }),
  },
];
if (!smoke) {
  cases.push({
    process: 'serve',
    database: 'PGlite',
    args: [...NODE_FLAGS, 'apps/admin/src/cli.ts', 'serve'],
    env: (dataDir) => ({ ...baseEnv, RENKEI_DATA_DIR: dataDir, RENKEI_SECRET_KEY: secretKey }),
  });
  if (process.env.DATABASE_URL) {
    cases.push({
      process: 'serve',
      database: 'PostgreSQL',
      args: [...NODE_FLAGS, 'apps/admin/src/cli.ts', 'serve'],
      env: () => ({ ...baseEnv, DATABASE_URL: process.env.DATABASE_URL, RENKEI_SECRET_KEY: secretKey }),
    });
  }
}

interface Row {
  process: string;
  database: string;
  start: 'fresh' | 'again';
  runs: MemoryRun[];
  median: MemoryRun;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const rows: Row[] = [];
for (const c of cases) {
  const byStart: Record<'fresh' | 'again', MemoryRun[]> = { fresh: [], again: [] };
  for (let run = 0; run < RUNS; run++) {
    const parent = mkdtempSync(join(tmpdir(), 'renkei-memory-'));
    const dataDir = join(parent, 'data');
    try {
      for (const start of ['fresh', 'again'] as const) {
        const port = await freePort();
        const result = await measureProcess({
          args: c.args,
          cwd: root,
          env: { ...c.env(dataDir), PORT: String(port), HOST: '127.0.0.1' },
          url: `http://127.0.0.1:${port}`,
          settleMs: smoke ? 2_000 : 15_000,
          idleWindowMs: smoke ? 1_000 : 5_000,
        });
        console.log(`${c.process} ${c.database} ${start} run ${run + 1}: ${JSON.stringify(result)}`);
        byStart[start].push(result);
      }
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  }
  for (const start of ['fresh', 'again'] as const) {
    const runs = byStart[start];
    rows.push({
      process: c.process,
      database: c.database,
      start,
      runs,
      median: {
        readyMs: median(runs.map((r) => r.readyMs)),
        peakAtReadyMb: median(runs.map((r) => r.peakAtReadyMb)),
        peakMb: median(runs.map((r) => r.peakMb)),
        idleMb: median(runs.map((r) => r.idleMb)),
      },
    });
  }
}

/** `renkei serve` during a 10k sync (sync.ts), on each database: fresh database and fakes per run. */
interface SyncRow {
  database: string;
  runs: MemoryRun<SyncTimes>[];
}
const syncRows: SyncRow[] = [];
if (!smoke) {
  const databases = ['PGlite', ...(process.env.DATABASE_URL ? ['PostgreSQL'] : [])] as const;
  for (const database of databases) {
    const runs: MemoryRun<SyncTimes>[] = [];
    for (let run = 0; run < RUNS; run++) {
      const folder = mkdtempSync(join(tmpdir(), 'renkei-memory-sync-'));
      let fakes: SyncFakes | undefined;
      let server: ServerDatabase | undefined;
      try {
        fakes = await startSyncFakes(root, folder);
        server = database === 'PostgreSQL' ? await createServerDatabase('renkei_memory_sync') : undefined;
        const dataDir = join(folder, 'data');
        const target = server ? { databaseUrl: server.url } : { dataDir };
        const prepared = await prepareSyncDatabase(target, secretKey, fakes);
        const port = await freePort();
        const result = await measureProcess({
          args: [...NODE_FLAGS, 'apps/admin/src/cli.ts', 'serve'],
          cwd: root,
          env: {
            ...baseEnv,
            ...(server ? { DATABASE_URL: server.url } : { RENKEI_DATA_DIR: dataDir }),
            RENKEI_SECRET_KEY: secretKey,
            RENKEI_VENDOR_BASE_URLS: fakes.baseUrls,
            PORT: String(port),
            HOST: '127.0.0.1',
          },
          url: `http://127.0.0.1:${port}`,
          during: (url) => runSync(url, prepared),
        });
        console.log(
          `serve ${database} during a ${SYNC_EMPLOYEES} sync, run ${run + 1}: ${JSON.stringify(result)}`,
        );
        runs.push(result);
      } finally {
        await fakes?.stop();
        await server?.drop();
        rmSync(folder, { recursive: true, force: true });
      }
    }
    syncRows.push({ database, runs });
  }
}

const mark = (value: number, target: number) => `${value.toFixed(0)} ${value <= target ? '✅' : '❌'}`;
const table = markdownTable(
  [
    'process',
    'database',
    'start',
    'ready',
    `start peak (≤ ${TARGET.peakMb} MB)`,
    `idle (≤ ${TARGET.idleMb} MB)`,
    'runs: peak / idle',
  ],
  rows.map((row) => [
    row.process,
    row.database,
    row.start === 'fresh' ? 'fresh data folder' : 'same folder again',
    `${(row.median.readyMs / 1000).toFixed(1)} s`,
    row.process === 'demo' ? mark(row.median.peakMb, TARGET.peakMb) : row.median.peakMb.toFixed(0),
    row.process === 'demo' ? mark(row.median.idleMb, TARGET.idleMb) : row.median.idleMb.toFixed(0),
    row.runs.map((r) => `${r.peakMb.toFixed(0)} / ${r.idleMb.toFixed(0)}`).join(', '),
  ]),
);
console.log(`\nMemory (MB, median of ${RUNS}, of two the higher):\n${table}\n`);

const during = (run: MemoryRun<SyncTimes>) => run.during as NonNullable<MemoryRun<SyncTimes>['during']>;
const syncTable = markdownTable(
  [
    'process',
    'database',
    'preview (list, plan, store)',
    'run (write into the HR master)',
    'written',
    'start peak before the sync',
    'peak during the sync',
    'median during the sync',
    'idle after',
    'runs: peak during / idle after',
  ],
  syncRows.map(({ database, runs }) => [
    'serve',
    database,
    `${(median(runs.map((r) => during(r).result.previewMs)) / 1000).toFixed(1)} s`,
    `${(median(runs.map((r) => during(r).result.runMs)) / 1000).toFixed(1)} s`,
    median(runs.map((r) => during(r).result.written)).toLocaleString('en-US'),
    median(runs.map((r) => r.peakAtReadyMb)).toFixed(0),
    median(runs.map((r) => during(r).peakMb)).toFixed(0),
    median(runs.map((r) => during(r).medianMb)).toFixed(0),
    median(runs.map((r) => r.idleMb)).toFixed(0),
    runs.map((r) => `${during(r).peakMb.toFixed(0)} / ${r.idleMb.toFixed(0)}`).join(', '),
  ]),
);
if (syncRows.length > 0) console.log(`During a ${SYNC_EMPLOYEES} sync (MB):\n${syncTable}\n`);

if (smoke) {
  console.log('bench:smoke ok (no targets checked, nothing written)');
} else {
  const loadAtEnd = loadavg()[0] as number;
  writeResults(root, 'memory', {
    nodeFlags: NODE_FLAGS,
    rows,
    sync: syncRows,
    loadAverage: { start: loadAtStart, end: loadAtEnd },
    targets: TARGET,
  });
  writeReadmeSection(
    `${root}README.md`,
    'memory',
    [
      `**Memory** — whole processes as their launchers start them (\`node ${NODE_FLAGS.join(' ')}\`; PGlite's`,
      'WebAssembly kept on Liftoff by the hub), each on a fresh data folder and then again on the same folder.',
      "*Start peak* is the kernel's high-water mark (VmHWM) over start and 20 s after; *idle* the median RSS",
      `of the last 5 s of those 20 s. Median of ${RUNS} runs (of two, the higher); the targets (issue #17) are the`,
      "demo's. On PostgreSQL every start uses the same database, so only the first run's first start migrates it.",
      '',
      table,
      '',
      `During a sync: \`renkei serve\` (no target of its own) with the vendor fakes in their own process (real HTTP,`,
      `ジョブカン's paging and rate limit) holding ${SYNC_EMPLOYEES.toLocaleString('en-US')} employees and an empty HR master; over \`/api/v1\` a preview`,
      "ジョブカン → HR, then a run writing every one (新規登録), worked by serve's own worker. RSS sampled every",
      '100 ms from the preview request until the run ended; *idle after*: 15 s later, median of 5 s.',
      '',
      syncTable,
      '',
      `${machineLine()} Load average (1 min) ${loadAtStart.toFixed(1)} at the start of the run, ${loadAtEnd.toFixed(1)} at the end.`,
      'Where the memory goes and what was tried: packages/benchmarks/README.md, "Memory".',
    ].join('\n'),
  );
  console.log('wrote bench/results.json (memory) and its README Performance block');
}
