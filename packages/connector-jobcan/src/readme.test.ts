import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { fieldTable, README_PATH, updateReadme } from '../scripts/field-table.ts';

it('README’s 連携可能な従業員情報 matches the declared fields (regenerate: pnpm fields:readme)', () => {
  const readme = readFileSync(README_PATH, 'utf8');
  expect(readme).toBe(updateReadme(readme));
  expect(readme).toContain('| 在籍状況 | ステータス（在職・休職・退職） | 双方向 |');
});

it('refuses a declared field the mapper cannot carry', () => {
  expect(() => fieldTable({ gender: 'readWrite' })).toThrow('gender');
});
