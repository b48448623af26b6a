import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsDigest, migrationsFolder, newestMigration } from './migrations.ts';
import { pgliteVersion, templateBlob, unpackTemplate, writeTemplate } from './pglite-template.ts';

const dir = mkdtempSync(join(tmpdir(), 'renkei-template-'));
const template = join(dir, 'template.tar.gz');

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

beforeAll(() => writeTemplate(template), 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('PGlite data-folder template', () => {
  it('gives a fresh folder the database initdb and the migrations make, which keeps what is written in it', async () => {
    const byInitdb = await PGlite.create(join(dir, 'initdb'));
    await migrate(drizzle({ client: byInitdb }), { migrationsFolder });
    const expected = await clusterFacts(byInitdb);
    await byInitdb.close();
    expect(expected).toMatchObject({ newest: String(newestMigration()) });

    const folder = join(dir, 'unpacked');
    expect(await unpackTemplate(folder, template)).toBe(true);
    expect(readdirSync(dir).filter((name) => name.includes('.unpacking-'))).toEqual([]);
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

  it('leaves a folder that is not empty to PGlite', async () => {
    const folder = join(dir, 'occupied');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'note.txt'), 'not ours to replace');
    expect(await unpackTemplate(folder, template)).toBe(false);
    expect(readdirSync(folder)).toEqual(['note.txt']);
  });

  it('is not used when another PGlite version or other migrations made it, or when it is missing', async () => {
    const folder = join(dir, 'never');
    const meta = `${template}.json`;
    const original = readFileSync(meta, 'utf8');
    expect(JSON.parse(original)).toEqual({ pglite: pgliteVersion(), migrations: migrationsDigest() });
    try {
      writeFileSync(meta, JSON.stringify({ pglite: '0.0.1', migrations: migrationsDigest() }));
      expect(await unpackTemplate(folder, template)).toBe(false);
      expect(templateBlob(template)).toBeUndefined();
      writeFileSync(meta, JSON.stringify({ pglite: pgliteVersion(), migrations: 'an older set' }));
      expect(await unpackTemplate(folder, template)).toBe(false);
      writeFileSync(meta, '{}');
      expect(await unpackTemplate(folder, template)).toBe(false);
    } finally {
      writeFileSync(meta, original);
    }
    expect(await unpackTemplate(folder, join(dir, 'absent.tar.gz'))).toBe(false);
    expect(existsSync(folder)).toBe(false);
  });
});
