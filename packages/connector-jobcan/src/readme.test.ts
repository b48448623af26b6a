import { readFileSync } from 'node:fs';
import { readmePathOf, updateReadme } from '@renkei/testkit/readme';
import { expect, it } from 'vitest';
import { fieldTable } from '../scripts/field-table.ts';

const README_PATH = readmePathOf(new URL('../scripts/field-table.ts', import.meta.url).href);

it('README’s 連携可能な従業員情報 matches the declared fields (regenerate: pnpm fields:readme)', () => {
  const readme = readFileSync(README_PATH, 'utf8');
  expect(readme).toBe(updateReadme(readme, fieldTable()));
  expect(readme).toContain('| 在籍状況 | ステータス（在職・休職・退職） | 双方向 |');
});

it('refuses a declared field the mapper cannot carry', () => {
  expect(() => fieldTable({ gender: 'readWrite' })).toThrow('gender');
});
