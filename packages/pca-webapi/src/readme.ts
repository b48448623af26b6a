import {
  type ConnectorDefinition,
  describeCredentials,
  EMPLOYEE_CODE_LABEL,
  FIELD_KEYS,
  fieldLabel,
} from '@renkei/core';
import { vendorFieldsOf } from './mapper.ts';
import type { PcaProduct } from './product.ts';

/**
 * The generated parts of a PCA connector's README: 連携設定 (credentials) and 連携可能な従業員情報
 * (fields), each between markers, rebuilt from the connector's own declarations.
 */

const DIRECTION: Record<string, string> = {
  readWrite: '双方向（PCA ⇔ 社員名簿）',
  read: 'PCA → 社員名簿のみ',
  write: '社員名簿 → PCAのみ',
};

export function fieldTable(connector: ConnectorDefinition, product: PcaProduct): string {
  const vendorFields = vendorFieldsOf(product);
  const rows = FIELD_KEYS.filter((key) => connector.fields[key]).map((key) => {
    const access = connector.fields[key] as string;
    const fields = key === 'status' ? ['TaisyokuKubun'] : (vendorFields[key] ?? []);
    return `| ${fieldLabel(key)} | ${DIRECTION[access]} | ${fields.map((field) => `\`${field}\``).join(', ')} |`;
  });
  return [
    '| 項目 | 連携の向き | PCAの項目 |',
    '|---|---|---|',
    `| ${EMPLOYEE_CODE_LABEL}（照合キー） | 双方向（PCA ⇔ 社員名簿） | \`Code\` |`,
    ...rows,
  ].join('\n');
}

export function credentialsTable(connector: ConnectorDefinition): string {
  const rows = describeCredentials(connector.credentials).map(
    (field) =>
      `| ${field.label} | ${field.required ? '必須' : '任意'}${field.secret ? '・秘密（暗号化して保存し、再表示しません）' : ''} | ${field.options ? `${field.options.join(' / ')}。` : ''}${field.help ?? ''} |`,
  );
  return ['| 項目 | 入力 | 説明 |', '|---|---|---|', ...rows].join('\n');
}

const SECTIONS = {
  credentials: credentialsTable,
  fields: fieldTable,
} as const;

/** `text` with every generated section replaced by its current content; throws when a marker is missing. */
export function updateReadme(text: string, connector: ConnectorDefinition, product: PcaProduct): string {
  let result = text;
  for (const [name, render] of Object.entries(SECTIONS)) {
    const start = `<!-- generated:${name}:start -->`;
    const end = `<!-- generated:${name}:end -->`;
    const from = result.indexOf(start);
    const to = result.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README: markers ${start} … ${end} are missing`);
    result = `${result.slice(0, from + start.length)}\n${render(connector, product)}\n${result.slice(to)}`;
  }
  return result;
}
