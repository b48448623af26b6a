import { builtinModules } from 'node:module';

/** The parts of a package.json the release checks read. */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  publishConfig?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const BUILTINS = new Set(builtinModules);
/** `import … from '…'` and `export … from '…'` statements, `import '…'`, and `import('…')` (also in types). */
const SPECIFIER =
  /^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"\s]+)['"]|^\s*import\s*['"]([^'"\s]+)['"]|\bimport\(\s*['"]([^'"\s]+)['"]\s*\)/gm;

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`); undefined for relative or builtin. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:'))
    return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
  return BUILTINS.has(name) ? undefined : name;
}

/**
 * Packages the published code imports (JavaScript and type declarations alike) without declaring
 * them as dependencies: a consumer's install would not bring them, so the import would fail there.
 */
export function undeclaredImports(
  manifest: Manifest,
  files: readonly { path: string; text: string }[],
): { dependency: string; file: string }[] {
  const declared = new Set(
    Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies }),
  );
  const found = new Map<string, string>();
  for (const file of files) {
    if (!/\.(c|m)?js$|\.d\.(c|m)?ts$/.test(file.path)) continue;
    for (const match of file.text.matchAll(SPECIFIER)) {
      const dependency = packageOf((match[1] ?? match[2] ?? match[3]) as string);
      if (dependency && dependency !== manifest.name && !declared.has(dependency) && !found.has(dependency)) {
        found.set(dependency, file.path);
      }
    }
  }
  return [...found].map(([dependency, file]) => ({ dependency, file }));
}

/** Runtime dependencies on workspace packages that stay private: they could not be installed. */
export function privateDependencies(manifest: Manifest, workspace: ReadonlyMap<string, Manifest>): string[] {
  return Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }).filter(
    (name) => workspace.get(name)?.private === true,
  );
}
