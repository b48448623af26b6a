import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type ConnectorFields,
  EMPLOYEE_CODE_LABEL,
  FIELD_KEYS,
  type FieldKey,
  fieldLabel,
} from '@renkei/core';

/**
 * A connector README's 連携可能な従業員情報 table, generated from its declared fields and core's
 * field labels, and kept between `<!-- fields:start -->` … `<!-- fields:end -->`. Each connector's
 * `scripts/field-table.ts` only says how its vendor names the fields; its README test keeps the
 * section current and `pnpm fields:readme` rewrites it.
 */
export interface FieldTableSpec {
  fields: ConnectorFields;
  /** The vendor as the table names it (SmartHR, ジョブカン). */
  vendorName: string;
  /** What the HR side is called in this README (従業員リスト unless said). */
  hrName?: string;
  /** The vendor's item holding 社員番号, as the table shows it. */
  codeItem: string;
  /** The vendor's item of a field as the table shows it; undefined where the mapper cannot carry it. */
  vendorItem(key: FieldKey): string | undefined;
}

const START = '<!-- fields:start -->';
const END = '<!-- fields:end -->';

/** The table; throws for a declared field the mapper has no vendor item for. */
export function fieldTable(spec: FieldTableSpec): string {
  const hr = spec.hrName ?? '従業員リスト';
  const direction = {
    readWrite: '双方向',
    read: `${spec.vendorName} → ${hr}のみ`,
    write: `${hr} → ${spec.vendorName}のみ`,
  } as const;
  const rows = FIELD_KEYS.flatMap((key) => {
    const access = spec.fields[key];
    if (!access) return [];
    const item = spec.vendorItem(key);
    if (!item) throw new Error(`field ${key} is declared but the mapper has no vendor property for it`);
    return [`| ${fieldLabel(key)} | ${item} | ${direction[access]} |`];
  });
  return [
    `| ${hr}の項目 | ${spec.vendorName}の項目 | 連携の向き |`,
    '|---|---|---|',
    `| ${EMPLOYEE_CODE_LABEL}（照合キー） | ${spec.codeItem} | 双方向 |`,
    ...rows,
  ].join('\n');
}

/** `readme` with the section between the markers replaced by `table`. */
export function updateReadme(readme: string, table: string): string {
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`README: the markers ${START} … ${END} are missing`);
  return `${readme.slice(0, from + START.length)}\n${table}\n${readme.slice(to)}`;
}

/** The package README beside a `scripts/` module (`import.meta.url`). */
export const readmePathOf = (scriptUrl: string): string => fileURLToPath(new URL('../README.md', scriptUrl));

/** Rewrites the README when the script at `scriptUrl` is the one node was asked to run. */
export function writeReadmeIfMain(scriptUrl: string, table: () => string): void {
  if (process.argv[1] !== fileURLToPath(scriptUrl)) return;
  const path = readmePathOf(scriptUrl);
  writeFileSync(path, updateReadme(readFileSync(path, 'utf8'), table()));
}
