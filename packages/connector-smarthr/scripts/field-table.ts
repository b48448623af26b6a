/**
 * The README's 連携可能な従業員情報 table, generated from the connector's declared fields and core's
 * field labels. `pnpm fields:readme` rewrites the section between the markers; a test keeps it current.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type ConnectorFields, EMPLOYEE_CODE_LABEL, FIELD_KEYS, fieldLabel } from '@renkei/core';
import { FIELDS } from '../src/connector.ts';
import { EMPLOYEE_CODE_PROPERTY, VENDOR_FIELD } from '../src/mapper.ts';

const START = '<!-- fields:start -->';
const END = '<!-- fields:end -->';

const DIRECTION = {
  readWrite: '双方向',
  read: 'SmartHR → 従業員リストのみ',
  write: '従業員リスト → SmartHRのみ',
} as const;

export function fieldTable(fields: ConnectorFields = FIELDS): string {
  const rows = FIELD_KEYS.flatMap((key) => {
    const access = fields[key];
    if (!access) return [];
    const property = (VENDOR_FIELD as Partial<Record<string, string>>)[key];
    if (!property) throw new Error(`field ${key} is declared but the mapper has no vendor property for it`);
    return [`| ${fieldLabel(key)} | \`${property}\` | ${DIRECTION[access]} |`];
  });
  return [
    '| 従業員リストの項目 | SmartHRの項目 | 連携の向き |',
    '|---|---|---|',
    `| ${EMPLOYEE_CODE_LABEL}（照合キー） | \`${EMPLOYEE_CODE_PROPERTY}\` | 双方向 |`,
    ...rows,
  ].join('\n');
}

/** `readme` with the section between the markers replaced by the current table. */
export function updateReadme(readme: string, table = fieldTable()): string {
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`README: the markers ${START} … ${END} are missing`);
  return `${readme.slice(0, from + START.length)}\n${table}\n${readme.slice(to)}`;
}

export const README_PATH = fileURLToPath(new URL('../README.md', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(README_PATH, updateReadme(readFileSync(README_PATH, 'utf8')));
}
