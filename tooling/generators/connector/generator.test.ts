import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import connectorGenerator, { normaliseOptions, wiringHints } from './generator.ts';
import type { ConnectorGeneratorSchema } from './schema.ts';

const ROOMS = [
  'README.md',
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'vitest.config.ts',
  'src/index.ts',
  'src/vendor.ts',
  'src/api.ts',
  'src/auth.ts',
  'src/client.ts',
  'src/mapper.ts',
  'src/connector.ts',
  'src/fake/index.ts',
  'src/fake/store.ts',
  'src/contract.test.ts',
  'src/mapper.test.ts',
  'src/readme.test.ts',
  'scripts/field-table.ts',
];

let tree: Tree;
beforeEach(() => {
  tree = createTreeWithEmptyWorkspace();
});

const generate = (options: Partial<ConnectorGeneratorSchema> = {}) =>
  connectorGenerator(tree, { name: 'acme-hr', ...options });
const read = (path: string) => tree.read(`packages/connector-acme-hr/${path}`, 'utf-8') ?? '';

describe('connector generator', () => {
  it('scaffolds every room of a connector package, a changeset and nothing else', async () => {
    const before = new Set(tree.listChanges().map((change) => change.path));
    await generate({ displayName: 'アクメ人事' });
    const written = tree
      .listChanges()
      .map((change) => change.path)
      .filter((path) => !before.has(path))
      .sort();
    expect(written).toEqual(
      [
        ...ROOMS.map((room) => `packages/connector-acme-hr/${room}`),
        '.changeset/connector-acme-hr.md',
      ].sort(),
    );
    expect(tree.read('.changeset/connector-acme-hr.md', 'utf-8')).toBe(
      '---\n"@renkei/connector-acme-hr": minor\n---\n\nNew connector for アクメ人事.\n',
    );
  });

  it('leaves no template syntax and names everything after the connector', async () => {
    await generate({ displayName: 'アクメ人事' });
    for (const room of ROOMS) expect(read(room), room).not.toMatch(/<%|%>|__tmpl__/);
    expect(JSON.parse(read('package.json'))).toMatchObject({
      name: '@renkei/connector-acme-hr',
      exports: { '.': './src/index.ts', './fake': './src/fake/index.ts' },
      scripts: { test: 'vitest run', typecheck: 'tsc --noEmit', build: 'tsc -p tsconfig.build.json' },
    });
    expect(read('src/connector.ts')).toContain("id: 'acme-hr',");
    expect(read('src/connector.ts')).toContain("displayName: 'アクメ人事',");
    expect(read('src/index.ts')).toContain('export default acmeHrConnector;');
    expect(read('src/index.ts')).not.toContain('Fake');
    expect(read('src/fake/index.ts')).toContain('export function createAcmeHrFake(');
    expect(read('README.md')).toContain('# @renkei/connector-acme-hr — アクメ人事');
    expect(read('README.md')).toContain('| 電話番号 | `tel` | アクメ人事 → 従業員リストのみ |');
  });

  it('uses the versions the workspace already depends on', async () => {
    tree.write(
      'packages/testkit/package.json',
      JSON.stringify({
        dependencies: { msw: '^3.9.0', zod: '^4.9.0' },
        devDependencies: { vitest: '^5.9.0' },
      }),
    );
    await generate();
    expect(JSON.parse(read('package.json'))).toMatchObject({
      dependencies: { zod: '^4.9.0' },
      devDependencies: { msw: '^3.9.0', vitest: '^5.9.0' },
      peerDependencies: { msw: '^3.9.0' },
      peerDependenciesMeta: { msw: { optional: true }, '@renkei/testkit': { optional: true } },
    });
    expect(JSON.parse(read('package.json')).dependencies).not.toHaveProperty('msw');
  });

  it('without --dataAreas: one implicit area, no area routes', async () => {
    await generate();
    expect(read('src/connector.ts')).toContain('hasDataAreas: false,');
    expect(read('src/client.ts')).toContain('return [IMPLICIT_DATA_AREA];');
    expect(read('src/vendor.ts')).not.toContain('areas:');
    expect(read('src/fake/index.ts')).not.toContain('FAKE_AREAS');
    expect(read('README.md')).toContain('データ領域がないため');
  });

  it('with --dataAreas: the areas endpoint, per-area routes and two areas in the fake', async () => {
    await generate({ dataAreas: true });
    expect(read('src/connector.ts')).toContain('hasDataAreas: true,');
    expect(read('src/vendor.ts')).toContain("areas: '/areas',");
    expect(read('src/client.ts')).toContain('schema: AreaList');
    expect(read('src/fake/index.ts')).toContain("{ id: 'head-office', name: '本社' }");
    expect(read('README.md')).toContain('連携するデータ領域を選びます');
  });

  it.each([
    ['token', ['apiToken'], false, 'apiToken'],
    ['oauth-client-credentials', ['clientId', 'clientSecret'], true, 'clientSecret'],
    ['oauth-password', ['clientId', 'clientSecret', 'username', 'password'], true, 'clientSecret'],
  ] as const)(
    '--auth=%s declares its credentials and token handling',
    async (auth, keys, tokenEndpoint, spoiled) => {
      await generate({ auth });
      const credentials =
        read('src/auth.ts').match(/export const Credentials = z\.object\(\{([\s\S]*?)\n\}\);/)?.[1] ?? '';
      expect([...credentials.matchAll(/^ {2}(\w+):/gm)].map((match) => match[1])).toEqual(keys);
      expect(read('src/vendor.ts').includes("token: '/oauth/token',")).toBe(tokenEndpoint);
      expect(read('src/fake/index.ts').includes('VENDOR.paths.token')).toBe(tokenEndpoint);
      expect(read('src/contract.test.ts')).toContain(
        `invalid: { ...FAKE_CREDENTIALS, ${spoiled}: 'wrong-${spoiled}' }`,
      );
      if (auth === 'oauth-password') expect(read('src/auth.ts')).toContain("grant_type: 'password',");
    },
  );

  // Fixes from writing the SmartHR connector with this generator (docs/writing-a-connector.md, "Lessons").
  describe('what the SmartHR connector needed', () => {
    it('names 社員番号’s vendor property once, in the mapper, for the README table (SmartHR’s is emp_code)', async () => {
      await generate();
      expect(read('src/mapper.ts')).toContain("export const EMPLOYEE_CODE_PROPERTY = 'code';");
      const table = read('scripts/field-table.ts');
      expect(table).toContain('import { EMPLOYEE_CODE_PROPERTY, VENDOR_FIELD }');
      expect(table).toMatch(/codeItem: `\\`\$\{EMPLOYEE_CODE_PROPERTY\}\\``/);
      expect(table).not.toContain('| \\`code\\` |');
    });

    it('imports the fake’s runtime helpers from @renkei/testkit/fakes, never the entry that loads vitest', async () => {
      await generate();
      const fake = read('src/fake/index.ts');
      expect(fake).toMatch(/from '@renkei\/testkit\/fakes';/);
      expect(fake).not.toMatch(/from '@renkei\/testkit';/);
    });

    it('tests the README against the mapper, not against fields a vendor may well carry', async () => {
      await generate();
      const test = read('src/readme.test.ts');
      expect(test).toContain('FIELD_KEYS.find((key) => !(key in VENDOR_FIELD))');
      expect(test).not.toContain("{ gender: 'readWrite' }");
      expect(test).not.toContain('`tel`');
    });

    it('round-trips the mapper with fast-check through the fake’s store, fast-check pinned like testkit’s', async () => {
      tree.write(
        'packages/testkit/package.json',
        JSON.stringify({ dependencies: { 'fast-check': '^4.99.0' } }),
      );
      await generate();
      expect(JSON.parse(read('package.json')).devDependencies['fast-check']).toBe('^4.99.0');
      const test = read('src/mapper.test.ts');
      expect(test).toContain("import fc from 'fast-check';");
      expect(test).toContain('fc.assert(');
      expect(test).toContain("store.create('area', body)");
    });

    it('says 従業員リスト, as the admin app does, never 社員名簿', async () => {
      await generate({ displayName: 'アクメ人事' });
      expect(read('README.md')).toContain('従業員リスト');
      expect(read('README.md')).not.toContain('社員名簿');
      // The table keeps testkit's own word for the HR side (従業員リスト): the script names no other.
      expect(read('scripts/field-table.ts')).toContain("from '@renkei/testkit/readme'");
      expect(read('scripts/field-table.ts')).not.toContain('hrName');
    });
  });

  it('refuses a name that is not kebab case, an unsafe display name and an existing package', async () => {
    await expect(generate({ name: 'AcmeHR' })).rejects.toThrow('kebab case');
    await expect(generate({ name: '1password' })).rejects.toThrow('kebab case');
    await expect(generate({ displayName: "Acme's" })).rejects.toThrow('displayName');
    tree.write('packages/connector-acme-hr/package.json', '{}');
    await expect(generate()).rejects.toThrow('packages/connector-acme-hr already exists');
  });

  it('prints how to install, test and wire the connector into the admin app', () => {
    const hints = wiringHints(normaliseOptions(tree, { name: 'acme-hr' }));
    expect(hints).toContain('pnpm install');
    expect(hints).toContain('pnpm --filter @renkei/connector-acme-hr test');
    expect(hints).toContain('"@renkei/connector-acme-hr": "workspace:*"');
    expect(hints).toContain("import acmeHr from '@renkei/connector-acme-hr';");
    expect(hints).toContain("import { createAcmeHrFake } from '@renkei/connector-acme-hr/fake';");
    expect(hints).toContain('apps/admin/src/demo/vendors.ts');
  });
});
