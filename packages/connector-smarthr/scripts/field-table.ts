/**
 * The README's 連携可能な従業員情報 table (testkit's generator, SmartHR's property names).
 * `pnpm fields:readme` rewrites it; src/readme.test.ts keeps it current.
 */
import type { ConnectorFields } from '@renkei/core';
import { fieldTable as table, writeReadmeIfMain } from '@renkei/testkit/readme';
import { FIELDS } from '../src/connector.ts';
import { EMPLOYEE_CODE_PROPERTY, VENDOR_FIELD } from '../src/mapper.ts';

export const fieldTable = (fields: ConnectorFields = FIELDS): string =>
  table({
    fields,
    vendorName: 'SmartHR',
    codeItem: `\`${EMPLOYEE_CODE_PROPERTY}\``,
    vendorItem: (key) => {
      const property = (VENDOR_FIELD as Partial<Record<string, string>>)[key];
      return property && `\`${property}\``;
    },
  });

writeReadmeIfMain(import.meta.url, () => fieldTable());
