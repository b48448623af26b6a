// `pnpm release`: the local release checks. Builds every package (turbo), packs each publishable one
// exactly as `pnpm publish` would (publishConfig applied, workspace: ranges replaced), and checks the
// tarball: publint (strict), attw (ESM-only), and that the code imports only declared dependencies.
// Then prints what `changeset publish` would publish. It never publishes: a maintainer does, with
// `pnpm changeset version` and `pnpm changeset publish` (docs/writing-a-connector.md). Not run in CI.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { type Manifest, privateDependencies, undeclaredImports } from './release-checks.ts';

const root = join(import.meta.dirname, '..', '..');
const run = (command: string, args: string[], cwd = root) =>
  spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const readManifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

const packageDirs = ['packages', 'apps']
  .flatMap((group) =>
    existsSync(join(root, group)) ? readdirSync(join(root, group)).map((d) => join(root, group, d)) : [],
  )
  .concat(join(root, 'tooling'))
  .filter((dir) => existsSync(join(dir, 'package.json')));
const workspace = new Map(packageDirs.map((dir) => [readManifest(dir).name, readManifest(dir)]));
// A library declares how it is published; the app and the tooling do not.
const libraries = packageDirs.filter((dir) => readManifest(dir).publishConfig !== undefined);

console.log('release: building every package (turbo run build)');
const build = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);

const packDir = mkdtempSync(join(tmpdir(), 'renkei-release-'));
const problems: string[] = [];
try {
  for (const dir of libraries) {
    const manifest = readManifest(dir);
    const label = `${manifest.name}@${manifest.version}`;
    const found: string[] = [];

    const pack = run('pnpm', ['pack', '--json', '--pack-destination', packDir], dir);
    if (pack.status !== 0) {
      problems.push(`${label}: pnpm pack failed\n${pack.stderr}`);
      continue;
    }
    const packed = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] };

    const bytes = readFileSync(packed.filename);
    const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const lint = await publint({ pack: { tarball }, strict: true });
    for (const message of lint.messages)
      found.push(`publint ${message.type}: ${formatMessage(message, lint.pkg)}`);

    const attw = run('pnpm', ['exec', 'attw', packed.filename, '--profile', 'esm-only', '--format', 'ascii']);
    if (attw.status !== 0) found.push(`attw:\n${attw.stdout}${attw.stderr}`);

    const files = packed.files.map(({ path }) => ({ path, text: readFileSync(join(dir, path), 'utf8') }));
    for (const { dependency, file } of undeclaredImports(manifest, files)) {
      found.push(`${file} imports ${dependency}, which is not in dependencies or peerDependencies`);
    }
    for (const name of privateDependencies(manifest, workspace)) {
      found.push(`depends on ${name}, which is private and will not be published`);
    }

    const note = manifest.private ? ' (still "private": true: changesets will not publish it)' : '';
    console.log(`${found.length === 0 ? '✓' : '✗'} ${label}: ${packed.files.length} files${note}`);
    for (const line of found) console.log(`    ${line.replaceAll('\n', '\n    ')}`);
    problems.push(...found.map((line) => `${label}: ${line}`));
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
