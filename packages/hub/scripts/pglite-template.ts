// Writes the PGlite data-folder template (src/db/pglite-template.ts) unless this PGlite and these
// migrations have one already. Run by the hub's build and by `pnpm install` in the workspace (root
// postinstall). The template only saves memory and time: failing to write it fails nothing.
import { ensureTemplate } from '../src/db/pglite-template.ts';

try {
  await ensureTemplate();
} catch (error) {
  console.warn(
    `renkei: the PGlite data-folder template was not written (a fresh data folder runs initdb instead): ${String(error)}`,
  );
}
