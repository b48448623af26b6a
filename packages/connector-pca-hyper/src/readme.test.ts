import { readFileSync } from 'node:fs';
import { updateReadme } from '@renkei/pca-webapi';
import { expect, it } from 'vitest';
import connector from './index.ts';
import { PCA_KYUYO_HYPER } from './product.ts';

it('README tables match the declared credentials and fields (regenerate: node scripts/readme.ts)', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  expect(readme).toBe(updateReadme(readme, connector, PCA_KYUYO_HYPER));
  expect(readme).toContain('| 給与振込口座 |');
});
