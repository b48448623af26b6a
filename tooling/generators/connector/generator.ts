import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { generateFiles, names, readJson, type Tree } from '@nx/devkit';
import type { ConnectorGeneratorSchema } from './schema.ts';

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Characters that would break out of the string literals and Markdown cells they land in. */
const UNSAFE_DISPLAY_NAME = /['"`\\|<>\n\r]/;

/** Used when the workspace's testkit does not name a version (it always does in this repository). */
const FALLBACK_VERSIONS = { msw: '^3.0.5', zod: '^4.6.7', vitest: '^5.1.1' };

export interface NormalisedOptions extends Required<ConnectorGeneratorSchema> {
  packageName: string;
  directory: string;
  className: string;
  propertyName: string;
  /** The secret credential the contract suite spoils to test refused credentials. */
  secretKey: string;
  versions: typeof FALLBACK_VERSIONS;
}

export function normaliseOptions(tree: Tree, options: ConnectorGeneratorSchema): NormalisedOptions {
  const name = options.name?.trim() ?? '';
  if (!NAME.test(name)) {
    throw new Error(`connector name "${name}": use kebab case, starting with a letter (e.g. acme-hr)`);
  }
  const displayName = options.displayName?.trim() || name;
  if (UNSAFE_DISPLAY_NAME.test(displayName)) {
    throw new Error(
      `displayName "${displayName}": quotes, backslashes, | < > and line breaks are not allowed`,
    );
  }
  const directory = `packages/connector-${name}`;
  if (tree.exists(directory)) throw new Error(`${directory} already exists`);
  const auth = options.auth ?? 'oauth-client-credentials';
  const { className, propertyName } = names(name);
  return {
    name,
    displayName,
    dataAreas: options.dataAreas ?? false,
    auth,
    kind: options.kind ?? 'payroll',
    packageName: `@renkei/connector-${name}`,
    directory,
    className,
    propertyName,
    secretKey: auth === 'token' ? 'apiToken' : 'clientSecret',
    versions: workspaceVersions(tree),
  };
}

/** The versions the workspace already uses, so a new package adds nothing to the lockfile. */
function workspaceVersions(tree: Tree): typeof FALLBACK_VERSIONS {
  const path = 'packages/testkit/package.json';
  if (!tree.exists(path)) return FALLBACK_VERSIONS;
  const json = readJson<{ dependencies?: Record<string, string>; devDependencies?: Record<string, string> }>(
    tree,
    path,
  );
  const all = { ...json.devDependencies, ...json.dependencies };
  return {
    msw: all.msw ?? FALLBACK_VERSIONS.msw,
    zod: all.zod ?? FALLBACK_VERSIONS.zod,
    vitest: all.vitest ?? FALLBACK_VERSIONS.vitest,
  };
}

function changeset(options: NormalisedOptions): string {
  return `---\n"${options.packageName}": minor\n---\n\nNew connector for ${options.displayName}.\n`;
}

/** What the author does next: printed after the files are written. */
export function wiringHints(options: NormalisedOptions): string {
  const fake = `create${options.className}Fake`;
  return [
    `Created ${options.directory} (${options.packageName}).`,
    '',
    'Next:',
    '  pnpm install',
    `  pnpm --filter ${options.packageName} test`,
    '',
    'Wire it into the admin app (apps/admin):',
    `  1. apps/admin/package.json, "dependencies": "${options.packageName}": "workspace:*"  (then pnpm install)`,
    '  2. apps/admin/src/demo/vendors.ts:',
    `       import ${options.propertyName} from '${options.packageName}';`,
    `       import { ${fake} } from '${options.packageName}/fake';`,
    `       const ${options.propertyName}Fake = ${fake}();`,
    `       { connector: ${options.propertyName}, fake: ${options.propertyName}Fake, credentials: { ...${options.propertyName}Fake.credentials } },`,
    '     (the demo hands every vendor of createDemoVendors() to the hub and the app, seeded)',
    '',
    `Then replace the placeholder API in ${options.directory}/src/vendor.ts and api.ts with the vendor's real one,`,
    'keeping the contract suite green (docs/writing-a-connector.md).',
  ].join('\n');
}

/**
 * Formats the new package with the workspace's Biome (line breaks depend on the names chosen, so
 * templates alone cannot be formatted for every name). Returns false when Biome is not installed.
 */
export function formatWithBiome(root: string, directory: string): boolean {
  let biome: string;
  try {
    biome = createRequire(join(root, 'package.json')).resolve('@biomejs/biome/bin/biome');
  } catch {
    return false;
  }
  const result = spawnSync(process.execPath, [biome, 'check', '--write', directory], {
    cwd: root,
    stdio: 'inherit',
  });
  return result.status === 0;
}

export default async function connectorGenerator(tree: Tree, schema: ConnectorGeneratorSchema) {
  const options = normaliseOptions(tree, schema);
  generateFiles(tree, join(import.meta.dirname, 'files'), options.directory, { ...options, tmpl: '' });
  tree.write(`.changeset/connector-${options.name}.md`, changeset(options));
  // Runs once the files are on disk (never in a dry run).
  return () => {
    if (!formatWithBiome(tree.root, options.directory)) {
      console.warn(
        `Could not format ${options.directory}: run pnpm exec biome check --write ${options.directory}`,
      );
    }
    console.log(wiringHints(options));
  };
}
