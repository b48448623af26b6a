// Runs every package's tests through turbo, then adds up the vitest JSON reports into the one
// line CI reads: "N passed, N failed". Exits non-zero on any failure and when no test ran.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const projectDirs = ['packages', 'apps']
  .flatMap((group) =>
    existsSync(join(root, group)) ? readdirSync(join(root, group)).map((d) => join(root, group, d)) : [],
  )
  .concat(join(root, 'tooling'));

for (const dir of projectDirs) rmSync(join(dir, '.vitest'), { recursive: true, force: true });

const args = [
  'exec',
  'turbo',
  'run',
  'test',
  '--concurrency=1',
  '--continue',
  '--force',
  ...process.argv.slice(2),
];
const turbo = spawnSync('pnpm', args, { cwd: root, stdio: 'inherit' });

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTotalTests: number;
  success: boolean;
}
let passed = 0;
let failed = 0;
let skipped = 0;
let reports = 0;
const reportFiles = projectDirs.flatMap((dir) => {
  const folder = join(dir, '.vitest');
  return existsSync(folder)
    ? readdirSync(folder)
        .filter((name) => name.endsWith('.json'))
        .map((name) => join(folder, name))
    : [];
});
// Every package whose test script runs vitest must leave one report per `vitest run` in it (the hub
// runs twice: PGlite and PostgreSQL). A missing report is a failure, not zero tests. (Not when turbo
// was narrowed by arguments such as --filter.)
const everyPackage = process.argv.length <= 2;
for (const dir of everyPackage ? projectDirs : []) {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) continue;
  const script = (JSON.parse(readFileSync(manifest, 'utf8')) as { scripts?: Record<string, string> }).scripts
    ?.test;
  const expected = script?.match(/vitest run/g)?.length ?? 0;
  const written = reportFiles.filter((file) => file.startsWith(join(dir, '.vitest'))).length;
  if (written < expected) {
    console.error(`test: ${dir}: ${expected - written} of ${expected} vitest report(s) missing`);
    failed += expected - written;
  }
}
for (const file of reportFiles) {
  let report: VitestReport;
  try {
    report = JSON.parse(readFileSync(file, 'utf8')) as VitestReport;
  } catch (error) {
    console.error(`test: ${file} cannot be read: ${String(error)}`);
    failed++;
    continue;
  }
  reports++;
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests;
  if (!report.success && report.numFailedTests === 0) failed++; // a suite that failed to load
}
const turboFailed = turbo.status !== 0;
if (turboFailed && failed === 0) failed = 1; // a package crashed before writing its report
console.log(`\n${reports} test reports read${skipped ? `, ${skipped} skipped` : ''}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
