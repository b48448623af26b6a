// A PGlite data folder as initdb and the hub's migrations leave it, made once and shipped with the
// hub, so that opening a fresh data folder unpacks it instead of running initdb and every migration.
// initdb is what made a first start expensive: PGlite runs it in a second PostgreSQL instance with
// its own WebAssembly memory beside the main one (the demo's first start peaked at 693–708 MB, 300
// MB on a folder that exists; packages/benchmarks/README.md, "Memory").
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { z } from 'zod';
import { migrationsDigest, migrationsFolder } from './migrations.ts';
import { keepWasmOnBaseline } from './wasm-tiering.ts';

/** Where the hub's build and, in the workspace, `pnpm install` (root postinstall) write it. */
const ASSETS = join(import.meta.dirname, '..', '..', 'assets');
const TEMPLATE_NAME = /^pglite-data-.+\.tar\.gz$/;

/** What a database unpacked from a template says of itself (`comment on database`). */
export const TEMPLATE_MARK = 'renkei: unpacked from the data-folder template';

const PackageManifest = z.object({ version: z.string() });

/** The installed PGlite's version: a template is only used by the version that made it. */
export function pgliteVersion(): string {
  const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
  const manifest = join(dirname(entry), '..', 'package.json');
  return PackageManifest.parse(JSON.parse(readFileSync(manifest, 'utf8'))).version;
}

/**
 * The template for the installed PGlite and the migrations this code ships: its name says what made
 * it, so a template made by anything else is simply not found (and initdb runs as before).
 */
export function templateFile(folder = ASSETS): string {
  return join(folder, templateName());
}

/** Its name: worked out once per process (a version file read and every migration hashed). */
let name: string | undefined;

function templateName(): string {
  name ??= `pglite-data-${pgliteVersion()}-${migrationsDigest().slice(0, 16)}.tar.gz`;
  return name;
}

/**
 * Unpacks the template into `dataDir` when it holds no database yet: streamed from the file (a few
 * chunks in memory at a time) into a folder beside it, renamed into place when complete, so a crash
 * never leaves half a database there (the next start clears the half-unpacked folder). False when
 * PGlite must open or initialise the folder itself: it is not empty, there is no template, or the
 * unpacking failed (a second process first, a read-only parent, a damaged template).
 */
export async function unpackTemplate(dataDir: string, template?: string): Promise<boolean> {
  const empty = !existsSync(dataDir) || readdirSync(dataDir).length === 0;
  if (!empty) return false;
  const file = template ?? templateFile();
  if (!existsSync(file)) return false;
  const unpacking = `${dataDir}.unpacking`;
  try {
    rmSync(unpacking, { recursive: true, force: true });
    mkdirSync(unpacking, { recursive: true });
    // Loaded only here: every start but a fresh folder's goes without it.
    const { extract } = await import('tar');
    await extract({ file, cwd: unpacking });
    if (existsSync(dataDir)) rmdirSync(dataDir);
    renameSync(unpacking, dataDir);
    return true;
  } catch {
    rmSync(unpacking, { recursive: true, force: true });
    return false;
  }
}

/** The template last read for an in-memory database: a test file opens many (read once). */
let read: { path: string; blob: Blob } | undefined;

/**
 * The template for an in-memory database (PGlite's `loadDataDir`), or undefined to run initdb: a
 * database ready in ~0.8 s instead of ~2.3 s, which the tests' many databases feel.
 */
export function templateBlob(template = templateFile()): Blob | undefined {
  if (!existsSync(template)) return undefined;
  // A Blob cannot change: the one read serves every database.
  if (read?.path !== template) read = { path: template, blob: new Blob([readFileSync(template)]) };
  return read.blob;
}

/** Writes the template unless there is one already; removes templates of other versions beside it. */
export async function ensureTemplate(folder = ASSETS): Promise<string> {
  const template = templateFile(folder);
  if (!existsSync(template)) await writeTemplate(template);
  for (const name of readdirSync(folder)) {
    if (TEMPLATE_NAME.test(name) && join(folder, name) !== template)
      rmSync(join(folder, name), { force: true });
  }
  return template;
}

/**
 * Runs initdb in memory, applies the migrations, marks the database, and writes its data folder as
 * a gzipped tar (about 4.5 MB) under a name of its own, renamed into place: a reader never sees half
 * a template, and two writers never write into one file.
 */
export async function writeTemplate(template = templateFile()): Promise<void> {
  keepWasmOnBaseline();
  const pglite = await PGlite.create();
  try {
    await migrate(drizzle({ client: pglite }), { migrationsFolder });
    await pglite.exec(`comment on database postgres is '${TEMPLATE_MARK}'`);
    const dump = await pglite.dumpDataDir('gzip');
    mkdirSync(dirname(template), { recursive: true });
    const writing = `${template}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(writing, Buffer.from(await dump.arrayBuffer()));
    renameSync(writing, template);
  } finally {
    await pglite.close();
  }
}
