/**
 * Where an HR master CSV import's time goes (issue #17 item 2): `node src/import/phases.ts [rows]
 * [--postgres] [--batch n] [--tree dir]` imports `rows` generated employees (default 100k) into a
 * fresh database (PGlite in a data folder, or with --postgres a new database at DATABASE_URL) and
 * prints each phase's wall and CPU time (this process; on PostgreSQL also the CPU of the server's
 * backends): decoding, parsing and validating the file without a database, then the import itself
 * split into reading and staging (short transactions) and the publish, with the time spent awaiting the
 * database's statements and transactions. `--batch` overrides the rows per step; `--tree src-base` loads the hub from a copy of its
 * sources beside `src` (an A/B of two versions in one checkout). Run it under `node --cpu-prof` for
 * the profile of the same work. Not part of `pnpm bench`: a tool for reading a profile.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatEmployeesCsv } from '@renkei/hub';
import { createServerDatabase } from '@renkei/hub/testing/database';
import { generateEmployees } from '@renkei/testkit/fakes';
import type { Db } from '../../../hub/src/db/adapter.ts';

// `--tree src-base`: the same measure on another copy of the hub's sources (an A/B in one checkout).
const tree = process.argv[process.argv.indexOf('--tree') + 1] ?? 'src';
const hub = (path: string) =>
  new URL(`../../../hub/${process.argv.includes('--tree') ? tree : 'src'}/${path}`, import.meta.url).href;
const { openDatabase } = (await import(
  hub('db/adapter.ts')
)) as typeof import('../../../hub/src/db/adapter.ts');
const { csvEmployees, csvRow, decodeSlices, detectEncoding, readCsvHeader } = (await import(
  hub('employees/csv.ts')
)) as typeof import('../../../hub/src/employees/csv.ts');
const { createEmployeeStore } = (await import(
  hub('employees/store.ts')
)) as typeof import('../../../hub/src/employees/store.ts');
const { IMPORT_BATCH_ROWS, importEmployeesCsv } = (await import(
  hub('employees/csv-import.ts')
)) as typeof import('../../../hub/src/employees/csv-import.ts');

// csv-parse is the hub's dependency, not this package's.
const { parse } = createRequire(new URL('../../../hub/package.json', import.meta.url))('csv-parse/sync') as {
  parse(input: string, options: { relax_column_count: boolean }): string[][];
};

const rows = Number(process.argv.find((arg) => /^\d+$/.test(arg)) ?? 100_000);
const postgres = process.argv.includes('--postgres');
const employees = generateEmployees({ count: rows, seed: 20260401 });
const file = formatEmployeesCsv(employees);

/** CPU time (ms) of the PostgreSQL processes serving `database` (a backend's title names its database). */
function serverCpuMs(database: string): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${database} `)) continue;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      total += (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {}
  }
  return total;
}

const phases = new Map<string, { wall: number; cpu: number }>();
const add = (name: string, wall: number, cpu = Number.NaN) => {
  const now = phases.get(name) ?? { wall: 0, cpu: 0 };
  phases.set(name, { wall: now.wall + wall, cpu: now.cpu + cpu });
};
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
async function timed<T>(name: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const cpu = cpuMs();
  try {
    return await work();
  } finally {
    add(name, performance.now() - start, cpuMs() - cpu);
  }
}
function timedSync<T>(name: string, work: () => T): T {
  const start = performance.now();
  const cpu = cpuMs();
  try {
    return work();
  } finally {
    add(name, performance.now() - start, cpuMs() - cpu);
  }
}

// 1. The file alone: decode, parse, validate (no database, nothing stored).
const encoding = detectEncoding(file);
const text = timedSync('file: decode', () =>
  [...decodeSlices(file, encoding, 32 * 1024)].map((slice) => slice.text).join(''),
);
const records = timedSync(
  'file: parse (csv-parse)',
  () => parse(text, { relax_column_count: true }) as string[][],
);
const [header, ...body] = records;
const read = readCsvHeader(header ?? []);
if ('errors' in read) throw new Error('bad header');
const csvRows = timedSync('file: cells → rows', () =>
  body.map((cells, index) => csvRow(read.layout, index + 2, cells)),
);
timedSync('file: validate (csvEmployees)', () => csvEmployees(read.layout, csvRows, new Map()));

// 2. The import on a fresh database, with the database's side wrapped.
const server = postgres ? await createServerDatabase('renkei_phases') : undefined;
const folder = server ? undefined : mkdtempSync(join(tmpdir(), 'renkei-phases-'));
const database = await openDatabase(server ? { databaseUrl: server.url } : { dataDir: folder as string });
const db = database.db;
// Every statement and transaction, timed as awaited; the import's two phases from its progress.
const execute = db.execute.bind(db);
db.execute = ((query: Parameters<Db['execute']>[0]) =>
  timed('db: statements (awaited)', () => execute(query))) as Db['execute'];
const transaction = db.transaction.bind(db);
db.transaction = ((work: (tx: Db) => Promise<unknown>, config?: unknown) =>
  timed('db: transactions (staging COPY, publish)', () =>
    transaction((tx) => work(tx as unknown as Db), config as never),
  )) as Db['transaction'];
const batchArg = process.argv.indexOf('--batch');
const batchRows = batchArg > 0 ? Number(process.argv[batchArg + 1]) : IMPORT_BATCH_ROWS[database.kind];
const serverCpu = () => (server ? serverCpuMs(new URL(server.url).pathname.slice(1)) : 0);
const cpuBefore = process.cpuUsage();
const serverBefore = serverCpu();
const start = performance.now();
let writingFrom = Number.NaN;
const result = await importEmployeesCsv(
  database,
  createEmployeeStore(db),
  'user:phases',
  file,
  {},
  (progress) => {
    if (progress.phase === 'writing') writingFrom = performance.now();
  },
  undefined,
  batchRows,
);
const importMs = performance.now() - start;
add('import: reading and staging', writingFrom - start);
add('import: publish and clean-up (one transaction, stage dropped)', performance.now() - writingFrom);
const cpu = process.cpuUsage(cpuBefore);
add('import: total', importMs, (cpu.user + cpu.system) / 1000);
if (server) add('PostgreSQL backends of this database', Number.NaN, serverCpu() - serverBefore);
if (result.imported !== rows)
  throw new Error(`imported ${result.imported}: ${JSON.stringify(result.errors.slice(0, 3))}`);
await database.close();
await server?.drop();
if (folder) rmSync(folder, { recursive: true, force: true });

console.log(
  `${process.argv.includes('--tree') ? tree : 'src'}: ${database.kind}, ${rows} rows, ${(file.length / 1024 / 1024).toFixed(1)} MB, batch ${batchRows}`,
);
console.log(`${'phase'.padEnd(40)} ${'wall ms'.padStart(8)} ${'cpu ms'.padStart(8)}`);
for (const [name, { wall, cpu }] of phases) {
  console.log(`${name.padEnd(40)} ${wall.toFixed(0).padStart(8)} ${cpu.toFixed(0).padStart(8)}`);
}
console.log(`rows/s ${(rows / (importMs / 1000)).toFixed(0)}`);
