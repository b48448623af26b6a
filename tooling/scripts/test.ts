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
for (const file of reportFiles) {
  const report = JSON.parse(readFileSync(file, 'utf8')) as VitestReport;
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
