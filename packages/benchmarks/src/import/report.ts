/**
 * The HR master CSV import benchmark as a report: on the embedded default (PGlite in a data folder)
 * and, when `DATABASE_URL` names a PostgreSQL server, on a fresh database there; the table, the
 * README block and the target verdicts. Used by `pnpm bench` (with everything else) and
 * `bench:import` (this alone).
 */
import { availableParallelism as cpuCount, loadavg } from 'node:os';
import { formatMs, formatRatio, machineLine, markdownTable } from '../../../testkit/bench/report.ts';
import { type ImportResult, importBench } from './run.ts';

export const IMPORT_TARGETS = { minRowsPerSecond: 20_000, maxHealthzP99Ms: 100 };

export interface Verdict {
  target: string;
  value: number;
  met: boolean;
}

export interface ImportReport {
  results: ImportResult[];
  table: string;
  section: string;
  /** Per database: `<db>.rowsPerSecond`, `<db>.healthzP99Ms`. */
  targets: Record<string, Verdict>;
}

const mark = (verdict: Verdict) => `${verdict.target} ${verdict.met ? '✅' : '❌'}`;

export async function importReport(smoke: boolean): Promise<ImportReport> {
  const rows = smoke ? 500 : 100_000;
  const baselineRows = smoke ? 50 : 2_000;
  const loadBefore = loadavg()[0] ?? 0;
  const results: ImportResult[] = [await importBench({ rows, baselineRows })];
  if (process.env.DATABASE_URL) results.push(await importBench({ rows, baselineRows, postgres: true }));

  // The machine is shared: the 1-minute load average before and after says how quiet it was.
  const load = `Load (1-min average, ${cpuCount()} cores): ${loadBefore.toFixed(1)} before, ${(loadavg()[0] ?? 0).toFixed(1)} after.`;
  const targets: Record<string, Verdict> = {};
  for (const result of results) {
    targets[`${result.database}.rowsPerSecond`] = {
      target: `≥ ${IMPORT_TARGETS.minRowsPerSecond.toLocaleString('en')} rows/s`,
      value: result.rowsPerSecond,
      met: result.rowsPerSecond >= IMPORT_TARGETS.minRowsPerSecond,
    };
    targets[`${result.database}.healthzP99Ms`] = {
      target: `≤ ${IMPORT_TARGETS.maxHealthzP99Ms} ms`,
      value: result.healthzDuringImport.p99Ms,
      met: result.healthzDuringImport.p99Ms <= IMPORT_TARGETS.maxHealthzP99Ms,
    };
  }
  const table = markdownTable(
    [
      'database',
      'rows',
      'import',
      'rows / s',
      'baseline: row-by-row rows / s',
      'speed-up',
      'in the background',
      '/healthz p99 idle',
      '/healthz p50 · p99 (max) during import',
      "a page's database read during import p50 · p99 (max)",
    ],
    results.map((result) => [
      result.database === 'pglite' ? 'PGlite (data folder)' : 'PostgreSQL',
      result.rows.toLocaleString('en'),
      `${formatMs(result.importMs)} ms`,
      result.rowsPerSecond.toFixed(0),
      `${result.baseline.rowsPerSecond.toFixed(0)} (${result.baseline.rows.toLocaleString('en')} rows)`,
      formatRatio(result.rowsPerSecond / result.baseline.rowsPerSecond),
      `${formatMs(result.backgroundImportMs)} ms`,
      `${formatMs(result.healthzIdle.p99Ms)} ms`,
      `${formatMs(result.healthzDuringImport.p50Ms)} · ${formatMs(result.healthzDuringImport.p99Ms)} ms (${formatMs(result.healthzDuringImport.maxMs)} ms${result.healthzDuringImport.failures > 0 ? `, ${result.healthzDuringImport.failures} failed` : ''})`,
      `${formatMs(result.readsDuringImport.p50Ms)} · ${formatMs(result.readsDuringImport.p99Ms)} ms (${formatMs(result.readsDuringImport.maxMs)} ms)`,
    ]),
  );
  const first = results[0] as ImportResult;
  const section = [
    `**HR master CSV import** — \`employees.importCsv\` of ${first.rows.toLocaleString('en')} generated employees with every field`,
    `(${first.fileMb.toFixed(1)} MB, UTF-8): decoded and parsed as a stream, validated in steps (PGlite 50 rows,`,
    'PostgreSQL 2,000), all or nothing, each row audited. PostgreSQL: one transaction for the file, each step',
    'written while the next is parsed (new employees with COPY). PGlite (one connection): the rows are staged',
    'in short transactions (COPY, 250 at a time) and published in one transaction at the end (a statement per',
    '500 lines), the only time other database requests wait: the maximum of the last column.',
    `Baseline, same database in the same run: one \`employees.create\` per row (validate, INSERT, audit),`,
    `${first.baseline.rows.toLocaleString('en')} rows. Then the same file imported as background work (\`employees.startImport\`) on a fresh`,
    `database while another process asks the admin app's \`/healthz\` every 10 ms (${results.map((r) => `${r.database}: ${r.healthzDuringImport.samples} answers, ${r.healthzDuringImport.failures} failed`).join('; ')}),`,
    "and the hub lists the first page of employees every 50 ms (a signed-in page's read).",
    'PGlite runs in the data folder, as serve and the demo do (in memory it grows its files by copying, which',
    'made the same import about twice as slow). PostgreSQL rows appear when the run has `DATABASE_URL`',
    '(`bash tooling/scripts/with-postgres.sh pnpm --filter @renkei/benchmarks bench:import`).',
    '',
    table,
    '',
    `Targets: ${results.map((r) => `${r.database} import ${mark(targets[`${r.database}.rowsPerSecond`] as Verdict)} · /healthz p99 ${mark(targets[`${r.database}.healthzP99Ms`] as Verdict)}`).join(' · ')}.`,
    machineLine(),
    load,
  ].join('\n');
  return { results, table, section, targets };
}
