import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, resultRows } from './adapter.ts';
import { migrationsFolder, newestMigration } from './migrations.ts';
import {
  ensureTemplate,
  pgliteVersion,
  TEMPLATE_MARK,
  templateBlob,
  templateFile,
  unpackTemplate,
} from './pglite-template.ts';

const dir = mkdtempSync(join(tmpdir(), 'renkei-template-'));
const assets = join(dir, 'assets');
let template: string;

/**
 * What initdb and the migrations decide, that a template must reproduce: catalog, encoding,
 * collation, settings, the migrations recorded as applied.
 */
const CLUSTER_FACTS = `
  select (select count(*) from pg_class)::int as relations,
         (select max(created_at) from drizzle.__drizzle_migrations)::text as newest,
         (select count(*) from pg_proc)::int as functions,
         (select string_agg(datname || ':' || pg_encoding_to_char(encoding) || ':' || datcollate || ':' || datctype, ',' order by datname) from pg_database) as databases,
         current_setting('server_version') as version,
         current_setting('lc_messages') as messages,
         current_setting('TimeZone') as zone`;

async function clusterFacts(pglite: PGlite): Promise<unknown> {
  return (await pglite.query(CLUSTER_FACTS)).rows[0];
}

beforeAll(async () => {
  // A template of another PGlite version lies beside: writing this one removes it.
  mkdirSync(assets, { recursive: true });
  writeFileSync(join(assets, 'pglite-data-0.0.1-0123456789abcdef.tar.gz'), 'stale');
  template = await ensureTemplate(assets);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('PGlite data-folder template', () => {
  it('is named for the PGlite and the migrations that made it; others beside it are removed', () => {
    expect(template).toBe(templateFile(assets));
    expect(template).toContain(`pglite-data-${pgliteVersion()}-`);
    expect(readdirSync(assets)).toEqual([template.split('/').pop()]);
  });

  it('gives a fresh folder the database initdb and the migrations make, which keeps what is written in it', async () => {
    const byInitdb = await PGlite.create(join(dir, 'initdb'));
    await migrate(drizzle({ client: byInitdb }), { migrationsFolder });
    const expected = await clusterFacts(byInitdb);
    await byInitdb.close();
    expect(expected).toMatchObject({ newest: String(newestMigration()) });

    const folder = join(dir, 'unpacked');
    expect(await unpackTemplate(folder, template)).toBe(true);
    expect(existsSync(`${folder}.unpacking`)).toBe(false);
    const unpacked = await PGlite.create(folder);
    expect(await clusterFacts(unpacked)).toEqual(expected);
    await unpacked.exec('create table kept (n int); insert into kept values (1);');
    await unpacked.close();

    // The folder holds a database now: never unpacked over.
    expect(await unpackTemplate(folder, template)).toBe(false);
    const reopened = await PGlite.create(folder);
    expect((await reopened.query('select n from kept')).rows).toEqual([{ n: 1 }]);
    await reopened.close();

    const inMemory = await PGlite.create({ loadDataDir: templateBlob(template) as Blob });
    expect(await clusterFacts(inMemory)).toEqual(expected);
    await inMemory.close();
  }, 60_000);

  it("is what the hub's own fresh data folder starts from (this checkout's template is current)", async () => {
    expect(
      existsSync(templateFile()),
      'no template for this PGlite and these migrations: run pnpm install',
    ).toBe(true);
    const database = await openDatabase({ dataDir: join(dir, 'hub') });
    const [mark] = resultRows<{ mark: string | null }>(
      await database.db.execute(
        sql`select shobj_description(oid, 'pg_database') as mark from pg_database where datname = current_database()`,
      ),
    );
    await database.close();
    expect(mark?.mark).toBe(TEMPLATE_MARK);
  }, 60_000);

  it('leaves a folder that is not empty to PGlite, and falls back when unpacking fails', async () => {
    const occupied = join(dir, 'occupied');
    mkdirSync(occupied, { recursive: true });
    writeFileSync(join(occupied, 'note.txt'), 'not ours to replace');
    expect(await unpackTemplate(occupied, template)).toBe(false);
    expect(readdirSync(occupied)).toEqual(['note.txt']);

    const damaged = join(dir, 'damaged.tar.gz');
    writeFileSync(damaged, 'not a tar');
    const folder = join(dir, 'after-damage');
    expect(await unpackTemplate(folder, damaged)).toBe(false);
    expect(existsSync(`${folder}.unpacking`)).toBe(false);
    expect(existsSync(folder)).toBe(false);

    // A half-unpacked folder left by a crash is cleared by the next start.
    const crashed = join(dir, 'crashed');
    mkdirSync(`${crashed}.unpacking/base`, { recursive: true });
    writeFileSync(`${crashed}.unpacking/base/half`, 'x');
    expect(await unpackTemplate(crashed, template)).toBe(true);
    expect(existsSync(join(crashed, 'base', 'half'))).toBe(false);
    expect(existsSync(join(crashed, 'PG_VERSION'))).toBe(true);
  });

  it('is not used when it is missing', async () => {
    const folder = join(dir, 'never');
    expect(await unpackTemplate(folder, join(dir, 'absent.tar.gz'))).toBe(false);
    expect(templateBlob(join(dir, 'absent.tar.gz'))).toBeUndefined();
    expect(existsSync(folder)).toBe(false);
  });
});
