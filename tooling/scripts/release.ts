// `pnpm release`: the local release checks. Builds every package (turbo), packs each publishable one
// exactly as `pnpm publish` would and checks the tarball (pack.ts). Then prints what
// `changeset publish` would publish. It never publishes: a maintainer does, with
// `pnpm changeset version` and `pnpm changeset publish` (docs/writing-a-connector.md). CI runs the
// same pack and checks through the consumer test (consumer-test.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLibraries, libraries, packLibraries, readManifest, root } from './pack.ts';

console.log('release: building every package (turbo run build)');
if (!buildLibraries()) process.exit(1);

const packDir = mkdtempSync(join(tmpdir(), 'renkei-release-'));
const problems: string[] = [];
try {
  for (const packed of await packLibraries(packDir)) {
    const label = `${packed.name}@${packed.version}`;
    const manifest = libraries.map(readManifest).find((candidate) => candidate.name === packed.name);
    const note = manifest?.private ? ' (still "private": true: changesets will not publish it)' : '';
    console.log(`${packed.problems.length === 0 ? '✓' : '✗'} ${label}: ${packed.files} files${note}`);
    for (const line of packed.problems) console.log(`    ${line.replaceAll('\n', '\n    ')}`);
    problems.push(...packed.problems.map((line) => `${label}: ${line}`));
  }
} finally {
  rmSync(packDir, { recursive: true, force: true });
}

// What `changeset publish` would do: the packages whose version is not on the registry yet.
const plan = spawnSync('pnpm', ['exec', 'changeset', 'publish-plan'], { cwd: root, stdio: 'inherit' });
if (plan.status !== 0)
  console.log('release: could not read the publish plan (is the npm registry reachable?)');

console.log(
  problems.length === 0
    ? `\nrelease: ${libraries.length} packages ready. Publish with: pnpm changeset version && pnpm changeset publish`
    : `\nrelease: ${problems.length} problem(s) in ${libraries.length} packages`,
);
process.exit(problems.length === 0 ? 0 : 1);
