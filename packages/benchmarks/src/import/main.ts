/**
 * `bench:import`: the HR master CSV import benchmark alone (PGlite, and PostgreSQL when
 * DATABASE_URL is set); writes the `import` key of bench/results.json and its README block.
 * `--smoke` runs 500 rows and writes nothing.
 */
import { fileURLToPath } from 'node:url';
import { machineInfo, writeReadmeSection, writeResults } from '../../../testkit/bench/report.ts';
import { importReport } from './report.ts';

const smoke = process.argv.includes('--smoke');
const report = await importReport(smoke);
console.log(`HR master CSV import:\n${report.table}\n`);
if (smoke) {
  console.log('bench:import smoke ok (no targets checked, nothing written)');
} else {
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  writeResults(root, 'import', {
    databases: report.results,
    machine: machineInfo(),
    targets: report.targets,
  });
  writeReadmeSection(`${root}README.md`, 'import', report.section);
  for (const [name, target] of Object.entries(report.targets)) {
    console.log(`target ${name} ${target.target}: ${target.met ? 'met' : 'MISSED'} (${target.value})`);
  }
  console.log('wrote bench/results.json (import) and its README Performance block');
}
