// The consumer test: what a connector team gets from the registry. Packs every public package as
// `pnpm publish` would (with publint and attw on each tarball), installs the tarballs into empty
// projects with plain npm (no workspace), and proves that
//   (a) a production install of a connector and core holds no msw, vitest, vite or fast-check,
//   (b) the connector lists employees against its fake once the `./fake` subpath's peers are installed,
//   (c) the hub's `renkei` binary runs from the installed package.
// Prints one line per check, `✓ …` or `✗ …`, and exits non-zero when any failed.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLibraries, type PackedLibrary, packLibraries, run } from './pack.ts';

/** Test tooling that must never reach a production install. */
export const TEST_ONLY = ['msw', 'vitest', 'vite', 'fast-check'] as const;

const failures: string[] = [];
const report = (ok: boolean, message: string, detail = '') => {
  console.log(`${ok ? '✓' : '✗'} ${message}`);
  if (!ok) {
    failures.push(message);
    if (detail) console.log(`    ${detail.trim().replaceAll('\n', '\n    ')}`);
  }
};

/** An empty npm project with the given tarballs (and registry packages) installed. */
function project(dir: string, installs: readonly string[]): boolean {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  const install = run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', ...installs],
    dir,
  );
  report(
    install.status === 0,
    `npm install ${installs.map((item) => item.split('/').pop()).join(' ')}`,
    install.stderr,
  );
  return install.status === 0;
}

const LIST_EMPLOYEES = `
import jobcan from '@renkei/connector-jobcan';
import { createJobcanFake, FAKE_CREDENTIALS } from '@renkei/connector-jobcan/fake';
import { createVirtualClock } from '@renkei/core';
import { connectForTest, generateEmployees } from '@renkei/testkit';
import { setupServer } from 'msw/node';

const clock = createVirtualClock();
const fake = createJobcanFake({ clock });
fake.seed('default', generateEmployees({ count: 130, seed: 7 }));
const server = setupServer(...fake.handlers);
server.listen({ onUnhandledFrame: 'error' });
const session = await connectForTest(jobcan, FAKE_CREDENTIALS, { clock });
let count = 0;
for await (const listed of session.listEmployees('default')) if (listed.ok) count++;
await session.close();
server.close();
console.log('listed ' + count);
`;

async function main(): Promise<void> {
  if (!buildLibraries()) {
    report(false, 'turbo run build');
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'renkei-consumer-'));
  try {
    const tarballs = join(work, 'tarballs');
    mkdirSync(tarballs);
    const packed = await packLibraries(tarballs);
    for (const library of packed)
      report(
        library.problems.length === 0,
        `${library.name}: packed (${library.files} files), publint and attw clean`,
        library.problems.join('\n'),
      );
    const tarball = (name: string): string => {
      const found = packed.find((library: PackedLibrary) => library.name === name);
      if (!found?.filename) throw new Error(`${name} was not packed`);
      return found.filename;
    };

    // (a) production install: the connector and core only.
    const production = join(work, 'production');
    if (project(production, [tarball('@renkei/core'), tarball('@renkei/connector-jobcan')])) {
      const leaked = TEST_ONLY.filter((name) => existsSync(join(production, 'node_modules', name)));
      report(
        leaked.length === 0,
        `production install holds none of ${TEST_ONLY.join(', ')}`,
        leaked.join(', '),
      );
      const load = run(
        'node',
        ['--input-type=module', '-e', "await import('@renkei/connector-jobcan');"],
        production,
      );
      report(load.status === 0, 'the connector loads without its fake’s peers', load.stderr);
    }

    // (b) and (c): the fake subpath with its peers, and the hub's binary.
    const testing = join(work, 'testing');
    const installed = project(testing, [
      tarball('@renkei/core'),
      tarball('@renkei/testkit'),
      tarball('@renkei/connector-jobcan'),
      tarball('@renkei/hub'),
      'msw@^3',
    ]);
    if (installed) {
      writeFileSync(join(testing, 'list.mjs'), LIST_EMPLOYEES);
      const listed = run('node', ['list.mjs'], testing);
      report(
        listed.status === 0 && listed.stdout.includes('listed 130'),
        'the connector lists 130 employees from its fake (./fake subpath, msw setupServer)',
        `${listed.stdout}${listed.stderr}`,
      );
      const vitest = existsSync(join(testing, 'node_modules', 'vitest'));
      report(!vitest, 'testkit’s main entry needs no vitest (not installed, and the listing ran)');
      const help = run('npx', ['--no-install', 'renkei', '--help'], testing);
      report(
        help.status === 0 && help.stdout.includes('renkei'),
        'npx renkei --help exits 0',
        `${help.stdout}${help.stderr}`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
console.log(
  failures.length === 0 ? '\nconsumer test: all checks passed' : `\nconsumer test: ${failures.length} failed`,
);
process.exit(failures.length === 0 ? 0 : 1);
