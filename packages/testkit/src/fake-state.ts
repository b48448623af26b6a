import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PersistableFake } from './fake.ts';

/** Fakes by a stable id (the connector id), as one state file holds them. */
export type PersistedFakes = Readonly<Record<string, PersistableFake>>;

export interface FakeStateFile {
  /** True when the file existed and every fake named in it was restored. */
  load(): boolean;
  /** Writes the fakes' state when it changed since the last load or save (temp file + rename). */
  save(): void;
}

/**
 * Keeps fakes' state in one JSON file, so a restart of the process serving them finds the vendor as
 * it left it. Writes are atomic: a crash leaves the old file or the new one, never half of one.
 */
export function createFakeStateFile(path: string, fakes: PersistedFakes): FakeStateFile {
  let written: string | undefined;
  const serialise = () =>
    JSON.stringify(Object.fromEntries(Object.entries(fakes).map(([id, fake]) => [id, fake.snapshot()])));

  return {
    load() {
      if (!existsSync(path)) return false;
      const text = readFileSync(path, 'utf8');
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error(`fake state ${path}: not a JSON object`);
      for (const [id, fake] of Object.entries(fakes)) {
        const snapshot = (parsed as Record<string, unknown>)[id];
        if (snapshot !== undefined) fake.restore(snapshot);
      }
      written = serialise();
      return true;
    },
    save() {
      const text = serialise();
      if (text === written) return;
      mkdirSync(dirname(path), { recursive: true });
      const temporary = `${path}.${process.pid}.tmp`;
      writeFileSync(temporary, text);
      renameSync(temporary, path);
      written = text;
    },
  };
}
