// Writes the PGlite data-folder template (src/db/pglite-template.ts) unless the installed PGlite
// already has one. Run by the hub's build and by `pnpm install` in the workspace (root postinstall).
import { ensureTemplate } from '../src/db/pglite-template.ts';

await ensureTemplate();
