// Packs the workspace's publishable packages exactly as `pnpm publish` would (publishConfig applied,
// workspace: ranges replaced) and checks each tarball: publint (strict), attw (ESM-only), and that its
// code imports only declared dependencies. Shared by `pnpm release` and the consumer test.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { type Manifest, privateDependencies, undeclaredImports } from './release-checks.ts';

export const root = join(import.meta.dirname, '..', '..');
export const run = (command: string, args: string[], cwd = root) =>
  spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
export const readManifest = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

const packageDirs = ['packages', 'apps']
  .flatMap((group) =>
    existsSync(join(root, group)) ? readdirSync(join(root, group)).map((d) => join(root, group, d)) : [],
  )
  .concat(join(root, 'tooling'))
  .filter((dir) => existsSync(join(dir, 'package.json')));

/** The packages that declare how they are published (the app, the fakes server and the tooling do not). */
export const libraries = packageDirs.filter((dir) => readManifest(dir).publishConfig !== undefined);

/** `turbo run build` for the publishable packages; false when it failed. */
export function buildLibraries(): boolean {
  const filters = libraries.flatMap((dir) => ['--filter', readManifest(dir).name]);
  const build = spawnSync(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only', ...filters],
    { cwd: root, stdio: 'inherit' },
  );
  return build.status === 0;
}

export interface PackedLibrary {
  name: string;
  version: string;
  /** The tarball's absolute path. */
  filename: string;
  files: number;
  problems: string[];
}

/** Packs every library into `destination` and checks each tarball. */
export async function packLibraries(destination: string): Promise<PackedLibrary[]> {
  const workspace = new Map(packageDirs.map((dir) => [readManifest(dir).name, readManifest(dir)]));
  const results: PackedLibrary[] = [];
  for (const dir of libraries) {
    const manifest = readManifest(dir);
    const pack = run('pnpm', ['pack', '--json', '--pack-destination', destination], dir);
    if (pack.status !== 0) {
      results.push({
        name: manifest.name,
        version: manifest.version,
        filename: '',
        files: 0,
        problems: [`pnpm pack failed\n${pack.stderr}`],
      });
      continue;
    }
    const packed = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] };
    const problems: string[] = [];

    const bytes = readFileSync(packed.filename);
    const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const lint = await publint({ pack: { tarball }, strict: true });
    for (const message of lint.messages)
      problems.push(`publint ${message.type}: ${formatMessage(message, lint.pkg)}`);

    const attw = run('pnpm', ['exec', 'attw', packed.filename, '--profile', 'esm-only', '--format', 'ascii']);
    if (attw.status !== 0) problems.push(`attw:\n${attw.stdout}${attw.stderr}`);

    const files = packed.files.map(({ path }) => ({ path, text: readFileSync(join(dir, path), 'utf8') }));
    for (const { dependency, file } of undeclaredImports(manifest, files)) {
      problems.push(`${file} imports ${dependency}, which is not in dependencies or peerDependencies`);
    }
    for (const name of privateDependencies(manifest, workspace)) {
      problems.push(`depends on ${name}, which is private and will not be published`);
    }
    results.push({
      name: manifest.name,
      version: manifest.version,
      filename: packed.filename,
      files: packed.files.length,
      problems,
    });
  }
  return results;
}
