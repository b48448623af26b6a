import { describe, expect, it } from 'vitest';
import { type Manifest, packageOf, privateDependencies, undeclaredImports } from './release-checks.ts';

const manifest: Manifest = {
  name: '@renkei/connector-x',
  version: '1.0.0',
  dependencies: { '@renkei/core': 'workspace:*', zod: '^4.0.0' },
  peerDependencies: { msw: '^3.0.0' },
};

describe('packageOf', () => {
  it('names the package of a bare specifier and ignores relative paths and builtins', () => {
    expect(packageOf('@renkei/core')).toBe('@renkei/core');
    expect(packageOf('msw/node')).toBe('msw');
    expect(packageOf('@nx/devkit/testing')).toBe('@nx/devkit');
    expect(packageOf('./client.js')).toBeUndefined();
    expect(packageOf('node:fs')).toBeUndefined();
    expect(packageOf('fs')).toBeUndefined();
  });
});

describe('undeclaredImports', () => {
  it('finds imports of packages the manifest does not declare, in code and in type declarations', () => {
    const files = [
      {
        path: 'dist/index.js',
        text: "import { z } from 'zod';\nexport { a } from './a.js';\nimport 'side-effect';",
      },
      {
        path: 'dist/fake.js',
        text: "import { setupServer } from 'msw/node';\nconst t = await import('vitest');",
      },
      {
        path: 'dist/index.d.ts',
        text: "import type { FakeVendor } from '@renkei/testkit';\nimport('@renkei/core');",
      },
      {
        path: 'dist/text.js',
        text: "const s = 'copied from ' + x + ' and import ' + y;\nconst t = `from 'nowhere'`;",
      },
      { path: 'README.md', text: "import x from 'not-code';" },
    ];
    expect(undeclaredImports(manifest, files)).toEqual([
      { dependency: 'side-effect', file: 'dist/index.js' },
      { dependency: 'vitest', file: 'dist/fake.js' },
      { dependency: '@renkei/testkit', file: 'dist/index.d.ts' },
    ]);
  });

  it('accepts self-references and declared dependencies', () => {
    const files = [{ path: 'dist/a.js', text: "import '@renkei/connector-x/fake';\nimport '@renkei/core';" }];
    expect(undeclaredImports(manifest, files)).toEqual([]);
  });
});

describe('privateDependencies', () => {
  it('lists runtime dependencies on private workspace packages', () => {
    const workspace = new Map<string, Manifest>([
      ['@renkei/core', { name: '@renkei/core', version: '0.0.0', private: true }],
      ['zod', { name: 'zod', version: '4.0.0' }],
    ]);
    expect(privateDependencies(manifest, workspace)).toEqual(['@renkei/core']);
    expect(privateDependencies(manifest, new Map())).toEqual([]);
  });
});
