/**
 * Sync-throughput and picker benchmarks (issue #8, parts 2 and 3). `pnpm bench` measures at full
 * size, checks the targets and writes `bench/results.json` (keys `sync`, `picker`) and the README's
 * Performance blocks; `--smoke` runs small sizes, checks nothing and writes nothing.
 */
import { fileURLToPath } from 'node:url';
import {
  formatMs,
  formatRatio,
  machineInfo,
  machineLine,
  markdownTable,
  writeReadmeSection,
  writeResults,
} from '../../testkit/bench/report.ts';
import { importReport } from './import/report.ts';
import { type PickerResult, pickerBench } from './picker/run.ts';
import { type SyncRow, syncBench } from './sync/bench.ts';
import { describeLimit } from './sync/limits.ts';

const smoke = process.argv.includes('--smoke');
const SYNC_EMPLOYEES = smoke ? 60 : 2_000;
const PICKER_EMPLOYEES = smoke ? 300 : 10_000;
const PICKER_RUNS = smoke ? 3 : 31;
/** Virtual round trip of every vendor request. */
const LATENCY_MS = 100;
const TARGETS = {
  minRateRatio: 0.9,
  maxFirstPageMs: 150,
};

const sync = await syncBench(SYNC_EMPLOYEES, LATENCY_MS);
const syncTable = markdownTable(
  [
    'system',
    'pass',
    'written (failed)',
    'binding limit',
    'requests',
    'rate ÷ allowed',
    'over limit',
    '429s',
    'employees / vendor-min',
    'baseline: rate ÷ allowed',
    'baseline: employees / min',
    'speed-up',
  ],
  sync.map((row) => [
    row.displayName,
    row.pass,
    `${row.renkei.written.toLocaleString('en')} (${row.renkei.failed})`,
    describeLimit(row.renkei.binding.limit),
    row.renkei.requests.toLocaleString('en'),
    formatShare(row.renkei.binding.ratio),
    String(row.renkei.overLimit),
    String(row.renkei.tooManyRequests),
    row.renkei.employeesPerMinute.toFixed(0),
    formatShare(row.baseline.binding.ratio),
    row.baseline.employeesPerMinute.toFixed(0),
    formatRatio(row.speedup),
  ]),
);
console.log(`\nSync throughput, ${SYNC_EMPLOYEES.toLocaleString('en')} employees:\n${syncTable}\n`);

const picker = await pickerBench({ count: PICKER_EMPLOYEES, runs: PICKER_RUNS });
const pickerTable = markdownTable(
  [
    'preview entries',
    'build preview',
    'first page',
    'first page, 差分あり + 新規',
    'baseline: load all, slice',
    'speed-up',
  ],
  [
    [
      picker.employees.toLocaleString('en'),
      `${formatMs(picker.buildMs)} ms`,
      `${formatMs(picker.firstPage.medianMs)} ms`,
      `${formatMs(picker.firstPageFiltered.medianMs)} ms`,
      `${formatMs(picker.baseline.medianMs)} ms`,
      formatRatio(picker.baseline.medianMs / picker.firstPage.medianMs),
    ],
  ],
);
console.log(`Picker (hub on PGlite), page of ${picker.pageSize}:\n${pickerTable}\n`);

const imports = await importReport(smoke);
console.log(`HR master CSV import:\n${imports.table}\n`);

const rated = sync.flatMap((row) => (row.renkei.binding.ratio === null ? [] : [row.renkei.binding.ratio]));
const lowestRatio = Math.min(...rated);
const mostOverLimit = Math.max(...sync.map((row) => row.renkei.overLimit));
const most429s = Math.max(...sync.map((row) => row.renkei.tooManyRequests));
const firstPage = picker.firstPage.medianMs;
const targets: Record<'rateRatio' | 'overLimit' | 'tooManyRequests' | 'firstPageMs', Verdict> = {
  rateRatio: {
    target: `≥ ${TARGETS.minRateRatio}`,
    value: lowestRatio,
    met: lowestRatio >= TARGETS.minRateRatio,
  },
  overLimit: { target: '0', value: mostOverLimit, met: mostOverLimit === 0 },
  tooManyRequests: { target: '0', value: most429s, met: most429s === 0 },
  firstPageMs: {
    target: `≤ ${TARGETS.maxFirstPageMs} ms`,
    value: firstPage,
    met: firstPage <= TARGETS.maxFirstPageMs,
  },
};
// Rendered in the smoke run too, so a broken report fails CI rather than the next full run.
const sections = {
  sync: syncSection(sync, syncTable, targets),
  picker: pickerSection(picker, pickerTable, targets.firstPageMs),
  import: imports.section,
};

if (smoke) {
  console.log('bench:smoke ok (no targets checked, nothing written)');
} else {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const machine = machineInfo();
  const { firstPageMs, ...syncTargets } = targets;
  writeResults(root, 'sync', {
    employees: SYNC_EMPLOYEES,
    latencyMs: LATENCY_MS,
    machine,
    rows: sync,
    targets: syncTargets,
  });
  writeResults(root, 'picker', { ...picker, machine, targets: { firstPageMs } });
  writeResults(root, 'import', { databases: imports.results, machine, targets: imports.targets });
  writeReadmeSection(`${root}README.md`, 'sync', sections.sync);
  writeReadmeSection(`${root}README.md`, 'picker', sections.picker);
  writeReadmeSection(`${root}README.md`, 'import', sections.import);
  for (const [name, target] of Object.entries({ ...targets, ...imports.targets })) {
    console.log(`target ${name} ${target.target}: ${target.met ? 'met' : 'MISSED'} (${target.value})`);
  }
  console.log('wrote bench/results.json (sync, picker, import) and their README Performance blocks');
}

interface Verdict {
  target: string;
  value: number;
  met: boolean;
}

function formatShare(ratio: number | null): string {
  return ratio === null ? '— (one window)' : ratio.toFixed(2);
}

function mark(target: Verdict): string {
  return `${target.target} ${target.met ? '✅' : '❌'}`;
}

function syncSection(
  rows: readonly SyncRow[],
  table: string,
  targets: Record<'rateRatio' | 'overLimit' | 'tooManyRequests', Verdict>,
): string {
  const updates = rows.filter((row) => row.pass === 'update');
  return [
    `**Sync throughput** — \`apply()\` HR → each vendor's stateful fake, with the vendor's own limits, on a`,
    `virtual clock with a ${LATENCY_MS} ms round trip per request: ${SYNC_EMPLOYEES.toLocaleString('en')} generated employees created, then`,
    `every one drifted and the changes the vendor carries written (update pass; ${updates.map((row) => `${row.displayName} ${row.renkei.written.toLocaleString('en')}`).join(', ')}).`,
    `PCA writes in batches of 10; (failed) are employees PCA cannot hold (e.g. 性別 未設定, 貯蓄預金), refused as`,
    `the vendor would. *rate ÷ allowed*: for the binding limit, the least time the limit forces on that many`,
    `requests ((⌈n ÷ limit⌉ − 1) intervals) ÷ the time the pass took — the achieved rate ÷ the allowed rate.`,
    `*over limit*: requests the fake refused as over its limits; *429s*: 429 answers received (no faults injected).`,
    `Baseline, measured in the same run: the same connector and \`apply()\` behind a naive client that sends one`,
    `request at a time and after each waits interval ÷ limit of its class's strictest limit (PCA 1 s after a`,
    `read, 3 s after a write; ジョブカン 100 ms) — the fixed conservative delay that can never exceed a limit.`,
    '',
    table,
    '',
    `Targets: rate ÷ allowed ${mark(targets.rateRatio)} · over limit ${mark(targets.overLimit)} · 429s ${mark(targets.tooManyRequests)}.`,
    machineLine(),
  ].join('\n');
}

function pickerSection(result: PickerResult, table: string, target: Verdict): string {
  const { summary } = result;
  return [
    `**Picker** — the embedded hub (PGlite in memory) with an HR master of ${result.employees.toLocaleString('en')} employees (imported as CSV in`,
    `${formatMs(result.importMs)} ms) previewed HR → ジョブカン, whose fake holds an earlier copy (${summary.new} 新規, ${summary.changed} 差分あり, ${summary.unchanged.toLocaleString('en')} 差分なし`,
    `on the fields ジョブカン carries). *build preview*: \`previews.create\` — list both sides (vendor paced on a`,
    `virtual clock), plan, store every entry. *first page*: \`previews.entries\` page 1 of ${result.pageSize}, median of ${result.firstPage.runs}.`,
    `Baseline, same run: the same page served by loading every stored entry (\`previews.select(id, { all: {} })\`,`,
    `one query) and slicing in JS.`,
    '',
    table,
    '',
    `Target: first page ${mark(target)}.`,
    machineLine(),
  ].join('\n');
}
