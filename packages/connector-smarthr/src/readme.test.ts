import { readFileSync } from 'node:fs';
import { FIELD_KEYS } from '@renkei/core';
import { readmePathOf, updateReadme } from '@renkei/testkit/readme';
import { expect, it } from 'vitest';
import { fieldTable } from '../scripts/field-table.ts';
import { EMPLOYEE_CODE_PROPERTY, VENDOR_FIELD } from './mapper.ts';

const README_PATH = readmePathOf(new URL('../scripts/field-table.ts', import.meta.url).href);

it('README’s 連携可能な従業員情報 matches the declared fields (regenerate: pnpm fields:readme)', () => {
  const readme = readFileSync(README_PATH, 'utf8');
  expect(readme).toBe(updateReadme(readme, fieldTable()));
  expect(readme).toContain(`| 社員番号（照合キー） | \`${EMPLOYEE_CODE_PROPERTY}\` | 双方向 |`);
});

it('refuses a declared field the mapper cannot carry', () => {
  const uncarried = FIELD_KEYS.find((key) => !(key in VENDOR_FIELD));
  expect(uncarried).toBeDefined();
  expect(() => fieldTable({ [uncarried as string]: 'readWrite' })).toThrow(uncarried);
});
