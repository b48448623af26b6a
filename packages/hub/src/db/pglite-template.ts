// A PGlite data folder as initdb and the hub's migrations leave it, made once and shipped with the
// hub, so that opening a fresh data folder unpacks it instead of running initdb and every migration. initdb is what makes a first start
// expensive: PGlite runs it in a second PostgreSQL instance with its own WebAssembly memory beside
// the main one (PGlite alone on a fresh folder: 612 MB RSS, of which ~280 MB stay until a full
// collection; on a folder unpacked from this template, as on any existing one: 216 MB;
// packages/benchmarks/README.md, "Memory").
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
import { extract } from 'tar';
import { z } from 'zod';
import { migrationsDigest, migrationsFolder } from './migrations.ts';
import { keepWasmOnBaseline } from './wasm-tiering.ts';

/** Where the build (and `pnpm install` in the workspace, via the hub's `prepare`) writes it. */
export const DEFAULT_TEMPLATE = join(import.meta.dirname, '..', '..', 'assets', 'pglite-data.tar.gz');

const TemplateMeta = z.object({ pglite: z.string(), migrations: z.string() });
const PackageManifest = z.object({ version: z.string() });

const metaFile = (template: string) => `${template}.json`;

/** The installed PGlite's version: a template is only used by the version that made it. */
export function pgliteVersion(): string {
  const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
  const manifest = join(dirname(entry), '..', 'package.json');
  return PackageManifest.parse(JSON.parse(readFileSync(manifest, 'utf8'))).version;
}

/**
 * Unpacks the template into `dataDir` when it holds no database yet, streaming from the file (a
 * few chunks in memory at a time) into a folder beside it, renamed into place when complete: a crash
 * never leaves half a database. False when PGlite must open or initialise the folder itself: it is
 * not empty (a database, or whatever else is there), or there is no template of the installed
 * PGlite version.
 */
export async function unpackTemplate(dataDir: string, template = DEFAULT_TEMPLATE): Promise<boolean> {
  const empty = !existsSync(dataDir) || readdirSync(dataDir).length === 0;
  if (!empty || !isCurrent(template)) return false;
  const unpacking = `${dataDir}.unpacking-${randomBytes(4).toString('hex')}`;
  mkdirSync(unpacking, { recursive: true });
  try {
    await extract({ file: template, cwd: unpacking });
    if (existsSync(dataDir)) rmdirSync(dataDir);
    renameSync(unpacking, dataDir);
  } finally {
    rmSync(unpacking, { recursive: true, force: true });
  }
  return true;
}

/**
 * The template for an in-memory database (PGlite's `loadDataDir`), or undefined to run initdb: a
 * database ready in ~0.8 s instead of ~2.3 s, which the tests' many databases feel.
 */
export function templateBlob(template = DEFAULT_TEMPLATE): Blob | undefined {
  return isCurrent(template) ? new Blob([readFileSync(template)]) : undefined;
}

/** What a template is made of: the installed PGlite and the migrations this code ships. */
function currentMeta(): z.infer<typeof TemplateMeta> {
  return { pglite: pgliteVersion(), migrations: migrationsDigest() };
}

/** The template exists and was made by the installed PGlite from these migrations. */
function isCurrent(template: string): boolean {
  if (!existsSync(template) || !existsSync(metaFile(template))) return false;
  const meta = TemplateMeta.safeParse(JSON.parse(readFileSync(metaFile(template), 'utf8')));
  const current = currentMeta();
  return meta.success && meta.data.pglite === current.pglite && meta.data.migrations === current.migrations;
}

/** Writes the template unless the installed PGlite already has one. */
export async function ensureTemplate(template = DEFAULT_TEMPLATE): Promise<void> {
  if (!isCurrent(template)) await writeTemplate(template);
}

/**
 * Runs initdb in memory, applies the migrations, and writes the data folder as a gzipped tar (about
 * 4.5 MB), then what it was made of.
 */
export async function writeTemplate(template = DEFAULT_TEMPLATE): Promise<void> {
  keepWasmOnBaseline();
  const pglite = await PGlite.create();
  try {
    await migrate(drizzle({ client: pglite }), { migrationsFolder });
    const dump = await pglite.dumpDataDir('gzip');
    mkdirSync(dirname(template), { recursive: true });
    // Written beside, then renamed: a reader never sees half a template.
    writeFileSync(`${template}.tmp`, Buffer.from(await dump.arrayBuffer()));
    renameSync(`${template}.tmp`, template);
    writeFileSync(metaFile(template), `${JSON.stringify(currentMeta())}\n`);
  } finally {
    await pglite.close();
  }
}
