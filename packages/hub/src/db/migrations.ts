// The migrations this code ships (drizzle-kit's folder), shared by the adapter and the template.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const migrationsFolder = join(import.meta.dirname, '..', '..', 'drizzle');

/** The newest migration this code ships (its journal's last entry's timestamp). */
export function newestMigration(): number {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { when: number }[];
  };
  return Math.max(...journal.entries.map((entry) => entry.when));
}

/** A digest of every migration's SQL and the journal: what a database made from them depends on. */
export function migrationsDigest(): string {
  const hash = createHash('sha256');
  const files = readdirSync(migrationsFolder).filter((name) => name.endsWith('.sql'));
  for (const name of [...files.sort(), join('meta', '_journal.json')]) {
    hash
      .update(name)
      .update('\0')
      .update(readFileSync(join(migrationsFolder, name)))
      .update('\0');
  }
  return hash.digest('hex');
}
